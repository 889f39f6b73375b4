import re

import numpy as np
import pytest

from nnbook.diagrams import (
    BACKWARD_COLOR,
    FONT,
    computational_graph,
    graph_edges,
    layer_names,
    layered_network,
)


def _edges(g):
    return re.findall(r"(L\d+_\d+) -> (L\d+_\d+)", g.source)


def test_layer_names():
    assert layer_names(2) == ["入力層", "出力層"]
    assert layer_names(3) == ["入力層", "隠れ層", "出力層"]
    assert layer_names(4) == ["入力層", "隠れ層 1", "隠れ層 2", "出力層"]


def test_layered_network_says_hidden_layer_not_middle_layer():
    source = layered_network((2, 3, 3, 1)).source
    assert "隠れ層 1" in source and "隠れ層 2" in source
    assert "中間層" not in source


def test_fully_connected_edges_between_adjacent_layers():
    g = layered_network((2, 3, 2, 2), symbols=("x", "a", "b", "y"))
    assert len(_edges(g)) == 2 * 3 + 3 * 2 + 2 * 2
    assert "入力層" in g.source and "出力層" in g.source
    assert f'fontname="{FONT}"' in g.source
    assert "label=x1" in g.source and "label=y2" in g.source


def test_large_layers_are_abbreviated():
    g = layered_network((64, 50, 10), max_nodes=8)
    assert "⋮" in g.source
    assert "(64)" in g.source


def test_renders_svg_with_japanese_labels():
    svg = layered_network((2, 3, 1)).pipe(format="svg").decode()
    assert "<svg" in svg and "入力層" in svg


@pytest.mark.parametrize(
    ("sizes", "error"),
    [((3,), ValueError), ((2, 0), ValueError), ((2, 1.5), TypeError), ((2, True), TypeError)],
)
def test_bad_sizes(sizes, error):
    with pytest.raises(error):
        layered_network(sizes)


def test_symbols_must_match_layers():
    with pytest.raises(ValueError, match="symbols"):
        layered_network((2, 2), symbols=("x",))


SHOPPING = [
    ("値段", "mul", 150, 2.2),
    ("個数", "mul", 2, 330),
    ("mul", "tax", 300, 1.1),
    ("税率", "tax", 1.1, 300),
    ("tax", "支払額", 330, 1),
]


def test_computational_graph_nodes_and_edges():
    g = computational_graph(SHOPPING, ops={"mul": "×", "tax": "×"}, title="買い物")
    src = g.source
    # 演算は丸、変数は文字だけ
    assert src.count("shape=circle") == 2
    assert graph_edges(g) == [(u, v) for u, v, _, _ in SHOPPING]
    assert "買い物" in src and f'fontname="{FONT}"' in src


def test_computational_graph_writes_forward_above_and_gradient_below():
    g = computational_graph([("x", "exp", 0.5, "1.649")], ops={"exp": "exp"})
    src = g.source
    top, bottom = src.index(">0.5<"), src.index(">1.649<")
    assert top < bottom, "順伝播の値が上の行、勾配が下の行"
    assert BACKWARD_COLOR in src[bottom - 40 : bottom]


def test_computational_graph_formats_numbers_and_skips_none():
    src = computational_graph([("x", "y", 1 / 3, None)], ops={}).source
    assert ">0.3333<" in src
    assert src.count("<TD><FONT") == 2  # 上下 2 行は必ずある（下の行は空白）


def test_computational_graph_uses_labels_and_escapes_html():
    src = computational_graph([("a", "b", "x<0", "1&2")], ops={}, labels={"a": "入力 a"}).source
    assert "入力 a" in src and "x&lt;0" in src and "1&amp;2" in src


def test_computational_graph_renders_svg_with_japanese():
    svg = computational_graph(SHOPPING, ops={"mul": "×", "tax": "×"}).pipe(format="svg").decode()
    assert "<svg" in svg and "支払額" in svg


@pytest.mark.parametrize(
    ("edges", "ops", "labels", "error"),
    [
        ([], {}, None, ValueError),
        ([("a", "b", 1)], {}, None, ValueError),
        ([("a", 2, 1, 1)], {}, None, TypeError),
        ([("a", "b", [1, 2], 1)], {}, None, TypeError),
        ([("a", "b", 1, 1)], {"a": "+"}, {"a": "A"}, ValueError),
        ([("a", "b", 1, 1), ("a", "b", 2, 2)], {}, None, ValueError),
    ],
    ids=["empty", "triple", "non-str-node", "array-value", "op-and-label", "duplicate"],
)
def test_computational_graph_rejects_bad_input(edges, ops, labels, error):
    with pytest.raises(error):
        computational_graph(edges, ops, labels)


def test_computational_graph_widens_circles_for_long_operator_names():
    src = computational_graph(
        [("a", "sm", 1, 1), ("x", "mul", 2, 3)], ops={"sm": "Softmax", "mul": "×"}
    ).source
    assert re.search(r"sm \[label=Softmax[^\]]*fixedsize=false", src)
    assert re.search(r"mul \[label=\"?×\"?[^\]]*fixedsize=true", src)


@pytest.mark.parametrize(
    "sizes", [np.array([2, 3, 2]), (np.int64(2), np.int32(3)), [2, np.uint8(3)]]
)
def test_numpy_integer_sizes_are_accepted(sizes):
    assert len(_edges(layered_network(sizes))) == int(np.prod(sizes[:2])) + (
        int(sizes[1] * sizes[2]) if len(sizes) == 3 else 0
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"sizes": None}, TypeError, "sizes"),
        ({"sizes": "8"}, TypeError, "sizes"),
        ({"sizes": (2, "3")}, TypeError, r"sizes\[1\]"),
        ({"sizes": (2, 3), "max_nodes": 0}, ValueError, "max_nodes"),
        ({"sizes": (2, 3), "max_nodes": 2.5}, TypeError, "max_nodes"),
    ],
)
def test_bad_arguments_name_the_parameter(kwargs, error, name):
    with pytest.raises(error, match=name):
        layered_network(**kwargs)


def test_layer_names_rejects_non_integers():
    with pytest.raises(TypeError, match="n_layers"):
        layer_names("3")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"edges": 5}, TypeError, "edges は"),
        ({"edges": ["abcd"]}, TypeError, r"edges\[0\] は"),
        ({"edges": [("a", "b", 1, 1), ("a", "b", [1], 1)]}, TypeError, r"edges\[1\] の値と勾配"),
        ({"ops": ["mul"]}, TypeError, "ops はノードの名前"),
        ({"ops": {"b": 1}}, TypeError, "ops のキーと値"),
        ({"labels": "a"}, TypeError, "labels はノードの名前"),
        ({"title": 3}, TypeError, "title は文字列"),
    ],
)
def test_computational_graph_names_the_argument_of_the_wrong_type(kwargs, error, match):
    args = {"edges": [("a", "b", 1.0, None)], "ops": {}}
    args.update(kwargs)
    with pytest.raises(error, match=match):
        computational_graph(**args)


@pytest.mark.parametrize("g", [None, "digraph { a -> b }", 3])
def test_graph_edges_needs_a_digraph(g):
    with pytest.raises(TypeError, match="g は computational_graph が返した graphviz.Digraph"):
        graph_edges(g)
