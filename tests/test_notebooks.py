"""保存されたノートブックそのものの約束を確かめる（nbval の再実行とは別）。"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
REPO_URL = CONFIG["repository"]["url"].rstrip("/")


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [ch["file"] for part in toc["parts"] for ch in part["chapters"]]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


def test_every_notebook_is_in_the_toc():
    files = _toc_files()
    for path in NOTEBOOKS:
        assert f"chapters/{path.stem}" in files, f"{path.name} が _toc.yml にありません"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_bootstrap_cell_is_the_template_with_the_configured_repository(path):
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "set_repository", ROOT / "scripts" / "set_repository.py"
    )
    set_repository = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(set_repository)
    cell = _code_cells(_load(path))[0]
    source = "".join(cell["source"])
    assert source == set_repository.bootstrap_source(REPO_URL.removesuffix(".git")), (
        f"{path.name} の最初のセルがブートストラップのひな形（scripts/set_repository.py、"
        f"リポジトリ {REPO_URL}）と違います（scripts/set_repository.py を実行してください）"
    )
    assert 'if "google.colab" in sys.modules:' in source, "Colab のときだけ入れる"
    assert 'elif sys.platform == "emscripten":' in source, "ブラウザ（JupyterLite）でも入れる"
    assert "hide-cell" in cell["metadata"].get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_saved_from_one_clean_run(path):
    nb = _load(path)
    counts = [c["execution_count"] for c in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "実行番号が 1..N ではありません"
    for cell in _code_cells(nb):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", (
                f"エラー出力が保存されています: {out.get('ename')}"
            )
            text = "".join(out.get("text", ""))
            assert "missing from font" not in text, "豆腐（Glyph missing）の警告が保存されています"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chapter_skeleton(path):
    nb = _load(path)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert len(re.findall(r"^# ", md, flags=re.M)) == 1, "H1 はちょうど 1 つ"
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).startswith("# "), (
        "最初のセルは題名（H1）"
    )
    for heading in ("## 学習目標", "## まとめ", "## 演習"):
        assert heading in md, f"{heading} がありません"
    assert "{dropdown}" in md, "演習の解答はドロップダウンに入れる"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_figures_have_alt_text(path):
    for cell in _code_cells(_load(path)):
        if any({"image/png", "image/svg+xml"} & set(o.get("data", {})) for o in cell["outputs"]):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert alt.strip(), f"図に代替テキストがありません: {''.join(cell['source'])[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_path_hacks_or_pickle(path):
    for cell in _code_cells(_load(path)):
        source = "".join(cell["source"])
        assert "sys.path" not in source
        assert "pickle" not in source
        assert "allow_pickle=True" not in source


def test_set_repository_check_passes():
    import sys
    from subprocess import run

    result = run(
        [sys.executable, str(ROOT / "scripts" / "set_repository.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _tiny_notebook(path, source, tags=()):
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {"tags": list(tags)},
                "outputs": [],
                "source": source,
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "passes"), [("日本語の題名", True), ("한국어 ☃ 🍣", False)], ids=["japanese", "tofu"]
)
def test_nbval_fails_on_a_figure_with_tofu_even_when_output_is_ignored(tmp_path, text, passes):
    import subprocess
    import sys

    source = (
        "import matplotlib.pyplot as plt\n"
        "import nnbook.plotting\n"
        "fig, ax = plt.subplots()\n"
        f"ax.set_title({text!r})\n"
        "plt.show()\n"
    )
    notebook = tmp_path / "glyph.ipynb"
    _tiny_notebook(notebook, source, tags=["nbval-ignore-output"])
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(ROOT),
            "-c",
            str(ROOT / "pyproject.toml"),
            str(notebook),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert (result.returncode == 0) == passes, result.stdout[-3000:]
