import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import plotting  # noqa: E402
from nnbook.functions import relu, sigmoid  # noqa: E402


def test_importing_sets_a_japanese_font_and_the_palette():
    assert "IPAexGothic" in matplotlib.rcParams["font.family"]
    colors = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colors[:3] == plotting.PALETTE[:3]


def test_japanese_text_renders_without_missing_glyphs():
    fig, ax = plt.subplots()
    ax.set_title("活性化関数のグラフ（シグモイド・ReLU）−1 ≤ x")
    ax.set_xlabel("入力 x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    plt.close(fig)


def test_palette_is_okabe_ito():
    assert set(plotting.PALETTE) == set(plotting.OKABE_ITO.values())
    assert len(plotting.PALETTE) == 8


def test_plot_functions_draws_one_line_per_function():
    ax = plotting.plot_functions(
        {"シグモイド": sigmoid, "ReLU": relu}, np.linspace(-3, 3, 7), title="テスト"
    )
    assert len(ax.get_lines()) == 2
    assert ax.get_title() == "テスト"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["シグモイド", "ReLU"]
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("funcs", "x", "error"),
    [
        ({}, [0, 1], TypeError),
        ([sigmoid], [0, 1], TypeError),
        ({"f": 3}, [0, 1], TypeError),
        ({"f": sigmoid}, [[0, 1]], ValueError),
    ],
)
def test_plot_functions_rejects_bad_input(funcs, x, error):
    with pytest.raises(error):
        plotting.plot_functions(funcs, x)
    plt.close("all")


def test_class_cmap():
    assert plotting.class_cmap(3).N == 3
    with pytest.raises(ValueError):
        plotting.class_cmap(0)
    with pytest.raises(TypeError):
        plotting.class_cmap(2.5)
