import re

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
