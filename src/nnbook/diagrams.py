"""graphviz で描くネットワーク図。

日本語のラベルには CJK フォント（Debian/Ubuntu では ``fonts-noto-cjk``）が必要です。
図は ``graphviz.Digraph`` として返るので、ノートブックではそのまま SVG で表示されます。
"""

import graphviz

__all__ = ["FONT", "layered_network", "layer_names"]

#: ノードと辺に使うフォント（fonts-noto-cjk に含まれる）
FONT = "Noto Sans CJK JP"

_COLORS = {"input": "#56B4E9", "hidden": "#E69F00", "output": "#009E73"}


def layer_names(n_layers):
    """層の数から日本語の層の名前を作る。

    Parameters
    ----------
    n_layers : int
        入力層と出力層を含む層の数（2 以上）。

    Returns
    -------
    list of str, 長さ n_layers
        例: 4 層なら ["入力層", "中間層 1", "中間層 2", "出力層"]。
    """
    if n_layers < 2:
        raise ValueError(f"層は入力層と出力層の 2 つ以上必要です（{n_layers}）")
    if n_layers == 3:
        return ["入力層", "中間層", "出力層"]
    hidden = [f"中間層 {i}" for i in range(1, n_layers - 1)]
    return ["入力層", *hidden, "出力層"]


def _node_label(layer, i, size, symbols):
    if symbols is None:
        return ""
    return f"{symbols[layer]}{i + 1}" if size > 1 else symbols[layer]


def layered_network(sizes, symbols=None, title=None, max_nodes=8):
    """層ごとのニューロン数から全結合ネットワークの図を作る。

    Parameters
    ----------
    sizes : sequence of int, 長さ L (L >= 2)
        各層のニューロン数。例: (2, 3, 2) は入力 2・中間 3・出力 2。
    symbols : sequence of str, 長さ L, optional
        各層のノードに付ける記号（例: ("x", "a", "y") → x1, x2, ...）。
    title : str, optional
        図の上に書く見出し。
    max_nodes : int
        1 層に描くノードの上限。これより多い層は「…」で省略する。

    Returns
    -------
    graphviz.Digraph
        左から右へ流れる図。``source`` 属性で DOT 言語の文字列を取り出せる。
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"sizes には 2 層以上が必要です（{sizes}）")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, int):
            raise TypeError(f"層のニューロン数は整数である必要があります（{s!r}）")
        if s < 1:
            raise ValueError(f"層のニューロン数は 1 以上である必要があります（{sizes}）")
    if symbols is not None and len(symbols) != len(sizes):
        raise ValueError(f"symbols の長さ {len(symbols)} が層の数 {len(sizes)} と違います")

    names = layer_names(len(sizes))
    # 位置を固定して描く（neato + pos）。ノードの並びが番号順のまま崩れない。
    g = graphviz.Digraph(
        engine="neato", graph_attr={"splines": "line", "fontname": FONT, "bgcolor": "transparent"}
    )
    g.attr(
        "node",
        shape="circle",
        style="filled",
        fontname=FONT,
        fixedsize="true",
        width="0.45",
        fontsize="11",
    )
    g.attr("edge", arrowsize="0.4", color="#555555", fontname=FONT)
    if title:
        g.attr(label=title, labelloc="t", fontsize="14")

    dx, dy = 1.8, 0.7
    n_rows = min(max(sizes), max_nodes)
    layers = []
    for layer, size in enumerate(sizes):
        kind = "input" if layer == 0 else "output" if layer == len(sizes) - 1 else "hidden"
        shown = list(range(size)) if size <= max_nodes else [*range(max_nodes - 2), None, size - 1]
        top = (len(shown) - 1) * dy / 2
        x = layer * dx
        g.node(
            f"L{layer}_label",
            f"{names[layer]}\n({size})",
            shape="plaintext",
            style="",
            fixedsize="false",
            fontsize="12",
            pos=f"{x},{(n_rows - 1) * dy / 2 + 0.8}!",
        )
        ids = []
        for row, i in enumerate(shown):
            y = top - row * dy
            if i is None:
                g.node(f"L{layer}_more", "⋮", shape="plaintext", style="", pos=f"{x},{y}!")
                continue
            node_id = f"L{layer}_{i}"
            g.node(
                node_id,
                _node_label(layer, i, size, symbols),
                fillcolor=_COLORS[kind],
                pos=f"{x},{y}!",
            )
            ids.append(node_id)
        layers.append(ids)

    for left, right in zip(layers, layers[1:]):
        for a in left:
            for b in right:
                g.edge(a, b)
    return g


# ---- ブラウザの中の Python（JupyterLite の Pyodide）：dot がないので Graphviz の WebAssembly 版で描く ----

#: サイトの JupyterLite に置いた @viz-js/viz（Notebook の画面 lite/notebooks/ からの相対パス）
VIZ_JS_URL = "../static/viz/viz.js"


def in_browser():
    """ブラウザの中の Python（Pyodide。``sys.platform == "emscripten"``）で動いているか。"""
    import sys

    return sys.platform == "emscripten"


def browser_html(source, engine="dot"):
    """DOT 言語の図を、ブラウザが Graphviz の WebAssembly 版（@viz-js/viz）で描く HTML にする。

    Parameters
    ----------
    source : str
        DOT 言語の文字列（``graphviz.Digraph.source``）。
    engine : str
        レイアウトのエンジン（"dot"、"neato" など。``graphviz.Digraph.engine``）。

    Returns
    -------
    str
        ``<div>`` と、そこに SVG を描く ``<script type="module">``。
    """
    import json
    import uuid

    if not isinstance(source, str) or not isinstance(engine, str):
        raise TypeError("source と engine は文字列である必要があります")
    element = f"nnbook-graphviz-{uuid.uuid4().hex}"
    script_data = json.dumps({"source": source, "engine": engine, "url": VIZ_JS_URL})
    script_data = script_data.replace("</", "<\\/")
    return (
        f'<div id="{element}" class="nnbook-graphviz" role="img" aria-label="graphviz の図"></div>\n'
        '<script type="module">\n'
        f"const data = {script_data};\n"
        f'const element = document.getElementById("{element}");\n'
        "try {\n"
        "  const viz = await (await import(new URL(data.url, location.href))).instance();\n"
        "  element.appendChild(viz.renderSVGElement(data.source, { engine: data.engine }));\n"
        "} catch (error) {\n"
        '  element.textContent = "図を描けませんでした（Graphviz の WebAssembly 版）: " + error;\n'
        "}\n"
        "</script>"
    )


def _browser_mimebundle(self, include=None, exclude=None, **_):
    return {"text/html": browser_html(self.source, self.engine)}


def use_browser_rendering():
    """graphviz の図をノートブックで表示するとき、dot の代わりにブラウザで描くようにする。"""
    from graphviz.jupyter_integration import JupyterIntegration

    JupyterIntegration._repr_mimebundle_ = _browser_mimebundle


if in_browser():
    use_browser_rendering()
