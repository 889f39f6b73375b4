"""scripts/sweep_seeds.py（種を変えて隠しセルの assert を数える道具）のテスト。"""

import importlib.util
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("sweep_seeds", ROOT / "scripts" / "sweep_seeds.py")
sweep = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sweep)


@pytest.fixture
def notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    hidden = {"tags": ["remove-cell"]}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 小さな章"),
        nbformat.v4.new_code_cell(
            'import sys\n\nif "google.colab" in sys.modules:\n    %pip install --quiet nnbook'
        ),
        nbformat.v4.new_code_cell(
            "import numpy as np\n\nrng = np.random.default_rng(0)\nx = float(rng.random())\nprint(x)"
        ),
        nbformat.v4.new_code_cell(
            'assert x < 0.5, "小さい"\ny = 2 * x\nassert y >= 0', metadata=hidden
        ),
        nbformat.v4.new_code_cell('raise RuntimeError("ここは実行しない")'),
    ]
    path = tmp_path / "small.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize(
    ("text", "seeds"),
    [("0-3", [0, 1, 2, 3]), ("0,3,5", [0, 3, 5]), ("2", [2]), ("1-2,7", [1, 2, 7])],
)
def test_parse_seeds(text, seeds):
    assert sweep.parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["", "a", "3-1", "0-x", "-1"])
def test_parse_seeds_rejects_bad_input(text):
    with pytest.raises(ValueError, match="種"):
        sweep.parse_seeds(text)


def test_parse_cells():
    assert sweep.parse_cells("1,44, 45") == {1, 44, 45}
    assert sweep.parse_cells("") == set()
    with pytest.raises(ValueError, match="セル番号"):
        sweep.parse_cells("1,x")


def test_with_seed_replaces_only_seed_zero_calls():
    source = "set_seed(0)\nrng = np.random.default_rng(0)\nother = f(0)\nkeep = default_rng(10)"
    assert sweep.with_seed(source, 7) == (
        "set_seed(7)\nrng = np.random.default_rng(7)\nother = f(0)\nkeep = default_rng(10)"
    )


def test_code_cells_skip_stop_and_hidden(notebook):
    cells = sweep.code_cells(notebook, skip={1}, stop=4)
    assert [(i, hidden) for i, _, hidden in cells] == [(2, False), (3, True)]


def test_run_once_evaluates_each_assert_with_the_seed(notebook):
    cells = sweep.code_cells(notebook, stop=4)  # %pip のセルも変換して実行できる
    for seed in range(10):
        x = float(np.random.default_rng(seed).random())
        results, values = sweep.run_once(cells, seed, reports=["y"])
        assert [(i, text, ok) for i, text, ok in results] == [
            (3, "x < 0.5", x < 0.5),
            (3, "y >= 0", True),
        ]
        assert values == [2 * x]


def test_main_counts_passes_over_seeds(notebook, capsys):
    sweep.main([str(notebook), "--seeds", "0-9", "--stop", "4", "--report", "x"])
    out = capsys.readouterr().out
    xs = [float(np.random.default_rng(s).random()) for s in range(10)]
    passed = sum(x < 0.5 for x in xs)
    assert f"{passed:>3}/10  セル 3: assert x < 0.5" in out
    assert " 10/10  セル 3: assert y >= 0" in out
    assert f"x: 最小 {min(xs):.4g}" in out
    assert out.count("× セル 3: x < 0.5") == 10 - passed
