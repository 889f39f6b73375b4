"""nnbook.plotting.plot_sliding_window（第 10 章の窓の図）。"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.plotting import PALETTE, plot_sliding_window  # noqa: E402

X = np.arange(16.0).reshape(4, 4)


def test_draws_one_panel_per_position_and_the_output():
    out = np.zeros((4, 4))
    axes = plot_sliding_window(X, 3, stride=1, pad=1, positions=[(0, 0), (3, 3)], out=out)
    assert len(axes) == 3
    first = axes[0]
    assert first.get_title() == "出力 [0, 0] の窓"
    assert len(first.texts) == 6 * 6, "パディングした 6×6 のマスに値を書く"
    frames = [p for p in first.patches if p.get_linewidth() == 3]
    assert len(frames) == 1 and frames[0].get_xy() == (0, 0)
    assert matplotlib.colors.same_color(frames[0].get_edgecolor(), PALETTE[0])
    assert axes[2].get_title() == "出力（4×4）"
    plt.close("all")


def test_stride_moves_the_window_by_stride():
    axes = plot_sliding_window(X, (2, 2), stride=2, positions=[(1, 1)])
    frame = next(p for p in axes[0].patches if p.get_linewidth() == 3)
    assert frame.get_xy() == (2, 2) and frame.get_width() == 2
    plt.close("all")


def test_uses_given_axes():
    _, axes = plt.subplots(1, 2)
    got = plot_sliding_window(X, 2, stride=2, positions=[(0, 0)], out=np.zeros((2, 2)), axes=axes)
    assert list(got) == list(axes)
    plt.close("all")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": np.ones(4)}, ValueError, "x は 2 次元"),
        ({"window": 5}, ValueError, "窓 5×5"),
        ({"window": 2.0}, TypeError, "window"),
        ({"stride": 0}, ValueError, "stride"),
        ({"positions": [(0, 9)]}, ValueError, r"positions\[0\]\[1\]"),
        ({"positions": [0]}, TypeError, r"positions\[0\]"),
        ({"positions": []}, TypeError, "positions"),
        ({"out": np.zeros((3, 3))}, ValueError, "out の形"),
        ({"axes": "ax"}, TypeError, "ax"),
        ({"x": np.full((4, 4), np.nan)}, ValueError, r"x\[0, 0\] = nan"),
    ],
)
def test_bad_input_is_named(kwargs, error, match):
    args = {"x": X, "window": 2, "stride": 2, **kwargs}
    with pytest.raises(error, match=match):
        plot_sliding_window(args.pop("x"), args.pop("window"), **args)
    plt.close("all")
