"""「ブラウザで実行」：第 I・II 部の章と、1 章ずつ選んだ NumPy だけの章（第 15 章）を JupyterLite（Notebook の画面と Pyodide のカーネル）で開く。

サイトの中に JupyterLite を組み込み（``_build/html/lite/``）、章のページの起動ボタンから
その章のノートブックを開く。インターネットから取るのはパッケージの置き場（レジストリ）だけ。

- ``prepare``（``scripts/install.sh`` から。ネットワークが要るのはここだけ）：
  ``lite/`` の npm プロジェクト（``lite/package-lock.json``）で Pyodide の実行環境と
  ``@viz-js/viz`` を入れ、カーネルの起動に要る純 Python の wheel（Pyodide の lock と同じ版）と
  ``lite/wheels.txt`` の wheel を PyPI から ``lite/.cache/wheels/`` に取る。
- ``build``（サイトの組版の最後に ``_ext/nnbook_site.py`` から。オフライン）：nnbook の wheel を
  このリポジトリから作り、JupyterLite を ``jupyter lite build`` で組み立てる。Pyodide の lock は、
  サイトに置いた wheel は本当の sha256 で、ほかはすべて固定した版の Pyodide の CDN の URL に
  書き換える（NumPy・matplotlib・scikit-learn の WebAssembly 版はどのレジストリにもないため）。

使い方::

    python _ext/nnbook_lite.py prepare
    python _ext/nnbook_lite.py build _build/html/lite   # 普通は jupyter-book build が呼ぶ
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LITE = ROOT / "lite"
NODE_MODULES = LITE / "node_modules"
PYODIDE_DIR = NODE_MODULES / "pyodide"
VIZ_JS = NODE_MODULES / "@viz-js" / "viz" / "dist" / "viz.js"
WHEELS = LITE / ".cache" / "wheels"
WHEELS_TXT = LITE / "wheels.txt"

#: サイトに置く Pyodide の実行環境のファイル（型定義・ソースマップ・コンソールは置かない）
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
#: カーネルの起動時に読み込まれる Pyodide のパッケージ（と、その依存）。サイトに置く
KERNEL_PACKAGES = ("micropip", "packaging", "ipython", "jedi")
#: Notebook の画面が static/favicons/ に探すアイコン
FAVICONS = (
    "favicon.ico",
    "favicon-busy-1.ico",
    "favicon-busy-2.ico",
    "favicon-busy-3.ico",
    "favicon-file.ico",
    "favicon-notebook.ico",
)
#: 起動ボタンを付ける部（_toc.yml の caption の書き出し）の既定値
DEFAULT_PARTS = ("第 I 部", "第 II 部")
#: 部とは別に、1 章ずつ起動ボタンを付ける章（"chapters/NAME"）の既定値。Keras を使う章の多い部から、
#: NumPy だけで動く章を選ぶためのもの（_config.yml の nnbook_lite_chapters）
DEFAULT_CHAPTERS = ("chapters/15_tokens_and_language_models",)
#: サイトの中での JupyterLite の場所と、Notebook の画面
LITE_DIR_NAME = "lite"
NOTEBOOKS_APP = "notebooks/index.html"
#: Pyodide のカーネル（jupyter-lite.json の設定のキー）
KERNEL_PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"


def canonical(name):
    """パッケージ名の正規化（PEP 503）。"""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned_pyodide_version():
    """lite/package.json で固定した Pyodide の版。"""
    package = json.loads((LITE / "package.json").read_text(encoding="utf-8"))
    return package["dependencies"]["pyodide"]


def kernel_pyodide_version():
    """jupyterlite-pyodide-kernel が前提にしている Pyodide の版。"""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    return PYODIDE_VERSION


def cdn_prefix(version=None):
    """Pyodide の公式 CDN の、固定した版のフォルダの URL（末尾は /）。"""
    return f"https://cdn.jsdelivr.net/pyodide/v{version or pinned_pyodide_version()}/full/"


def read_lock(path=None):
    return json.loads(Path(path or PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))


def closure(lock, names):
    """lock の中で names が（依存をたどって）必要とするパッケージの正規化した名前。"""
    packages = {canonical(k): v for k, v in lock["packages"].items()}
    todo, seen = [canonical(n) for n in names], []
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.append(name)
            todo += [canonical(d) for d in packages[name]["depends"]]
    return sorted(seen)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def lite_chapters(toc_path=ROOT / "_toc.yml", parts=DEFAULT_PARTS, chapters=DEFAULT_CHAPTERS):
    """起動ボタンを付ける章（"chapters/NAME"、_toc.yml の順）。

    _toc.yml で caption が parts で始まる部の章と、chapters に名前を挙げた章。chapters の章が
    _toc.yml になければ ValueError（名前の書き間違いで黙ってボタンが消えないように）。
    """
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    in_toc = [
        (str(part.get("caption", "")), chapter["file"])
        for part in toc["parts"]
        for chapter in part["chapters"]
        if chapter["file"].startswith("chapters/")
    ]
    missing = sorted(set(chapters) - {name for _, name in in_toc})
    if missing:
        raise ValueError(f"nnbook_lite_chapters の {missing} が _toc.yml にありません")
    return [
        name for caption, name in in_toc if caption.startswith(tuple(parts)) or name in chapters
    ]


def launch_url(pagename, lite_dir=LITE_DIR_NAME):
    """章のページ（pagename）から、その章を JupyterLite で開く相対 URL。"""
    depth = pagename.count("/")
    return f"{'../' * depth}{lite_dir}/{NOTEBOOKS_APP}?path={pagename}.ipynb"


# ---------------------------------------------------------------- prepare（ネットワークあり）


def _pip_download(requirements, dest):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--only-binary=:all:",
            "--platform=any",
            "--python-version=3.14",
            "--implementation=py",
            "--dest",
            str(dest),
            *requirements,
        ],
        check=True,
    )


def wheel_requirements():
    """lite/wheels.txt の要求（コメントと空行を除く）。"""
    lines = WHEELS_TXT.read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


def prepare():
    """npm と PyPI から、組版に要るものをすべて取る（何度実行してもよい）。"""
    installed = NODE_MODULES / "pyodide" / "package.json"
    if (
        not installed.is_file()
        or json.loads(installed.read_text(encoding="utf-8"))["version"] != pinned_pyodide_version()
        or not VIZ_JS.is_file()
    ):
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"],
            cwd=LITE,
            check=True,
        )
    lock = read_lock()
    packages = {canonical(k): v for k, v in lock["packages"].items()}
    kernel = [
        f"{packages[n]['name']}=={packages[n]['version']}" for n in closure(lock, KERNEL_PACKAGES)
    ]
    from importlib.metadata import version

    extension = f"jupyterlite-pyodide-kernel=={version('jupyterlite-pyodide-kernel')}"
    WHEELS.mkdir(parents=True, exist_ok=True)
    _pip_download([*kernel, *wheel_requirements(), extension], WHEELS)
    print(f"==> JupyterLite の材料: {PYODIDE_DIR}, {WHEELS}")


# ---------------------------------------------------------------- build（オフライン）


def _find_wheel(name, version=None):
    stem = "[-_.]".join(re.escape(part) for part in canonical(name).split("-"))
    pattern = re.compile(rf"{stem}-{re.escape(version or '')}", re.I)
    found = sorted(p for p in WHEELS.glob("*.whl") if pattern.match(p.name))
    if not found:
        raise FileNotFoundError(
            f"{name} {version or ''} の wheel が {WHEELS} にありません"
            "（bash scripts/install.sh を実行してください）"
        )
    return found[-1]


def rewrite_lock(lock, local_wheels, cdn):
    """lock を書き換える：local_wheels（正規化名 → Path）はそのファイル名と本当の sha256、
    ほかはすべて cdn の下の絶対 URL（sha256 は Pyodide のものをそのまま）。"""
    lock = json.loads(json.dumps(lock))
    for key, package in lock["packages"].items():
        wheel = local_wheels.get(canonical(key))
        if wheel is not None:
            package["file_name"] = wheel.name
            package["sha256"] = sha256(wheel)
        else:
            package["file_name"] = cdn + package["file_name"]
    return lock


def _build_nnbook_wheel(dest):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-build-isolation",
                "--no-index",
                "--wheel-dir",
                str(dest),
                str(ROOT),
            ],
            check=True,
            cwd=tmp,
        )
    return next(Path(dest).glob("nnbook-*.whl"))


def _lite_notebook(source, dest):
    """章のノートブックを JupyterLite 用に写す：カーネルは Pyodide（python）にし、
    行のリストで保存された文字列（出力の text など）は 1 つの文字列にする（JupyterLite は
    ファイルをそのまま読むので、リストのままだと出力が「,」でつながって見える）。"""
    import nbformat

    nb = nbformat.reads(Path(source).read_text(encoding="utf-8"), as_version=4)
    nb["metadata"]["kernelspec"] = {
        "name": "python",
        "display_name": "Python (Pyodide)",
        "language": "python",
    }
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build(output_dir, chapters=None, root=ROOT):
    """JupyterLite を output_dir に組み立てる。chapters は "chapters/NAME" のリスト。"""
    if not (PYODIDE_DIR / "pyodide.mjs").is_file() or not WHEELS.is_dir():
        raise FileNotFoundError(
            f"{PYODIDE_DIR} か {WHEELS} がありません（bash scripts/install.sh を実行してください）"
        )
    version = pinned_pyodide_version()
    if version != kernel_pyodide_version():
        raise RuntimeError(
            f"lite/package.json の pyodide {version} が jupyterlite-pyodide-kernel の "
            f"{kernel_pyodide_version()} と違います"
        )
    chapters = lite_chapters() if chapters is None else chapters
    output_dir = Path(output_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="nnbook-lite-") as tmp:
        stage = Path(tmp)
        # Pyodide の実行環境と、カーネルの起動に要る wheel（lock を書き換える）
        pyodide = stage / "static" / "pyodide"
        pyodide.mkdir(parents=True)
        for name in RUNTIME_FILES:
            shutil.copy2(PYODIDE_DIR / name, pyodide / name)
        lock = read_lock()
        packages = {canonical(k): v for k, v in lock["packages"].items()}
        local = {}
        for name in closure(lock, KERNEL_PACKAGES):
            wheel = _find_wheel(name, packages[name]["version"])
            shutil.copy2(wheel, pyodide / wheel.name)
            local[name] = pyodide / wheel.name
        new_lock = rewrite_lock(lock, local, cdn_prefix(version))
        (pyodide / "pyodide-lock.json").write_text(json.dumps(new_lock), encoding="utf-8")
        # サイトのパッケージ置き場（piplite）：nnbook と、Pyodide にない純 Python の wheel
        index = stage / "wheels"
        index.mkdir()
        wheels = [_build_nnbook_wheel(index)]
        for requirement in wheel_requirements():
            name, _, pinned = requirement.partition("==")
            wheels.append(_find_wheel(name, pinned or None))
        # 章のノートブック
        contents = stage / "contents"
        for chapter in chapters:
            _lite_notebook(Path(root) / f"{chapter}.ipynb", contents / f"{chapter}.ipynb")
        # 設定：lite/ の 2 つの JSON に、ここで決まるパスを足す
        config = json.loads((LITE / "jupyter_lite_config.json").read_text(encoding="utf-8"))
        config["LiteBuildConfig"]["contents"] = [str(contents)]
        config["LiteBuildConfig"]["federated_extensions"] = [
            str(_find_wheel("jupyterlite-pyodide-kernel")),
            str(_find_wheel("jupyterlab-widgets")),
        ]
        config.setdefault("PipliteAddon", {})["piplite_urls"] = [str(w) for w in wheels]
        (stage / "jupyter_lite_config.json").write_text(json.dumps(config), encoding="utf-8")
        shutil.copy2(LITE / "jupyter-lite.json", stage / "jupyter-lite.json")
        if output_dir.exists():
            shutil.rmtree(output_dir)
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyterlite_core",
                "build",
                "--lite-dir",
                str(stage),
                "--output-dir",
                str(output_dir),
            ],
            cwd=stage,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"jupyter lite build に失敗しました:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
            )
    # graphviz の図を描く Graphviz の WebAssembly 版（nnbook.diagrams が読み込む）
    (output_dir / "static" / "viz").mkdir(parents=True, exist_ok=True)
    shutil.copy2(VIZ_JS, output_dir / "static" / "viz" / "viz.js")
    # Notebook の画面がカーネルの状態に合わせて切り替えるアイコン（JupyterLite にはない）
    favicons = output_dir / "static" / "favicons"
    favicons.mkdir(parents=True, exist_ok=True)
    for name in FAVICONS:
        shutil.copy2(output_dir / "notebooks" / "favicon.ico", favicons / name)
    # 使わないもの：ソースマップ、組み立て用の設定、古いブラウザ向けの SVG フォント
    for pattern in ("*.map", "rspack.config*.js", "build/fa-*.svg"):
        for junk in output_dir.glob(pattern if "/" in pattern else f"**/{pattern}"):
            junk.unlink()
    return output_dir


def size_on_disk(path):
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["prepare"]:
        prepare()
    elif argv[:1] == ["build"] and len(argv) == 2:
        out = build(argv[1])
        print(f"==> {out}: {size_on_disk(out) / 1e6:.1f} MB")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
