"""性質のテスト（Hypothesis）：nnbook.keras_utils（TensorFlow を読み込むので別のファイル）。"""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import nnbook.plotting  # noqa: E402, F401  日本語フォント（豆腐の警告を出さない）
from nnbook.keras_utils import CompactLog, plot_history, set_seed  # noqa: E402

NOT_INTEGER = st.sampled_from([2.0, 2.5, True, "3", None, np.nan])


def raises_naming(name, func, *args, **kwargs):
    """func(*args, **kwargs) が TypeError か ValueError を出し、メッセージに name が入っていること。"""
    try:
        func(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        pattern = rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])"
        assert re.search(pattern, str(exc)), f"メッセージに {name!r} がない: {exc}"
        return exc
    finally:
        plt.close("all")
    pytest.fail(f"{getattr(func, '__qualname__', func)} が悪い {name} を受け付けた")


@settings(max_examples=10)
@given(call=st.sampled_from(["seed", "deterministic"]), data=st.data())
def test_set_seed_bad_input(call, data):
    bad = data.draw(
        st.one_of(NOT_INTEGER, st.sampled_from([-1, 2**40]))
        if call == "seed"
        else st.sampled_from([None, "yes", 1])
    )
    raises_naming(call, set_seed, **{call: bad})


@settings(max_examples=10)
@given(seed=st.sampled_from([0, np.int64(7), np.uint32(2**32 - 1)]))
def test_set_seed_accepts_numpy_integers(seed):
    set_seed(seed, deterministic=False)


@settings(max_examples=10)
@given(name=st.sampled_from(["every", "digits"]), bad=st.one_of(NOT_INTEGER, st.just(-1)))
def test_compact_log_bad_input(name, bad):
    raises_naming(name, CompactLog, **{name: bad})


@settings(max_examples=10)
@given(bad=st.sampled_from([0, -1.5, "10", True, float("nan")]))
def test_compact_log_bad_heartbeat(bad):
    raises_naming("heartbeat", CompactLog, heartbeat=bad)


@settings(max_examples=10)
@given(
    kind=st.sampled_from(["history", "metrics_str", "metrics_item", "values", "title"]),
)
def test_plot_history_bad_input(kind):
    good = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.7]}
    args, name = {
        "history": ({"history": [1, 2]}, "history"),
        "metrics_str": ({"history": good, "metrics": "loss"}, "metrics"),
        "metrics_item": ({"history": good, "metrics": ["loss", 3]}, "metrics[1]"),
        "values": ({"history": {"loss": ["a", "b"]}}, "history['loss']"),
        "title": ({"history": good, "title": 3}, "title"),
    }[kind]
    raises_naming(name, plot_history, **args)


@settings(max_examples=5)
@given(values=st.lists(st.floats(0.0, 5.0), min_size=1, max_size=5))
def test_plot_history_good_input(values):
    fig = plot_history({"loss": values, "val_loss": values[::-1]})
    assert len(fig.axes) == 1
    plt.close(fig)
