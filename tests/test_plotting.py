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


# ---------------------------------------------------------------- 決定領域（第 6・7 章）

POINTS = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
LABELS = np.array([0, 1, 1, 0])


def _by_x1_sign(points):
    return (points[:, 0] > 0).astype(int)


def test_decision_grid_covers_the_data_with_a_margin():
    xx, yy = plotting.decision_grid(POINTS, resolution=11, margin=0.1)
    assert xx.shape == yy.shape == (11, 11)
    assert xx.min() < -1.19 and xx.max() > 1.19
    np.testing.assert_allclose(yy[:, 0], np.linspace(yy.min(), yy.max(), 11))


def test_predict_grid_accepts_labels_or_scores():
    xx, yy = plotting.decision_grid(POINTS, resolution=5)
    from_labels = plotting.predict_grid(_by_x1_sign, xx, yy)
    from_scores = plotting.predict_grid(lambda p: np.eye(2)[_by_x1_sign(p)], xx, yy)
    assert from_labels.shape == (5, 5)
    np.testing.assert_array_equal(from_labels, from_scores)
    np.testing.assert_array_equal(from_labels[0], [0, 0, 0, 1, 1])


def test_predict_grid_calls_predict_once():
    calls = []

    def predict(points):
        calls.append(points.shape)
        return _by_x1_sign(points)

    plotting.predict_grid(predict, *plotting.decision_grid(POINTS, resolution=7))
    assert calls == [(49, 2)]


@pytest.mark.parametrize(
    ("predict", "error"),
    [
        (3, TypeError),
        (lambda p: p[:, 0], ValueError),  # 整数でない 1 次元の値
        (lambda p: np.zeros(3, dtype=int), ValueError),  # 数が合わない
    ],
)
def test_predict_grid_rejects_bad_predict(predict, error):
    with pytest.raises(error):
        plotting.predict_grid(predict, *plotting.decision_grid(POINTS, resolution=4))


@pytest.mark.parametrize(
    ("x", "kwargs", "error"),
    [
        (np.ones((3, 3)), {}, ValueError),
        (np.empty((0, 2)), {}, ValueError),
        ([["a", "b"]], {}, TypeError),
        (np.array([[0.0, np.nan]]), {}, ValueError),
        (POINTS, {"resolution": 1}, ValueError),
        (POINTS, {"resolution": 2.5}, TypeError),
        (POINTS, {"margin": -0.1}, ValueError),
    ],
)
def test_decision_grid_rejects_bad_input(x, kwargs, error):
    with pytest.raises(error):
        plotting.decision_grid(x, **kwargs)


def test_plot_decision_regions_draws_regions_and_one_scatter_per_class():
    ax = plotting.plot_decision_regions(_by_x1_sign, POINTS, LABELS, resolution=20, title="領域")
    assert len(ax.images) == 1
    assert ax.images[0].get_array().shape == (20, 20)
    assert len(ax.collections) == 2
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["クラス 0", "クラス 1"]
    assert ax.get_title() == "領域"
    plt.close(ax.figure)


def test_plot_decision_regions_accepts_one_hot_targets():
    ax = plotting.plot_decision_regions(_by_x1_sign, POINTS, np.eye(3)[LABELS], resolution=10)
    assert len(ax.collections) == 3  # one-hot の列の数だけクラスがある
    plt.close(ax.figure)


@pytest.mark.parametrize(
    "t", [np.array([0, 1, 1]), np.array([0.5, 1, 1, 0]), np.array([-1, 0, 1, 0])]
)
def test_scatter_classes_rejects_bad_labels(t):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError):
        plotting.scatter_classes(ax, POINTS, t)
    plt.close(fig)


def test_scatter_classes_more_classes_than_colours_is_a_value_error():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="8 クラスまで"):
        plotting.scatter_classes(ax, np.zeros((10, 2)), np.arange(10))
    plt.close("all")


def test_scatter_classes_n_classes_below_the_labels_is_a_value_error():
    _, ax = plt.subplots()
    with pytest.raises(ValueError, match="n_classes=2"):
        plotting.scatter_classes(ax, np.zeros((6, 2)), np.arange(6) % 3, n_classes=2)
    plt.close("all")


@pytest.mark.parametrize("margin", [np.inf, np.nan, "0.1", None])
def test_decision_grid_margin_must_be_a_finite_number(margin):
    with pytest.raises((TypeError, ValueError), match="margin"):
        plotting.decision_grid(np.array([[0.0, 0.0], [1.0, 1.0]]), margin=margin)
