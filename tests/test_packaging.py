"""Colab と同じように入れたときに、章に必要なものがすべて届くこと。

Colab の最初のセルは ``pip install "nnbook @ git+<repository.url>"`` を実行します。
ここではリポジトリから wheel を作り、その中身と依存関係を確かめます。
"""

import ast
import re
import subprocess
import sys
import tomllib
import zipfile

import pytest
from packaging.requirements import Requirement

from conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
#: パッケージの中のパッケージ（nnbook.check）のモジュールも含める
MODULES = sorted((ROOT / "src" / "nnbook").rglob("*.py"))
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
        assert f"nnbook/{module.relative_to(ROOT / 'src' / 'nnbook').as_posix()}" in wheel
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


COLAB_SMOKE = """
import importlib, pkgutil, sys
import nnbook
from nnbook.inference import load_pretrained
skip = {"keras_utils"}  # Keras の章だけが使う（Colab には TensorFlow がある）
names = [m.name for m in pkgutil.iter_modules(nnbook.__path__) if not m.name.startswith("_")]
for name in names:
    if name not in skip:
        importlib.import_module(f"nnbook.{name}")
network = load_pretrained("digits_mlp")
print("modules", len(names), "weights", sorted(network))
print("tensorflow" in sys.modules)
"""


def test_installs_from_the_repository_as_colab_does(tmp_path):
    """Colab の最初のセルと同じく git の URL から新しい仮想環境に入れ、全モジュールと重みを読む。

    git で入れるのでコミットされたものだけが届く（.gitignore で漏れたデータがあれば失敗する）。
    """
    import venv

    env_dir = tmp_path / "colab-venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    source = f"git+file://{ROOT}" if (ROOT / ".git").exists() else str(ROOT)
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", source],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    installed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True
    ).stdout.lower()
    assert "tensorflow" not in installed, "nnbook だけを入れるのに TensorFlow まで入った"
    smoke = subprocess.run(
        [str(python), "-c", COLAB_SMOKE], capture_output=True, text=True, cwd=tmp_path
    )
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "weights ['W1', 'W2', 'W3', 'b1', 'b2', 'b3']" in smoke.stdout
    assert smoke.stdout.strip().endswith("False"), "TensorFlow を import しないこと"


def _notebook_imports():
    """chapters/*.ipynb のコードセルが import する最上位のモジュール名。"""
    import json

    names = set()
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            # IPython のマジック（%pip など）は同じ字下げの pass に置き換えて構文解析する
            source = re.sub(r"^(\s*)[%!].*$", r"\1pass", "".join(cell["source"]), flags=re.M)
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    names |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names)


def _requirement_closure(lines):
    """requirements の配布名と、それらが（推移的に）依存する配布名の集合。"""
    from importlib import metadata

    from packaging.utils import canonicalize_name

    todo = [Requirement(line).name for line in lines]
    seen = set()
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def test_binder_installs_everything_the_notebooks_import():
    from importlib import metadata

    from packaging.utils import canonicalize_name

    lines = [
        line.split("#", 1)[0].strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    available = _requirement_closure([line for line in lines if line])
    assert "pip install" in (ROOT / "postBuild").read_text(encoding="utf-8"), (
        "postBuild が nnbook を入れる"
    )
    available |= {"nnbook"}
    dists = metadata.packages_distributions()
    imports = _notebook_imports()
    assert {"numpy", "nnbook"} <= imports
    for name in sorted(imports):
        candidates = {canonicalize_name(d) for d in dists.get(name, [name])}
        assert candidates & available, (
            f"ノートブックが import する {name} が requirements.txt から入りません"
        )


def test_binder_installs_graphviz_dot_and_a_japanese_font():
    apt = (ROOT / "apt.txt").read_text(encoding="utf-8").split()
    assert "graphviz" in apt, "graphviz の dot が Binder に入らない"
    assert "fonts-noto-cjk" in apt, "graphviz の日本語ラベルのフォント"
    assert (ROOT / "runtime.txt").read_text(encoding="utf-8").startswith("python-3.")
