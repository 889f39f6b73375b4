"""Colab と同じように入れたときに、章に必要なものがすべて届くこと。

Colab の最初のセルは ``pip install "nnbook @ git+<repository.url>"`` を実行します。
ここではリポジトリから wheel を作り、その中身と依存関係を確かめます。
"""

import ast
import subprocess
import sys
import tomllib
import zipfile

import pytest
from packaging.requirements import Requirement

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MODULES = sorted((ROOT / "src" / "nnbook").glob("*.py"))
#: import 名 → 配布名
DISTRIBUTIONS = {"matplotlib_fontja": "matplotlib-fontja"}
#: Colab に最初から入っていて、入れ直したり版を下げたりしてはいけないもの
COLAB_PREINSTALLED = {"numpy", "matplotlib", "tensorflow", "keras", "scikit-learn", "pandas"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (path,) = out.glob("nnbook-*.whl")
    with zipfile.ZipFile(path) as zf:
        return set(zf.namelist())


def test_wheel_contains_every_module_and_the_packaged_weights(wheel):
    for module in MODULES:
        assert f"nnbook/{module.name}" in wheel
    for data in (ROOT / "src" / "nnbook" / "data").iterdir():
        assert f"nnbook/data/{data.name}" in wheel, f"{data.name} が wheel に入っていません"


def _top_level_imports(path):
    """モジュールの最上位（関数の外）で import する外部パッケージの名前。"""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names)


def test_dependencies_are_exactly_what_the_modules_import():
    declared = {Requirement(r).name for r in PYPROJECT["project"]["dependencies"]}
    imported = set()
    for module in MODULES:
        if module.name == "keras_utils.py":  # Keras の章だけのモジュール（extra の keras）
            continue
        imported |= {DISTRIBUTIONS.get(n, n) for n in _top_level_imports(module)}
    assert imported == declared


def test_colab_bootstrap_never_downgrades_what_colab_has():
    for line in PYPROJECT["project"]["dependencies"]:
        req = Requirement(line)
        assert req.name not in {"tensorflow", "keras"}, "TensorFlow は必須の依存にしない"
        if req.name in COLAB_PREINSTALLED:
            assert all(s.operator == ">=" for s in req.specifier), (
                f"{line}: Colab の版を動かさないよう、下限だけにする"
            )
