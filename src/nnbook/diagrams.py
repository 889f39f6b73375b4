"""graphviz で描くネットワーク図と計算グラフの図。

日本語のラベルには CJK フォント（Debian/Ubuntu では ``fonts-noto-cjk``）が必要です。
図は ``graphviz.Digraph`` として返るので、ノートブックではそのまま SVG で表示されます。
"""

import re
from collections.abc import Mapping

import graphviz

__all__ = ["FONT", "layered_network", "layer_names", "computational_graph", "graph_edges"]

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
        例: 4 層なら ["入力層", "隠れ層 1", "隠れ層 2", "出力層"]。
    """
    from ._validation import (
        integer,
    )  # NumPy を使うので使うときに読む（ブラウザでは NumPy が CDN から来る）

    n_layers = integer("n_layers", n_layers, minimum=2)
    if n_layers == 3:
        return ["入力層", "隠れ層", "出力層"]
    hidden = [f"隠れ層 {i}" for i in range(1, n_layers - 1)]
    return ["入力層", *hidden, "出力層"]


def _node_label(layer, i, size, symbols):
    if symbols is None:
        return ""
    return f"{symbols[layer]}{i + 1}" if size > 1 else symbols[layer]


def _sizes(sizes):
    """各層のニューロン数（1 以上の整数が 2 つ以上並んだもの）を int のリストにする。"""
    from ._validation import (
        _asarray,
        integer,
    )  # NumPy を使うので使うときに読む（ブラウザでは NumPy が CDN から来る）

    if isinstance(sizes, (str, bytes, dict, set)) or _asarray(sizes, "sizes").ndim != 1:
        raise TypeError(f"sizes は各層のニューロン数を並べたリストかタプルです（{sizes!r}）")
    sizes = [integer(f"sizes[{i}]", s, minimum=1) for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes には 2 層以上が必要です（{sizes}）")
    return sizes


def _symbols(symbols, n_layers):
    """各層のノードの記号（文字列が n_layers 個）を調べる。None はそのまま。"""
    from ._validation import (
        text,
    )  # NumPy を使うので使うときに読む（ブラウザでは NumPy が CDN から来る）

    if symbols is None:
        return None
    if isinstance(symbols, str) or not isinstance(symbols, (list, tuple)):
        raise TypeError(f"symbols は各層の記号の文字列を並べたリストかタプルです（{symbols!r}）")
    if len(symbols) != n_layers:
        raise ValueError(f"symbols の長さ {len(symbols)} が層の数 {n_layers} と違います")
    return [text(f"symbols[{i}]", v) for i, v in enumerate(symbols)]


def layered_network(sizes, symbols=None, title=None, max_nodes=8):
    """層ごとのニューロン数から全結合ネットワークの図を作る。

    Parameters
    ----------
    sizes : sequence of int, 長さ L (L >= 2)
        各層のニューロン数。例: (2, 3, 2) は入力 2・隠れ層 3・出力 2。
    symbols : sequence of str, 長さ L, optional
        各層のノードに付ける記号（例: ("x", "a", "y") → x1, x2, ...）。
    title : str, optional
        図の上に書く見出し。
    max_nodes : int
        1 層に描くノードの上限（3 以上）。これより多い層は「…」で省略する。

    Returns
    -------
    graphviz.Digraph
        左から右へ流れる図。``source`` 属性で DOT 言語の文字列を取り出せる。
    """
    from ._validation import (
        integer,
        text,
    )  # NumPy を使うので使うときに読む（ブラウザでは NumPy が CDN から来る）

    sizes = _sizes(sizes)
    symbols = _symbols(symbols, len(sizes))
    text("title", title, optional=True)
    max_nodes = integer("max_nodes", max_nodes, minimum=3)

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


#: 計算グラフの図で、順伝播の値と逆伝播の勾配に使う色（Okabe–Ito の黒と朱色）
FORWARD_COLOR = "#000000"
BACKWARD_COLOR = "#D55E00"


def _value_text(v):
    """辺に書く値の文字列（数は 4 桁の有効数字、None は空）。"""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__float__"):
        raise TypeError(f"辺の値は数か文字列である必要があります（{v!r}）")
    return f"{float(v):.4g}"


def _html(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_EDGE = "(始点, 終点, 順伝播の値, 逆伝播の勾配) の 4 つ組"


def _edges(edges):
    """edges を 4 つ組の tuple のリストにする（どの辺が悪いかを edges[i] で名指しする）。"""
    if not isinstance(edges, (list, tuple)):
        raise TypeError(f"edges は{_EDGE}のリストです（{type(edges).__name__} の {edges!r}）")
    if not edges:
        raise ValueError("edges が空です（辺を 1 本以上渡してください）")
    checked = []
    for i, e in enumerate(edges):
        if not isinstance(e, (list, tuple)):
            raise TypeError(f"edges[{i}] は{_EDGE}です（{type(e).__name__} の {e!r}）")
        if len(e) != 4:
            raise ValueError(f"edges[{i}] は{_EDGE}です（{len(e)} 個の {e!r}）")
        if not all(isinstance(n, str) and n for n in e[:2]):
            raise TypeError(f"edges[{i}] の始点と終点は空でない文字列です（{tuple(e[:2])!r}）")
        for v in e[2:]:
            try:
                _value_text(v)
            except TypeError:
                raise TypeError(
                    f"edges[{i}] の値と勾配は数・文字列・None のどれかです（{v!r}）"
                ) from None
        checked.append(tuple(e))
    return checked


def _names_to_text(name, mapping):
    """ノードの名前 → 表示する文字列の dict（ops・labels）を調べて dict にする。"""
    if not isinstance(mapping, Mapping):
        raise TypeError(
            f"{name} はノードの名前 → 文字列の dict です（{type(mapping).__name__} の {mapping!r}）"
        )
    for key, value in mapping.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(f"{name} のキーと値は文字列です（{key!r}: {value!r}）")
    return dict(mapping)


def computational_graph(edges, ops, labels=None, title=None):
    """小さな計算グラフの図を作る（順伝播の値を辺の上、逆伝播の勾配を辺の下に書く）。

    演算のノードは丸、入力や出力の変数は文字だけで描きます。各辺の途中に
    順伝播の値（黒）と逆伝播の勾配（朱色）を上下に並べて書きます。

    Parameters
    ----------
    edges : sequence of tuple, 長さ E
        ``(始点, 終点, 順伝播の値, 逆伝播の勾配)``。値は数（4 桁で表示）、文字列、
        または None（書かない）。始点・終点はノードの名前（``ops`` か ``labels`` のキー、
        またはそのまま表示する変数名）。
    ops : mapping of str to str
        演算のノードの名前 → 丸の中に書く記号（例: ``{"mul": "×", "add": "+"}``）。
    labels : mapping of str to str, optional
        変数のノードの名前 → 表示する文字列（省略すると名前そのもの）。
    title : str, optional
        図の上に書く見出し。

    Returns
    -------
    graphviz.Digraph
        左から右へ流れる図。辺 (u, v) は ``u -> u__v -> v`` の 2 本の線として描く
        （``u__v`` が値を書く中継点）。
    """
    from ._validation import text  # NumPy を使うので使うときに読む（layer_names と同じ）

    edges = _edges(edges)
    ops = _names_to_text("ops", ops)
    labels = _names_to_text("labels", {} if labels is None else labels)
    text("title", title, optional=True)
    clash = set(ops) & set(labels)
    if clash:
        raise ValueError(f"{sorted(clash)} が ops と labels の両方にあります")
    pairs = [(u, v) for u, v, _, _ in edges]
    if len(set(pairs)) != len(pairs):
        raise ValueError("edges に同じ始点と終点の辺が 2 本以上あります")

    g = graphviz.Digraph(
        graph_attr={
            "rankdir": "LR",
            "fontname": FONT,
            "bgcolor": "transparent",
            "nodesep": "0.35",
            "ranksep": "0.25",
        }
    )
    g.attr("node", fontname=FONT, fontsize="13")
    g.attr("edge", fontname=FONT, color="#555555", arrowsize="0.6")
    if title:
        g.attr(label=title, labelloc="t", fontsize="14")
    names = []
    for u, v in pairs:
        names += [n for n in (u, v) if n not in names]
    for n in names:
        if n in ops:
            symbol = ops[n]
            g.node(
                n,
                symbol,
                shape="circle",
                style="filled",
                fillcolor="#F0E442",
                # 短い記号は同じ大きさの丸にそろえ、長い名前（Softmax など）は丸を広げる
                fixedsize="true" if len(symbol) <= 3 else "false",
                width="0.5",
                fontsize="16" if len(symbol) <= 3 else "12",
                margin="0.02",
            )
        else:
            g.node(n, labels.get(n, n), shape="plaintext")
    for u, v, fwd, bwd in edges:
        mid = f"{u}__{v}"
        top = _html(_value_text(fwd)) or " "
        bottom = _html(_value_text(bwd)) or " "
        label = (
            '<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
            f'<TR><TD><FONT COLOR="{FORWARD_COLOR}">{top}</FONT></TD></TR>'
            '<TR><TD HEIGHT="6"></TD></TR>'
            f'<TR><TD><FONT COLOR="{BACKWARD_COLOR}">{bottom}</FONT></TD></TR></TABLE>>'
        )
        g.node(mid, label, shape="plaintext", fontsize="12", margin="0")
        g.edge(u, mid, arrowhead="none", headclip="false")
        g.edge(mid, v, tailclip="false")
    return g


def graph_edges(g):
    """``computational_graph`` の図から、計算グラフの辺 (始点, 終点) の一覧を取り出す。

    Parameters
    ----------
    g : graphviz.Digraph
        ``computational_graph`` が返した図。

    Returns
    -------
    list of tuple of str
        図に描いた順の (始点, 終点)。中継点（値を書く点）は含まない。
    """
    if not isinstance(g, graphviz.Digraph):
        raise TypeError(
            f"g は computational_graph が返した graphviz.Digraph です（{type(g).__name__} の {g!r}）"
        )
    pattern = r'^\t"?([^"\t]+?)"? -> "?([^"\t]+?)"? \['
    raw = re.findall(pattern, g.source, flags=re.M)
    prefix = [(u, mid) for u, mid in raw if mid.startswith(f"{u}__")]
    return [(u, mid[len(u) + 2 :]) for u, mid in prefix]


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
