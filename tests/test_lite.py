"""「ブラウザで実行」（JupyterLite）のテスト。ネットワークなしで確かめられることすべて。

- 組版したサイトの lite/：設定がサイトの中の Pyodide を指すこと、lock のどの項目もサイトの
  ファイル（本当の sha256）か固定した版の CDN の URL であること、Pyodide の版がカーネルの
  前提と同じこと、起動ボタンが第 I・II 部の章にだけあり、JupyterLite の中の章を開くこと、大きさ
- ブラウザの中の Python（``sys.platform == "emscripten"``）だけで通る道：ブートストラップセル、
  nnbook.diagrams（dot の代わりに @viz-js/viz）、nnbook.animation（ffmpeg の代わりに jshtml）

ブラウザで実際にカーネルを動かすテストは tests/test_browser.py、CDN から NumPy などを読んで
全章を実行するテストはインターネットのある latest ワークフローで動く（NNBOOK_LITE_ONLINE）。
"""

import hashlib
import importlib.util
import json
import re
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from conftest import ROOT

CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
PARTS = tuple(CONFIG["sphinx"]["config"]["nnbook_lite_parts"])
CHOSEN = tuple(CONFIG["sphinx"]["config"].get("nnbook_lite_chapters", ()))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
ALL_CHAPTERS = [
    ch["file"]
    for part in TOC["parts"]
    for ch in part["chapters"]
    if ch["file"].startswith("chapters/")
]
LITE_CHAPTERS = [
    ch["file"]
    for part in TOC["parts"]
    for ch in part["chapters"]
    if part["caption"].startswith(PARTS) or ch["file"] in CHOSEN
]
PYODIDE_PIN = json.loads((ROOT / "lite" / "package.json").read_text(encoding="utf-8"))[
    "dependencies"
]["pyodide"]
CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_PIN}/full/"
MAX_BYTES = 45_000_000


def _module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nnbook_lite = _module("nnbook_lite_under_test", ROOT / "_ext" / "nnbook_lite.py")
set_repository = _module("set_repository_under_test", ROOT / "scripts" / "set_repository.py")


@pytest.fixture(scope="module")
def lite(built_site):
    html, _ = built_site
    lite = html / "lite"
    assert (lite / "notebooks" / "index.html").is_file(), "サイトに JupyterLite がありません"
    return lite


