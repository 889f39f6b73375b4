import re

import numpy as np
import pytest

from nnbook.diagrams import FONT, layer_names, layered_network


def _edges(g):
    return re.findall(r"(L\d+_\d+) -> (L\d+_\d+)", g.source)


def test_layer_names():
    assert layer_names(2) == ["入力層", "出力層"]
    assert layer_names(3) == ["入力層", "中間層", "出力層"]
    assert layer_names(4) == ["入力層", "中間層 1", "中間層 2", "出力層"]


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
