"""graphviz で描くネットワーク図。

日本語のラベルには CJK フォント（Debian/Ubuntu では ``fonts-noto-cjk``）が必要です。
図は ``graphviz.Digraph`` として返るので、ノートブックではそのまま SVG で表示されます。
"""

import graphviz

from ._validation import _asarray, integer, text

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
    n_layers = integer("n_layers", n_layers, minimum=2)
    if n_layers == 3:
        return ["入力層", "中間層", "出力層"]
    hidden = [f"中間層 {i}" for i in range(1, n_layers - 1)]
    return ["入力層", *hidden, "出力層"]


def _node_label(layer, i, size, symbols):
    if symbols is None:
        return ""
    return f"{symbols[layer]}{i + 1}" if size > 1 else symbols[layer]


def _sizes(sizes):
    """各層のニューロン数（1 以上の整数が 2 つ以上並んだもの）を int のリストにする。"""
    if isinstance(sizes, (str, bytes, dict, set)) or _asarray(sizes, "sizes").ndim != 1:
        raise TypeError(f"sizes は各層のニューロン数を並べたリストかタプルです（{sizes!r}）")
    sizes = [integer(f"sizes[{i}]", s, minimum=1) for i, s in enumerate(sizes)]
    if len(sizes) < 2:
        raise ValueError(f"sizes には 2 層以上が必要です（{sizes}）")
    return sizes


def _symbols(symbols, n_layers):
    """各層のノードの記号（文字列が n_layers 個）を調べる。None はそのまま。"""
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
        各層のニューロン数。例: (2, 3, 2) は入力 2・中間 3・出力 2。
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