def _json(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _kernel_settings(lite):
    config = _json(lite / "jupyter-lite.json")["jupyter-config-data"]
    return config["litePluginSettings"][nnbook_lite.KERNEL_PLUGIN]


# ---------------------------------------------------------------- 組版したサイト


def test_the_part_1_and_2_chapters_come_from_the_toc():
    assert PARTS, "_config.yml の nnbook_lite_parts が空です"
    assert "chapters/01_perceptron" in LITE_CHAPTERS
    assert nnbook_lite.lite_chapters(ROOT / "_toc.yml", PARTS, CHOSEN) == LITE_CHAPTERS
    keras = [c for c in ALL_CHAPTERS if "keras" in c]
    assert keras and not set(keras) & set(LITE_CHAPTERS), "Keras の章はブラウザでは動きません"


def test_chosen_chapters_are_in_the_toc_and_in_the_lite_build():
    assert tuple(nnbook_lite.DEFAULT_CHAPTERS) == CHOSEN, "既定値と _config.yml を同じに"
    for name in CHOSEN:
        assert name in ALL_CHAPTERS and name in LITE_CHAPTERS, name
    with pytest.raises(ValueError, match="_toc.yml にありません"):
        nnbook_lite.lite_chapters(ROOT / "_toc.yml", PARTS, ("chapters/99_missing",))
    # 部を 1 つも選ばなくても、挙げた章だけが入る
    assert nnbook_lite.lite_chapters(ROOT / "_toc.yml", (), CHOSEN) == list(CHOSEN)


@pytest.mark.parametrize("name", LITE_CHAPTERS)
def test_lite_chapters_do_not_import_tensorflow(name):
    nb = _json(ROOT / f"{name}.ipynb")
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert not re.search(r"\b(tensorflow|keras|keras_utils)\b", code), (
        f"{name}: ブラウザで実行する章が TensorFlow（Keras）を使っています"
    )


def test_config_points_at_the_local_pyodide_runtime(lite):
    settings = _kernel_settings(lite)
    assert settings["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    for name in nnbook_lite.RUNTIME_FILES:
        assert (lite / "static" / "pyodide" / name).is_file(), f"{name} がサイトにありません"
    assert settings["disablePyPIFallback"] is True, "PyPI へ取りに行かないこと"
    for url in settings["pipliteUrls"]:
        assert url.startswith("./"), url
        assert (lite / urlsplit(url).path).is_file(), url
    for config in lite.rglob("jupyter-lite.json"):
        text = config.read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net" not in text and 'pyodideUrl": "http' not in text, config


def test_every_lock_entry_is_local_with_its_real_hash_or_under_the_pinned_cdn(lite):
    pyodide = lite / "static" / "pyodide"
    lock = _json(pyodide / "pyodide-lock.json")
    local, remote = [], []
    for name, package in lock["packages"].items():
        file_name = package["file_name"]
        if file_name.startswith(("http://", "https://", "//")):
            assert file_name.startswith(CDN) and ".." not in file_name, f"{name}: {file_name}"
            remote.append(name)
        else:
            path = pyodide / file_name
            assert path.is_file(), f"{name}: {file_name} がサイトにありません"
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            assert digest == package["sha256"], f"{name}: sha256 が違います"
            local.append(nnbook_lite.canonical(name))
    # カーネルの起動に要るものはサイトに、NumPy などは CDN に
    assert set(nnbook_lite.closure(lock, nnbook_lite.KERNEL_PACKAGES)) <= set(local)
    assert {"numpy", "matplotlib", "scikit-learn"} <= {nnbook_lite.canonical(n) for n in remote}


def test_pinned_pyodide_is_the_version_the_kernel_package_expects():
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    assert PYODIDE_PIN == PYODIDE_VERSION
    npm_lock = _json(ROOT / "lite" / "package-lock.json")
    assert npm_lock["packages"]["node_modules/pyodide"]["version"] == PYODIDE_VERSION
    installed = ROOT / "lite" / "node_modules" / "pyodide" / "package.json"
    if installed.is_file():
        assert _json(installed)["version"] == PYODIDE_VERSION
    dev = (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
    from importlib.metadata import version

    pin = re.search(r"^jupyterlite-pyodide-kernel==(\S+)", dev, flags=re.M)
    assert pin and pin.group(1) == version("jupyterlite-pyodide-kernel")


class _LaunchLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lite = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "btn-launch-lite" in (attrs.get("class") or ""):
            self.lite.append(attrs["href"])


@pytest.mark.parametrize("name", ALL_CHAPTERS)
def test_launch_button_exactly_on_part_1_and_2_chapters(built_site, lite, name):
    html, _ = built_site
    page = html / f"{name}.html"
    parser = _LaunchLinks()
    text = page.read_text(encoding="utf-8")
    parser.feed(text)
    if name not in LITE_CHAPTERS:
        assert parser.lite == [], f"{name}: Keras の章に「ブラウザで実行」があります"
        assert "nnbook-no-lite" in text and "ブラウザで実行" in text, (
            f"{name}: ブラウザで実行できない理由の文がありません"
        )
        return
    assert len(parser.lite) == 1, f"{name}: 「ブラウザで実行」のボタンがありません"
    assert "ブラウザで実行" in text
    url = urlsplit(parser.lite[0])
    assert (page.parent / unquote(url.path)).resolve() == (lite / "notebooks" / "index.html")
    path = parse_qs(url.query)["path"][0]
    assert path == f"{name}.ipynb"
    notebook = lite / "files" / path
    assert notebook.is_file(), f"{path} が JupyterLite の中にありません"
    listing = _json(lite / "api" / "contents" / Path(path).parent / "all.json")
    assert path in [item["path"] for item in listing["content"]]
    assert _json(notebook)["metadata"]["kernelspec"]["name"] == "python", "カーネルは Pyodide"


@pytest.mark.parametrize("name", LITE_CHAPTERS)
def test_chapter_page_loads_nothing_of_jupyterlite(built_site, name):
    html, _ = built_site
    text = (html / f"{name}.html").read_text(encoding="utf-8")
    assert not re.search(r'<(script|link)[^>]+(src|href)="[^"]*lite/', text), (
        f"{name}: 章のページが JupyterLite のファイルを読み込んでいます"
    )


@pytest.mark.parametrize("name", LITE_CHAPTERS)
def test_lite_notebook_starts_with_the_bootstrap_template(lite, name):
    nb = _json(lite / "files" / f"{name}.ipynb")
    # JupyterLite はファイルをそのまま読むので、行のリストではなく 1 つの文字列で置く
    for cell in nb["cells"]:
        assert isinstance(cell["source"], str)
        for output in cell.get("outputs", []):
            assert isinstance(output.get("text", ""), str), f"{name}: 出力の text がリスト"
    first = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "".join(first["source"]) == set_repository.bootstrap_source(), (
        f"{name}: ブートストラップがひな形と違います（scripts/set_repository.py を実行）"
    )


def test_site_index_has_nnbook_and_the_wheels_pyodide_lacks(lite):
    index = _json(lite / "pypi" / "all.json")
    names = {nnbook_lite.canonical(n) for n in index}
    wanted = {"nnbook", "matplotlib-fontja", "graphviz", "ipywidgets", "comm"}
    assert wanted <= names, wanted - names
    for releases in index.values():
        for files in releases["releases"].values():
            for entry in files:
                path = lite / "pypi" / entry["filename"]
                assert path.is_file()
                assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["digests"]["sha256"]
                assert entry["filename"].endswith("-none-any.whl"), "純 Python の wheel だけ"


def test_japanese_font_ships_inside_the_fontja_wheel(lite):
    wheel = next((lite / "pypi").glob("matplotlib_fontja-*.whl"))
    fonts = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith((".ttf", ".otf"))]
    assert fonts, "matplotlib-fontja の wheel にフォントがありません（図が豆腐になる）"


def test_only_the_notebook_app_and_the_used_extensions(lite):
    for app in ("lab", "tree", "repl", "consoles", "edit"):
        assert not (lite / app / "index.html").exists(), f"使わない {app} が入っています"
    extensions = {
        p.parent.relative_to(lite / "extensions").as_posix()
        for p in (lite / "extensions").glob("**/package.json")
    }
    assert extensions == {
        "@jupyterlite/pyodide-kernel-extension",
        "@jupyter-widgets/jupyterlab-manager",
    }
    assert (lite / "static" / "viz" / "viz.js").is_file(), "Graphviz の WebAssembly 版がありません"


def test_lite_part_is_at_most_45_mb_without_source_maps(lite):
    assert not list(lite.rglob("*.map")), "ソースマップは置かない"
    size = nnbook_lite.size_on_disk(lite)
    assert size <= MAX_BYTES, f"lite/ が {size / 1e6:.1f} MB"


# ---------------------------------------------------------------- 組み立ての部品


def test_rewrite_lock_keeps_local_hashes_real_and_sends_the_rest_to_the_cdn(tmp_path):
    wheel = tmp_path / "micropip-0.11.1-py3-none-any.whl"
    wheel.write_bytes(b"not the same bytes as pyodide's build")
    lock = {
        "info": {},
        "packages": {
            "micropip": {"file_name": "micropip-0.11.1-py3-none-any.whl", "sha256": "0" * 64},
            "numpy": {"file_name": "numpy-2.4.6-cp314.whl", "sha256": "1" * 64},
        },
    }
    new = nnbook_lite.rewrite_lock(lock, {"micropip": wheel}, CDN)
    assert new["packages"]["micropip"]["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert new["packages"]["numpy"] == {
        "file_name": CDN + "numpy-2.4.6-cp314.whl",
        "sha256": "1" * 64,
    }
    assert lock["packages"]["numpy"]["file_name"] == "numpy-2.4.6-cp314.whl", "元の lock は変えない"


def test_launch_url_is_relative_to_the_page():
    assert nnbook_lite.launch_url("chapters/01_perceptron") == (
        "../lite/notebooks/index.html?path=chapters/01_perceptron.ipynb"
    )


def test_new_chapters_in_part_2_get_the_button_without_code_changes(tmp_path):
    toc = dict(TOC)
    toc["parts"] = [dict(p) for p in TOC["parts"]]
    part2 = next(p for p in toc["parts"] if p["caption"].startswith(PARTS[-1]))
    part2["chapters"] = [*part2["chapters"], {"file": "chapters/99_new_chapter"}]
    path = tmp_path / "_toc.yml"
    path.write_text(yaml.safe_dump(toc, allow_unicode=True), encoding="utf-8")
    assert "chapters/99_new_chapter" in nnbook_lite.lite_chapters(path, PARTS)


# ---------------------------------------------------------------- ブラウザの中の Python の道


class _FakeShell:
    def __init__(self):
        self.magics = []

    def run_line_magic(self, name, line):
        self.magics.append((name, line))


def _run_bootstrap(monkeypatch, platform, colab=False):
    from IPython.core.inputtransformer2 import TransformerManager

    code = TransformerManager().transform_cell(set_repository.bootstrap_source())
    shell = _FakeShell()
    monkeypatch.setattr(sys, "platform", platform)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(code, {"get_ipython": lambda: shell})
    return shell.magics


def test_bootstrap_installs_nnbook_from_the_site_index_in_pyodide(monkeypatch):
    magics = _run_bootstrap(monkeypatch, "emscripten")
    assert magics == [("pip", "install nnbook ipywidgets")], magics


def test_bootstrap_installs_from_the_repository_in_colab(monkeypatch):
    url = set_repository.repository_url()
    magics = _run_bootstrap(monkeypatch, "linux", colab=True)
    assert magics == [("pip", f'install --quiet "nnbook @ git+{url}"')]


def test_bootstrap_does_nothing_elsewhere(monkeypatch):
    assert _run_bootstrap(monkeypatch, "linux") == []


def test_diagrams_render_with_viz_js_instead_of_dot_in_pyodide(monkeypatch):
    import graphviz
    from graphviz.jupyter_integration import JupyterIntegration

    import nnbook.diagrams

    # 元に戻せるように、先に今の表示の仕方を monkeypatch に覚えさせる
    monkeypatch.setattr(
        JupyterIntegration, "_repr_mimebundle_", JupyterIntegration._repr_mimebundle_
    )
    monkeypatch.setattr(sys, "platform", "emscripten")
    _module("nnbook.diagrams_in_pyodide", Path(nnbook.diagrams.__file__))  # import 時に切り替わる

    def no_dot(*args, **kwargs):
        raise AssertionError("ブラウザには dot がありません")

    monkeypatch.setattr(graphviz.backend.execute, "run_check", no_dot)
    g = nnbook.diagrams.layered_network((2, 3, 1), title="テスト")
    bundle = g._repr_mimebundle_()
    assert list(bundle) == ["text/html"]
    html = bundle["text/html"]
    assert nnbook.diagrams.VIZ_JS_URL in html and '"engine": "neato"' in html
    assert json.dumps(g.source, ensure_ascii=True).replace("</", "<\\/") in html
    assert "</script>" not in html.split("<script", 1)[1].split("</script>")[0]


def test_diagrams_keep_dot_outside_pyodide():
    import nnbook.diagrams

    assert not nnbook.diagrams.in_browser()
    with pytest.raises(TypeError, match="source"):
        nnbook.diagrams.browser_html(None)


def _tiny_animation(n_frames=4):
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np

    import nnbook.animation

    x = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    t = np.array([0, 1, 1, 0])
    anim, _ = nnbook.animation.animate_training(
        lambda i: None, lambda p: (p[:, 0] > 0.5).astype(int), x, t, n_frames, resolution=10
    )
    return anim


def test_animation_falls_back_to_jshtml_without_ffmpeg_in_pyodide(monkeypatch):
    import nnbook.animation

    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(nnbook.animation.writers, "is_available", lambda name: False)
    html = nnbook.animation.to_html_video(_tiny_animation(4), "テストの 動画")
    assert 'aria-label="テストの 動画"' in html.data
    assert "<video" not in html.data and "data:image/png;base64" in html.data
    assert nnbook.animation.video_frame_count(html) == 4


def test_animation_still_asks_for_ffmpeg_outside_pyodide(monkeypatch):
    import nnbook.animation

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(nnbook.animation.writers, "is_available", lambda name: False)
    anim = _tiny_animation(2)
    with pytest.raises(RuntimeError, match="ffmpeg"):
        nnbook.animation.to_html_video(anim, "説明")
    anim._draw_was_started = True  # 描かずに捨てる警告を出さない（描けないことを確かめたので）
