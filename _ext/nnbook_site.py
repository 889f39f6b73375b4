"""nnbook のサイト用の小さな Sphinx 拡張（_config.yml の sphinx.local_extensions で読み込む）。

Jupyter Book 1.0.4 の素のサイトがブラウザのコンソールに出すエラーや、日本語の検索・
オフライン表示の問題を、それぞれの原因のところで直す。

- **thebe**：講座は thebe を使わない（``launch_buttons.thebe: false``）のに、sphinx-thebe は
  設定用のインライン script（``const THEBE_JS_URL = ...``）をページに二重に入れ、
  ``Identifier 'THEBE_JS_URL' has already been declared`` になる。thebe が無効なときは
  sphinx-thebe のイベント処理を外し、その script と CSS をページから除く。
  ほかの script も同じものが二度入らないようにする。
- **テーマの表示モード**：pydata-sphinx-theme は ``default_mode`` が空だと
  ``Got invalid theme mode`` を出す。``html_context["default_mode"]`` の既定を light にする。
- **検索**：Sphinx の日本語検索は本文の複合語を見つけられないので、検索ページ
  （``search.html``）を Pagefind に置き換える（``_ext/templates/search.html``）。
  テーマの検索欄と Ctrl+K の検索はこのページへ送られる。本文だけを索引に入れるため、
  各ページの本文を ``data-pagefind-body`` で囲む。
- **数式**：MathJax 3 を CDN ではなくサイトの中から読み込む（オフラインでも数式が出る）。
  ``django-static-mathjax``（MathJax 3.2.2 の配布物そのもの）から必要なファイルだけを
  ``_static/mathjax/`` へ写す。入っていないときは Sphinx の既定（CDN）のまま。
- **ブラウザで実行**：第 I・II 部（``nnbook_lite_parts`` で始まる部）の章と、``nnbook_lite_chapters`` に
  挙げた章（NumPy だけの第 15 章）のページの起動ボタンに
  「ブラウザで実行」を足し、その章を JupyterLite（``_ext/nnbook_lite.py`` がサイトの ``lite/`` に
  組み立てる）で開く。JupyterLite はボタンを押したときだけ読み込まれる。ほかの章（Keras）には
  ボタンを付けず、理由を 1 文ページに書く。
- **graphviz の図**：``sphinx.ext.graphviz`` の SVG は ``<object>`` で埋め込まれ、代替テキストが
  スクリーンリーダーに届きにくい。``<img src="....svg" alt="...">`` で出す。
"""

import html
import importlib.util
import re
import shutil
from pathlib import Path

import nnbook_lite
from sphinx.util import logging

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent

#: MathJax の配布物のうちサイトに写すもの（es5/ からの相対パス）
MATHJAX_FILES = ["tex-mml-chtml.js", "input", "output/chtml", "ui", "a11y", "adaptors", "sre"]
MATHJAX_ENTRY = "tex-mml-chtml.js"

#: 本文を Pagefind の索引に入れないページ
NOT_INDEXED = {"search", "genindex"}


def _mathjax_dir():
    """django-static-mathjax の es5/ フォルダ（なければ None）。"""
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        es5 = Path(location) / "static" / "mathjax" / "es5"
        if (es5 / MATHJAX_ENTRY).is_file():
            return es5
    return None


def _thebe_enabled(app):
    launch = app.config.html_theme_options.get("launch_buttons", {}) or {}
    return bool(launch.get("thebe"))


def _on_config_inited(app, config):
    config.html_context.setdefault("default_mode", "light")
    templates = str(HERE / "templates")
    if templates not in config.templates_path:
        config.templates_path.insert(0, templates)
    if _mathjax_dir() is not None:
        config.mathjax_path = f"mathjax/{MATHJAX_ENTRY}"
    else:
        logger.info("nnbook_site: django-static-mathjax がないので MathJax は CDN から読み込みます")


def _on_builder_inited(app):
    if _thebe_enabled(app):
        return
    # thebe を使わないので、sphinx-thebe が script を足す処理とページに設定を埋める処理を外す
    for event in ("env-before-read-docs", "doctree-resolved"):
        for listener in list(app.events.listeners.get(event, [])):
            if getattr(listener.handler, "__module__", "").startswith("sphinx_thebe"):
                app.disconnect(listener.id)


def _is_thebe_asset(asset):
    name = str(getattr(asset, "filename", "") or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE_JS_URL" in body


def _dedupe(assets, drop_thebe):
    seen = set()
    kept = []
    for asset in assets:
        if drop_thebe and _is_thebe_asset(asset):
            continue
        key = (
            str(getattr(asset, "filename", asset)),
            tuple(sorted(getattr(asset, "attributes", {}).items())),
        )
        if key in seen:
            continue
        seen.add(key)
        kept.append(asset)
    return kept


#: 起動ボタンの文字と、ボタンのない章に書く文
LITE_BUTTON = "ブラウザで実行"
NO_LITE_NOTE = (
    '<p class="nnbook-no-lite">この章は TensorFlow（Keras）を使います。TensorFlow はブラウザの中の '
    "Python（Pyodide）では動かないので、この章には「ブラウザで実行」がありません。"
    "Colab か Binder で開いてください。</p>"
)


def _lite_pages(app):
    """「ブラウザで実行」を付ける章のページ名（_toc.yml の部の caption と nnbook_lite_chapters から）。"""
    if not app.config.nnbook_lite:
        return set()
    toc = Path(app.srcdir) / "_toc.yml"
    return set(
        nnbook_lite.lite_chapters(
            toc, tuple(app.config.nnbook_lite_parts), tuple(app.config.nnbook_lite_chapters)
        )
    )


def _add_lite_button(app, pagename, context):
    if not pagename.startswith("chapters/") or not app.config.nnbook_lite:
        return
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "launch-buttons"]
    if pagename not in _lite_pages(app):
        if groups and "body" in context:
            context["body"] = re.sub(r"(</h1>)", rf"\1\n{NO_LITE_NOTE}", context["body"], count=1)
        return
    for group in groups:
        group["buttons"].insert(
            0,
            {
                "type": "link",
                "text": LITE_BUTTON,
                "tooltip": "インストールなしで、この章をブラウザの中の Python（JupyterLite）で実行します",
                "icon": "fas fa-laptop-code",
                "url": nnbook_lite.launch_url(pagename),
                "label": "launch-lite",
            },
        )


def _on_html_page_context(app, pagename, templatename, context, doctree):
    drop_thebe = not _thebe_enabled(app)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = _dedupe(context[key], drop_thebe)
    _add_lite_button(app, pagename, context)
    if "body" in context and pagename not in NOT_INDEXED:
        context["body"] = f"<div data-pagefind-body>{context['body']}</div>"


def _visit_graphviz_as_img(self, node):
    """graphviz の図を <img>（SVG、代替テキスト付き）で出す。"""
    from docutils import nodes
    from sphinx.ext.graphviz import GraphvizError, render_dot

    fmt = self.builder.config.graphviz_output_format
    try:
        fname, _ = render_dot(
            self, node["code"], node["options"], fmt, "graphviz", node.get("filename")
        )
    except GraphvizError as exc:
        logger.warning("dot code %r: %s", node["code"], exc, location=node)
        raise nodes.SkipNode from exc
    alt = node.get("alt") or "ネットワークの図"
    classes = " ".join(["graphviz", *node.get("classes", [])])
    self.body.append(
        f'<div class="graphviz"><img src="{html.escape(fname)}" alt="{html.escape(alt)}" '
        f'class="{html.escape(classes)}" loading="lazy" /></div>\n'
    )
    raise nodes.SkipNode


def _on_build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    if app.config.nnbook_lite:
        chapters = sorted(_lite_pages(app))
        logger.info("nnbook_site: JupyterLite を組み立てます（%d 章）", len(chapters))
        out = nnbook_lite.build(Path(app.outdir) / nnbook_lite.LITE_DIR_NAME, chapters, app.srcdir)
        logger.info("nnbook_site: %s（%.1f MB）", out, nnbook_lite.size_on_disk(out) / 1e6)
    es5 = _mathjax_dir()
    if es5 is None:
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        source = es5 / name
        if source.is_dir():
            shutil.copytree(source, target / name, dirs_exist_ok=True)
        elif source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def setup(app):
    app.setup_extension("sphinx.ext.graphviz")
    from sphinx.ext.graphviz import graphviz

    app.add_node(graphviz, override=True, html=(_visit_graphviz_as_img, None))
    app.add_config_value("nnbook_lite", True, "html")
    app.add_config_value("nnbook_lite_parts", list(nnbook_lite.DEFAULT_PARTS), "html")
    app.add_config_value("nnbook_lite_chapters", list(nnbook_lite.DEFAULT_CHAPTERS), "html")
    app.connect("config-inited", _on_config_inited, priority=900)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("html-page-context", _on_html_page_context, priority=900)
    app.connect("build-finished", _on_build_finished)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
