"""性質のテスト（Hypothesis）：公開関数は悪い入力に、引数の名前を書いた TypeError / ValueError で答える。

- 悪い入力（NaN・inf、数値でない dtype、違う次元、形の食い違い、範囲外のラベル、bool や文字列の整数）
  は TypeError か ValueError だけを出し、そのメッセージに引数の名前が入っている。
- 良い入力（NumPy の整数・浮動小数点のスカラー型も含む）は有限の結果を返す。

学習で使うモジュール（layers・optimizers・networks・trainer）は test_properties_training.py。
"""

import base64
import re

import matplotlib

matplotlib.use("Agg")

import graphviz  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

from nnbook import (  # noqa: E402
    animation,
    datasets,
    diagrams,
    generative,
    inference,
    plotting,
    sequences,
)
from nnbook import functions as F  # noqa: E402

# ---------------------------------------------------------------- 共通の道具

FINITE = st.floats(-50.0, 50.0, allow_nan=False, allow_infinity=False, width=64)
NON_FINITE = st.sampled_from([np.nan, np.inf, -np.inf])
#: 配列が来るべきところに来る、配列でないもの・数値でないもの
JUNK = st.sampled_from(
    [
        None,
        "abc",
        b"x",
        {"a": 1},
        object(),
        1 + 2j,
        [[1.0, 2.0], [3.0]],  # 長さのそろわないリスト
        np.array(["a", "b"]),
        np.array([1, None], dtype=object),
        np.array([1 + 1j, 2.0]),
        np.array([]),
    ]
)
#: 整数が来るべきところに来る、整数でないもの
NOT_INTEGER = st.sampled_from([2.0, 2.5, np.float64(3.0), True, np.bool_(True), "3", None, np.nan])
#: 有限の数が来るべきところに来る、そうでないもの
NOT_NUMBER = st.sampled_from([np.nan, np.inf, -np.inf, True, "0.1", None, 1 + 1j, [0.1]])
#: 良い整数の型（Python と NumPy）
INT_TYPES = st.sampled_from([int, np.int8, np.int16, np.int32, np.int64, np.uint8])
FLOAT_TYPES = st.sampled_from([float, np.float32, np.float64])


def arrays(shape, elements=FINITE):
    return hnp.arrays(np.float64, shape, elements=elements)


def shapes(min_dims=1, max_dims=2, min_side=1, max_side=4):
    return hnp.array_shapes(
        min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side
    )


@st.composite
def with_non_finite(draw, shape):
    """有限の配列の 1 か所を NaN か inf にしたもの。"""
    arr = draw(arrays(shape))
    index = tuple(draw(st.integers(0, n - 1)) for n in arr.shape)
    arr[index] = draw(NON_FINITE)
    return arr


def names(name, message):
    """message に引数の名前 name が 1 語として入っているか（"x" が "max" の一部では数えない）。"""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


def raises_naming(name, func, *args, **kwargs):
    """func(*args, **kwargs) が TypeError か ValueError を出し、メッセージに name が入っていること。"""
    try:
        func(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        assert names(name, str(exc)), f"メッセージに {name!r} がない: {exc}"
        return exc
    pytest.fail(f"{getattr(func, '__name__', func)} が悪い {name} を受け付けた")


_FIGURE = []


def shared_axes():
    """悪い入力のテストで使い回す Axes（例ごとに図を作ると遅い）。"""
    if not _FIGURE or not plt.fignum_exists(_FIGURE[0].number):
        _FIGURE[:] = plt.subplots()
    return _FIGURE[1]


def assert_finite(value):
    arrs = value if isinstance(value, tuple) else (value,)
    for a in arrs:
        assert np.all(np.isfinite(np.asarray(a, dtype=float))), value


# ---------------------------------------------------------------- functions

ACTIVATIONS = [F.step, F.sigmoid, F.relu, F.tanh, F.identity]


@settings(max_examples=20)
@given(func=st.sampled_from(ACTIVATIONS), shape=shapes(0, 3), data=st.data())
def test_activations_good_input_gives_finite_output(func, shape, data):
    x = data.draw(arrays(shape, st.floats(-1e300, 1e300)))
    y = func(x)
    assert y.shape == x.shape
    assert_finite(y)


@settings(max_examples=20)
@given(func=st.sampled_from([*ACTIVATIONS, F.softmax]), data=st.data())
def test_activations_and_softmax_reject_non_finite(func, data):
    x = data.draw(with_non_finite(data.draw(shapes(1, 2))))
    name = "a" if func is F.softmax else "x"
    exc = raises_naming(name, func, x)
    assert "shape" in str(exc) and "最初は" in str(exc)  # 形と最初の位置を書く


@settings(max_examples=20)
@given(func=st.sampled_from([*ACTIVATIONS, F.softmax]), bad=JUNK)
def test_activations_reject_junk(func, bad):
    raises_naming("a" if func is F.softmax else "x", func, bad)


@settings(max_examples=20)
@given(shape=shapes(1, 2, max_side=6), data=st.data())
def test_softmax_good_input_is_a_probability(shape, data):
    a = data.draw(arrays(shape, st.floats(-1e300, 1e300)))
    y = F.softmax(a)
    assert_finite(y)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0)


@settings(max_examples=10)
@given(shape=st.sampled_from([(), (2, 2, 2)]))
def test_softmax_rejects_wrong_rank(shape):
    raises_naming("a", F.softmax, np.ones(shape))


@st.composite
def loss_inputs(draw, probabilities=True):
    n, k = draw(st.integers(1, 5)), draw(st.integers(2, 5))
    elements = st.floats(0.0, 1.0) if probabilities else FINITE
    y = draw(arrays((n, k), elements))
    t_labels = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    t = draw(st.sampled_from([t_labels, np.eye(k)[t_labels]]))
    return y, t


@settings(max_examples=20)
@given(loss=st.sampled_from([F.mean_squared_error, F.cross_entropy_error]), data=st.data())
def test_losses_good_input_give_finite_non_negative_loss(loss, data):
    y, t = data.draw(loss_inputs(probabilities=loss is F.cross_entropy_error))
    value = loss(y, t)
    assert np.isfinite(value) and value >= 0


@settings(max_examples=25)
@given(loss=st.sampled_from([F.mean_squared_error, F.cross_entropy_error]), data=st.data())
def test_losses_reject_bad_y_and_t(loss, data):
    y, t = data.draw(loss_inputs())
    n, k = y.shape
    kind = data.draw(
        st.sampled_from(
            ["y_non_finite", "t_non_finite", "label_range", "label_frac", "shape", "junk"]
        )
    )
    if kind == "y_non_finite":
        raises_naming("y", loss, data.draw(with_non_finite((n, k))), t)
    elif kind == "t_non_finite":
        raises_naming("t", loss, y, data.draw(with_non_finite((n, k))))
    elif kind == "label_range":
        bad = data.draw(st.sampled_from([-1, k, k + 7]))
        raises_naming("t", loss, y, np.full(n, bad))
    elif kind == "label_frac":
        raises_naming("t", loss, y, np.full(n, 0.5))
    elif kind == "shape":
        raises_naming("t", loss, y, np.zeros((n + 1, k + 1)))
    else:
        raises_naming("y", loss, data.draw(JUNK), t)


@settings(max_examples=20)
@given(data=st.data())
def test_cross_entropy_rejects_probabilities_out_of_range(data):
    """y > 1 や y < 0 は負の（または意味のない）損失になるので受け付けない。"""
    y, t = data.draw(loss_inputs())
    i, j = data.draw(st.integers(0, y.shape[0] - 1)), data.draw(st.integers(0, y.shape[1] - 1))
    y[i, j] = data.draw(st.sampled_from([-0.5, 1.5, 30.0]))
    raises_naming("y", F.cross_entropy_error, y, t)


@settings(max_examples=20)
@given(data=st.data())
def test_cross_entropy_rejects_negative_soft_labels(data):
    y, _ = data.draw(loss_inputs())
    t = np.full(y.shape, 1.0 / y.shape[1])
    t[0, 0] = data.draw(st.sampled_from([-1.0, -0.1, 2.0]))
    raises_naming("t", F.cross_entropy_error, y, t)


@settings(max_examples=20)
@given(
    shape=shapes(1, 2, max_side=3),
    h=st.one_of(st.floats(1e-6, 1e-2), FLOAT_TYPES.map(lambda f: f(1e-4))),
)
def test_numerical_gradient_good_input(shape, h):
    x = np.linspace(-1.0, 1.0, int(np.prod(shape))).reshape(shape)
    grad = F.numerical_gradient(lambda v: float(np.sum(v**2)), x, h)
    np.testing.assert_allclose(grad, 2 * x, atol=1e-3)


@settings(max_examples=20)
@given(kind=st.sampled_from(["h", "x", "f", "f_returns"]), bad=st.data())
def test_numerical_gradient_bad_input(kind, bad):
    x = np.ones(3)
    if kind == "h":
        raises_naming(
            "h",
            F.numerical_gradient,
            np.sum,
            x,
            bad.draw(st.one_of(NOT_NUMBER, st.just(0.0), st.just(-1e-4))),
        )
    elif kind == "x":
        raises_naming(
            "x", F.numerical_gradient, np.sum, bad.draw(st.one_of(JUNK, with_non_finite((3,))))
        )
    elif kind == "f":
        raises_naming("f", F.numerical_gradient, bad.draw(st.sampled_from([3, "f", None])), x)
    else:
        out = bad.draw(st.sampled_from(["abc", None, [1.0, 2.0], np.nan, {"a": 1}]))
        raises_naming("f", F.numerical_gradient, lambda v: out, x)


# ---------------------------------------------------------------- inference


@st.composite
def networks(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    net = {}
    for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        net[f"W{i}"] = draw(arrays((a, b)))
        net[f"b{i}"] = draw(arrays((b,)))
    return net, sizes


@settings(max_examples=20)
@given(data=st.data())
def test_forward_and_predict_good_input(data):
    net, sizes = data.draw(networks())
    x = data.draw(arrays(data.draw(st.sampled_from([(sizes[0],), (3, sizes[0])]))))
    output = data.draw(st.sampled_from(["identity", "softmax"]))
    y = inference.forward(net, x, output=output)
    assert y.shape == x.shape[:-1] + (sizes[-1],)
    assert_finite(y)
    labels = inference.predict(net, x)
    assert np.all((0 <= np.asarray(labels)) & (np.asarray(labels) < sizes[-1]))


@settings(max_examples=25)
@given(
    data=st.data(),
    kind=st.sampled_from(["x_nan", "x_junk", "x_rank", "x_width", "W", "b", "output"]),
)
def test_forward_and_predict_bad_input(data, kind):
    net, sizes = data.draw(networks())
    x = np.zeros((2, sizes[0]))
    func = data.draw(st.sampled_from([inference.forward, inference.predict]))
    if kind == "x_nan":
        raises_naming("x", func, net, data.draw(with_non_finite((2, sizes[0]))))
    elif kind == "x_junk":
        raises_naming("x", func, net, data.draw(JUNK))
    elif kind == "x_rank":
        raises_naming("x", func, net, np.zeros((1, 1, sizes[0])))
    elif kind == "x_width":
        raises_naming("x", func, net, np.zeros((2, sizes[0] + 1)))
    elif kind in ("W", "b"):
        key = f"{kind}{data.draw(st.integers(1, len(sizes) - 1))}"
        bad = dict(net)
        bad[key] = data.draw(st.one_of(JUNK, with_non_finite(net[key].shape)))
        raises_naming(key, func, bad, x)
    else:
        raises_naming(
            "output",
            inference.forward,
            net,
            x,
            output=data.draw(st.sampled_from(["soft", None, ["softmax"], 1])),
        )


@st.composite
def accuracy_inputs(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 5))
    t = draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    y = draw(
        st.sampled_from(
            [draw(arrays((n, k))), draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))]
        )
    )
    t = draw(st.sampled_from([t, np.eye(k)[t], t.astype(float)]))
    return y, t, k


@settings(max_examples=20)
@given(data=accuracy_inputs())
def test_accuracy_good_input(data):
    y, t, _ = data
    value = inference.accuracy(y, t)
    assert 0.0 <= value <= 1.0


@settings(max_examples=25)
@given(data=st.data())
def test_accuracy_bad_input(data):
    y, t, k = data.draw(accuracy_inputs())
    n = len(t)
    kind = data.draw(
        st.sampled_from(["y_nan", "y_1d_probs", "t_range", "t_neg", "t_frac", "t_nan", "rows"])
    )
    scores = np.zeros((n, k))
    if kind == "y_nan":
        raises_naming("y", inference.accuracy, data.draw(with_non_finite((n, k))), t)
    elif kind == "y_1d_probs":  # 1 次元の確率は番号ではない
        raises_naming("y", inference.accuracy, np.full(n, 0.3), np.zeros(n, dtype=int))
    elif kind == "t_range":
        raises_naming("t", inference.accuracy, scores, np.full(n, k))
    elif kind == "t_neg":
        raises_naming("t", inference.accuracy, scores, np.full(n, -1))
    elif kind == "t_frac":
        raises_naming("t", inference.accuracy, scores, np.full(n, 0.5))
    elif kind == "t_nan":
        raises_naming("t", inference.accuracy, scores, data.draw(with_non_finite((n,))))
    else:
        raises_naming("t", inference.accuracy, scores, np.zeros(n + 1, dtype=int))


@settings(max_examples=10)
@given(name=st.sampled_from([None, 1, b"digits_mlp", "no_such_weights"]))
def test_load_pretrained_bad_name(name):
    raises_naming("name" if not isinstance(name, str) else name, inference.load_pretrained, name)


# ---------------------------------------------------------------- datasets


@settings(max_examples=15)
@given(
    n=st.integers(1, 20).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    k=st.integers(2, 6).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    noise=st.floats(0.0, 2.0).flatmap(lambda v: FLOAT_TYPES.map(lambda f: f(v))),
    seed=st.one_of(st.integers(0, 2**32), st.just(None)),
)
def test_load_spiral_good_input(n, k, noise, seed):
    x, t = datasets.load_spiral(n, k, noise, seed)
    assert x.shape == (int(n) * int(k), 2) and t.shape == (int(n) * int(k), int(k))
    assert_finite(x)


@settings(max_examples=20)
@given(
    name=st.sampled_from(["n_per_class", "n_classes", "noise", "seed"]),
    data=st.data(),
)
def test_load_spiral_bad_input(name, data):
    bad = {
        "n_per_class": st.one_of(NOT_INTEGER, st.just(0)),
        "n_classes": st.one_of(NOT_INTEGER, st.just(1)),
        "noise": st.one_of(NOT_NUMBER, st.just(-0.1)),
        "seed": st.sampled_from([-1, 1.5, "0", True]),
    }[name]
    raises_naming(name, datasets.load_spiral, **{name: data.draw(bad)})


@settings(max_examples=20)
@given(name=st.sampled_from(["test_size", "seed", "normalize"]), data=st.data())
def test_load_digits_bad_input(name, data):
    bad = {
        "test_size": st.one_of(NOT_NUMBER, st.sampled_from([0.0, 1.0, 1.5, -0.2])),
        "seed": st.one_of(NOT_INTEGER, st.just(-1), st.just(2**40)),
        "normalize": st.sampled_from([None, "yes", 1]),
    }[name]
    raises_naming(name, datasets.load_digits, **{name: data.draw(bad)})


@settings(max_examples=10)
@given(
    call=st.sampled_from(
        [
            ("allow_download", datasets.load_fashion_mnist),
            ("verbose", datasets.load_fashion_mnist),
            ("verbose", datasets.load_co2),
            ("num_words", datasets.load_imdb),
            ("maxlen", datasets.load_imdb),
        ]
    ),
    bad=st.sampled_from(["yes", None, 0.5, -3]),
)
def test_loaders_check_arguments_before_loading(call, bad):
    name, func = call
    if name == "maxlen" and bad is None:
        bad = 0.5  # None は「制限なし」で正しい値
    raises_naming(name, func, **{name: bad})


# ---------------------------------------------------------------- sequences


@st.composite
def rnn_inputs(draw):
    n, t, d, h = (draw(st.integers(1, 3)) for _ in range(4))
    return {
        "x": draw(arrays((n, t, d))),
        "Wx": draw(arrays((d, h))),
        "Wh": draw(arrays((h, h))),
        "b": draw(arrays((h,))),
        "h0": draw(st.one_of(st.none(), arrays((n, h)))),
    }


@settings(max_examples=20)
@given(args=rnn_inputs())
def test_rnn_good_input(args):
    hs = sequences.rnn_forward(**args)
    assert_finite(hs)
    h_prev = (
        np.zeros((args["x"].shape[0], args["Wh"].shape[0])) if args["h0"] is None else args["h0"]
    )
    h1 = sequences.rnn_step(args["x"][:, 0], h_prev, args["Wx"], args["Wh"], args["b"])
    np.testing.assert_allclose(h1, hs[:, 0])


@settings(max_examples=25)
@given(args=rnn_inputs(), name=st.sampled_from(["x", "Wx", "Wh", "b", "h0"]), data=st.data())
def test_rnn_forward_bad_input(args, name, data):
    shape = (
        args[name].shape if args[name] is not None else (args["x"].shape[0], args["Wh"].shape[0])
    )
    kind = data.draw(st.sampled_from(["non_finite", "junk", "rank", "shape"]))
    if kind == "non_finite":
        args[name] = data.draw(with_non_finite(shape))
    elif kind == "junk":
        args[name] = data.draw(JUNK.filter(lambda v: v is not None or name != "h0"))
    elif kind == "rank":
        args[name] = np.zeros((*shape, 2)) if name != "h0" else np.zeros((1,))
    else:
        args[name] = np.zeros(tuple(s + 1 for s in shape))
    raises_naming(name, sequences.rnn_forward, **args)


@settings(max_examples=20)
@given(
    length=st.integers(5, 30),
    window=st.integers(1, 3).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    horizon=st.integers(1, 2).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    data=st.data(),
)
def test_make_windows_good_input(length, window, horizon, data):
    series = data.draw(arrays((length,)))
    x, y = sequences.make_windows(series, window, horizon)
    assert x.shape == (length - int(window) - int(horizon) + 1, int(window), 1)
    assert_finite((x, y))


@settings(max_examples=20)
@given(name=st.sampled_from(["series", "window", "horizon"]), data=st.data())
def test_make_windows_bad_input(name, data):
    args = {"series": np.arange(10.0), "window": 2, "horizon": 1}
    args[name] = data.draw(
        {
            "series": st.one_of(
                JUNK, with_non_finite((10,)), st.just(np.zeros((5, 2))), st.just(np.arange(2.0))
            ),
            "window": st.one_of(NOT_INTEGER, st.just(0), st.just(-2)),
            "horizon": st.one_of(NOT_INTEGER, st.just(0)),
        }[name]
    )
    raises_naming(name, sequences.make_windows, **args)


# ---------------------------------------------------------------- plotting・animation


POINTS = arrays((6, 2))
LABELS = np.array([0, 1, 2, 0, 1, 2])


@settings(max_examples=20)
@given(n=st.integers(1, 8).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))))
def test_class_cmap_good_input(n):
    assert plotting.class_cmap(n).N == int(n)


@settings(max_examples=10)
@given(bad=st.one_of(NOT_INTEGER, st.sampled_from([0, 9, -1])))
def test_class_cmap_bad_input(bad):
    raises_naming("n_classes", plotting.class_cmap, bad)


@settings(max_examples=20)
@given(
    x=POINTS,
    resolution=st.integers(2, 30).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    margin=st.floats(0.0, 1.0).flatmap(lambda v: FLOAT_TYPES.map(lambda f: f(v))),
)
def test_decision_grid_good_input(x, resolution, margin):
    xx, yy = plotting.decision_grid(x, resolution, margin)
    assert xx.shape == (int(resolution), int(resolution))
    assert_finite((xx, yy))


@settings(max_examples=20)
@given(name=st.sampled_from(["x", "resolution", "margin"]), data=st.data())
def test_decision_grid_bad_input(name, data):
    args = {"x": np.zeros((3, 2)), "resolution": 5, "margin": 0.1}
    args[name] = data.draw(
        {
            "x": st.one_of(
                JUNK, with_non_finite((3, 2)), st.just(np.zeros((3, 3))), st.just(np.zeros(4))
            ),
            "resolution": st.one_of(NOT_INTEGER, st.sampled_from([1, 0, 10**6])),
            "margin": st.one_of(NOT_NUMBER, st.just(-0.5)),
        }[name]
    )
    raises_naming(name, plotting.decision_grid, **args)


#: predict が返しうる、ラベルでもスコアでもないもの
BAD_PREDICTIONS = st.sampled_from(
    [
        lambda p: None,
        lambda p: "abc",
        lambda p: np.full(len(p), np.nan),
        lambda p: np.full(len(p), 0.5),
        lambda p: np.full(len(p), -1),
        lambda p: np.full((len(p), 3), np.inf),
        lambda p: np.array(["a"] * len(p)),
        lambda p: [[0], [0, 1]],
        lambda p: np.zeros(len(p) + 1, dtype=int),
    ]
)


@settings(max_examples=20)
@given(predict=BAD_PREDICTIONS)
def test_predict_grid_rejects_bad_predictions(predict):
    xx, yy = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 3))
    raises_naming("predict", plotting.predict_grid, predict, xx, yy)


@settings(max_examples=15)
@given(name=st.sampled_from(["predict", "xx", "yy"]), data=st.data())
def test_predict_grid_bad_arguments(name, data):
    xx, yy = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 3))
    args = {"predict": lambda p: np.zeros(len(p), dtype=int), "xx": xx, "yy": yy}
    args[name] = data.draw(
        st.sampled_from([3, None, "f"])
        if name == "predict"
        else st.one_of(JUNK, with_non_finite((3, 3)), st.just(np.zeros(9)))
    )
    raises_naming(name, plotting.predict_grid, **args)


@settings(max_examples=25)
@given(name=st.sampled_from(["x", "t", "n_classes", "s", "legend", "ax"]), data=st.data())
def test_scatter_classes_bad_input(name, data):
    ax = shared_axes()
    args = {
        "ax": ax,
        "x": np.zeros((6, 2)),
        "t": LABELS,
        "n_classes": None,
        "s": 20,
        "legend": True,
    }
    args[name] = data.draw(
        {
            "x": st.one_of(JUNK, with_non_finite((6, 2)), st.just(np.zeros((5, 2)))),
            "t": st.one_of(
                st.sampled_from([np.full(6, 0.5), np.full(6, -1), np.arange(6) + 3, None, "abc"]),
                with_non_finite((6,)),
            ),
            "n_classes": st.one_of(
                NOT_INTEGER.filter(lambda v: v is not None), st.sampled_from([2, 0, 9])
            ),
            "s": st.one_of(NOT_NUMBER, st.just(-1.0)),
            "legend": st.sampled_from([None, "yes", 1]),
            "ax": st.sampled_from([None, "ax", 3]),
        }[name]
    )
    if name == "t" and isinstance(args["t"], np.ndarray) and args["t"].max(initial=0) >= 3:
        name = "t"  # 9 クラス以上は描き分けられない（IndexError ではなく ValueError）
    raises_naming(name, plotting.scatter_classes, **args)


@settings(max_examples=5)
@given(x=POINTS, n_classes=st.sampled_from([None, 3, np.int64(4), 8]))
def test_plot_decision_regions_good_input(x, n_classes):
    ax = plotting.plot_decision_regions(
        lambda p: (p[:, 0] > 0).astype(int), x, LABELS, resolution=10, n_classes=n_classes
    )
    assert ax is not None
    plt.close("all")


@settings(max_examples=25)
@given(
    name=st.sampled_from(["predict", "x", "t", "n_classes", "resolution", "margin", "title"]),
    data=st.data(),
)
def test_plot_decision_regions_bad_input(name, data):
    args = {
        "predict": lambda p: np.zeros(len(p), dtype=int),
        "x": np.zeros((6, 2)) + np.arange(6)[:, None],
        "t": LABELS,
    }
    args[name] = data.draw(
        {
            "predict": st.sampled_from([None, 3, "f"]),
            "x": st.one_of(JUNK, with_non_finite((6, 2))),
            "t": st.sampled_from([np.full(6, 0.5), np.full(6, -1), np.arange(6) * 2, "abc"]),
            "n_classes": st.sampled_from([2, 9, 0, 2.0, True]),
            "resolution": st.one_of(NOT_INTEGER, st.just(1)),
            "margin": st.one_of(NOT_NUMBER, st.just(-1.0)),
            "title": st.sampled_from([3, ["a"]]),
        }[name]
    )
    raises_naming(name, plotting.plot_decision_regions, **args)


@settings(max_examples=20)
@given(name=st.sampled_from(["labels", "xx", "n_classes", "alpha", "ax"]), data=st.data())
def test_draw_regions_bad_input(name, data):
    ax = shared_axes()
    xx, yy = np.meshgrid(np.linspace(0, 1, 3), np.linspace(0, 1, 3))
    args = {
        "ax": ax,
        "labels": np.zeros((3, 3), dtype=int),
        "xx": xx,
        "yy": yy,
        "n_classes": 2,
        "alpha": 0.3,
    }
    args[name] = data.draw(
        {
            "labels": st.sampled_from(
                [np.full((3, 3), 2), np.full((3, 3), 0.5), np.zeros((2, 2), dtype=int), "a"]
            ),
            "xx": st.one_of(JUNK, with_non_finite((3, 3))),
            "n_classes": st.one_of(NOT_INTEGER, st.just(9)),
            "alpha": st.one_of(NOT_NUMBER, st.just(1.5)),
            "ax": st.sampled_from([None, "ax"]),
        }[name]
    )
    raises_naming(name, plotting.draw_regions, **args)


@settings(max_examples=20)
@given(name=st.sampled_from(["funcs", "x", "ylim", "title", "ax", "return"]), data=st.data())
def test_plot_functions_bad_input(name, data):
    args = {"funcs": {"f": np.sin}, "x": np.linspace(0, 1, 5)}
    if name == "return":
        out = data.draw(st.sampled_from([None, "abc", np.zeros(3), [[1], [1, 2]]]))
        args["funcs"] = {"f": lambda x: out}
        name = "funcs['f']"
    else:
        args[name] = data.draw(
            {
                "funcs": st.sampled_from([{}, None, {"f": 3}, [np.sin]]),
                "x": st.one_of(JUNK, with_non_finite((5,)), st.just(np.zeros((2, 2)))),
                "ylim": st.sampled_from([(0, np.nan), (0,), "ab", (None, 1)]),
                "title": st.sampled_from([3, ["t"]]),
                "ax": st.sampled_from(["ax", 3]),
            }[name]
        )
        if name == "funcs" and isinstance(args["funcs"], dict) and args["funcs"]:
            name = "funcs['f']"
    raises_naming(name, plotting.plot_functions, **args)


@settings(max_examples=25)
@given(
    name=st.sampled_from(
        ["step", "predict", "x", "n_frames", "resolution", "margin", "initial", "first_title"]
    ),
    data=st.data(),
)
def test_record_regions_bad_input(name, data):
    args = {
        "step": lambda i: None,
        "predict": lambda p: np.zeros(len(p), dtype=int),
        "x": np.zeros((3, 2)) + np.arange(3)[:, None],
        "n_frames": 2,
        "resolution": 5,
    }
    args[name] = data.draw(
        {
            "step": st.sampled_from([None, 3]),
            "predict": st.sampled_from([None, 3]),
            "x": st.one_of(JUNK, with_non_finite((3, 2))),
            "n_frames": st.one_of(NOT_INTEGER, st.just(0)),
            "resolution": st.one_of(NOT_INTEGER, st.just(1)),
            "margin": st.one_of(NOT_NUMBER, st.just(-1.0)),
            "initial": st.sampled_from([None, "yes", 1]),
            "first_title": st.sampled_from([None, 3]),
        }[name]
    )
    raises_naming(name, animation.record_regions, **args)


@settings(max_examples=20)
@given(
    name=st.sampled_from(["x", "t", "n_classes", "interval", "figsize", "dpi", "title", "history"]),
    data=st.data(),
)
def test_animate_regions_bad_input(name, data):
    x = np.zeros((3, 2)) + np.arange(3)[:, None]
    history = animation.record_regions(
        lambda i: None, lambda p: np.zeros(len(p), dtype=int), x, 1, resolution=4
    )
    args = {"history": history, "x": x, "t": np.array([0, 1, 0])}
    args[name] = data.draw(
        {
            "x": st.one_of(JUNK, with_non_finite((3, 2)), st.just(np.zeros((4, 2)))),
            "t": st.sampled_from(
                [np.array([0, 1, 9]), np.full(3, 0.5), np.array([0, -1, 0]), "abc"]
            ),
            "n_classes": st.sampled_from([1, 9, 2.0, True]),
            "interval": st.one_of(NOT_INTEGER, st.just(0)),
            "figsize": st.sampled_from([(4, np.inf), (4,), "4x3", (0, 3)]),
            "dpi": st.one_of(NOT_INTEGER, st.just(0)),
            "title": st.sampled_from([None, 3]),
            "history": st.sampled_from(
                [None, "history", animation.RegionHistory(np.zeros((2, 2)), np.zeros((2, 2)))]
            ),
        }[name]
    )
    raises_naming(name, animation.animate_regions, **args)


@settings(max_examples=10)
@given(bad=st.sampled_from([None, 3, "", "   ", ["video"]]), anim=st.sampled_from([None, "anim"]))
def test_to_html_video_and_frame_count_bad_input(bad, anim):
    raises_naming("anim", animation.to_html_video, anim, "説明")
    raises_naming("html", animation.video_frame_count, 3 if bad is None else bad)


@settings(max_examples=15)
@given(label=st.integers(0, 2**40))
def test_record_regions_keeps_every_label_without_wrapping_around(label):
    """どんなに大きなクラスの番号も、記録で桁あふれ（int8 で 300 → 44 など）しない。"""
    x = np.array([[0.0, 0.0], [1.0, 1.0]])
    history = animation.record_regions(
        lambda i: None, lambda p: np.full(len(p), label), x, 1, resolution=3
    )
    assert np.all(history.frames[0] == label)


@settings(max_examples=20)
@given(name=st.sampled_from(["xx", "yy", "frames", "titles"]), data=st.data())
def test_region_history_rejects_what_is_not_a_grid_or_a_list(name, data):
    args = {"xx": np.zeros((2, 2)), "yy": np.ones((2, 2))}
    args[name] = data.draw(
        {
            "xx": st.one_of(JUNK, with_non_finite((2, 2)), st.just(np.zeros(4))),
            "yy": st.one_of(JUNK, with_non_finite((2, 2)), st.just(np.zeros((3, 2)))),
            "frames": st.sampled_from([None, "frames", np.zeros((2, 2)), (np.zeros((2, 2)),)]),
            "titles": st.sampled_from([None, "title", ("a",)]),
        }[name]
    )
    if name == "yy" and isinstance(args["yy"], np.ndarray) and args["yy"].shape == (3, 2):
        name = "xx"  # 形の食い違いは「xx と yy」と両方を名指しする
    raises_naming(name, animation.RegionHistory, **args)


#: animate_points の引数ごとの悪い値
POINTS_BAD = {
    "frames": st.one_of(
        st.builds(lambda a: [a], with_non_finite((3, 2))),
        st.sampled_from([None, 3, "frames", [np.zeros((3, 3))], [np.zeros(3)]]),
    ),
    "reference": st.one_of(with_non_finite((4, 2)), st.sampled_from(["ref", np.zeros((4, 3))])),
    "limits": st.sampled_from(
        ["abcd", (0, 1, 2), (0, 1, 0, 1, 0), 3, (0, 1, np.nan, 1), (1, 0, 0, 1), (0, 1, 0, "1")]
    ),
    "interval": st.one_of(NOT_INTEGER, st.just(0)),
    "figsize": st.sampled_from([(4, np.inf), (4,), "4x3", (0, 3), None, 4]),
    "dpi": st.one_of(NOT_INTEGER, st.sampled_from([0, -80, 5, 10_000])),
    "title": st.sampled_from([None, 3, ["t"]]),
}


@settings(max_examples=30)
@given(name=st.sampled_from(sorted(POINTS_BAD)), data=st.data())
def test_animate_points_bad_input(name, data):
    args = {"frames": [np.zeros((3, 2)), np.ones((3, 2))], "titles": ["a", "b"]}
    args[name] = data.draw(POINTS_BAD[name])
    if name == "frames" and isinstance(args["frames"], list):
        args["titles"] = ["a"] * len(args["frames"])
        name = "frames[0]"
    raises_naming(name, animation.animate_points, **args)


@settings(max_examples=10)
@given(key=st.sampled_from(["foo", "fps", "intervals", "resolutoin", "figsize_"]))
def test_animate_training_names_an_unknown_keyword_before_recording(key):
    calls = []
    x = np.array([[0.0, 0.0], [1.0, 1.0]])
    exc = raises_naming(
        key,
        animation.animate_training,
        calls.append,
        lambda p: np.zeros(len(p), dtype=int),
        x,
        np.array([0, 1]),
        3,
        resolution=3,
        **{key: 1},
    )
    assert isinstance(exc, TypeError) and "interval" in str(exc)  # 使える名前も書く
    assert calls == []  # 時間のかかる記録の前に断る


def _fake_mp4(n_frames):
    """stsz ボックス（コマごとの大きさの表）だけを持つ MP4 のバイト列。"""
    size = 20 + 4 * n_frames
    return (
        b"\x00\x00\x00\x08free"
        + size.to_bytes(4, "big")
        + b"stsz"
        + bytes(8)
        + n_frames.to_bytes(4, "big")
        + b"\x00\x00\x01\x00" * n_frames
    )


def _video_html(data):
    return f'<video><source type="video/mp4" src="data:video/mp4;base64,{data}"></video>'


@settings(max_examples=20)
@given(n=st.integers(1, 60), data=st.data())
def test_video_frame_count_reads_a_whole_video_and_rejects_a_truncated_one(n, data):
    mp4 = _fake_mp4(n)
    assert animation.video_frame_count(_video_html(base64.b64encode(mp4).decode())) == n
    cut = data.draw(st.integers(0, len(mp4) - 1))
    encoded = base64.b64encode(mp4[:cut]).decode()
    exc = raises_naming("html", animation.video_frame_count, _video_html(encoded))
    assert isinstance(exc, ValueError)


@settings(max_examples=15)
@given(bad=st.sampled_from(["!!!!", "AAA", "AAAA*AAA", "ＡＡＡＡ", "AAAAA===", "AA==AA=="]))
def test_video_frame_count_names_html_for_broken_base64(bad):
    exc = raises_naming("html", animation.video_frame_count, _video_html(bad))
    assert isinstance(exc, ValueError)


@settings(max_examples=20)
@given(
    name=st.sampled_from(["ax", "ylim", "title"]),
    fitted=st.booleans(),
    data=st.data(),
)
def test_trainer_plot_bad_input(name, fitted, data):
    from nnbook.networks import TwoLayerNet
    from nnbook.optimizers import SGD
    from nnbook.trainer import Trainer

    trainer = Trainer(TwoLayerNet(2, 3, 2), SGD(lr=0.1))
    if fitted:
        trainer.fit(
            np.zeros((4, 2)), np.array([0, 1, 0, 1]), max_epoch=1, batch_size=2, eval_interval=1
        )
    bad = data.draw(
        {
            "ax": st.sampled_from(["foo", 3, plt, np.zeros(2)]),
            "ylim": st.one_of(
                st.sampled_from(["ab", (0,), (0, 1, 2), 1.0, (0, np.nan), (0, "1")]),
                st.tuples(NOT_NUMBER, st.just(1.0)),
            ),
            "title": st.sampled_from([3, ["t"]]),
        }[name]
    )
    raises_naming(name, trainer.plot, **{name: bad})


# ---------------------------------------------------------------- generative


@settings(max_examples=15)
@given(seed=st.sampled_from([-1, -(2**40), 1.5, "0", True, np.float64(2.0), [1, 2]]))
def test_make_ring_rejects_bad_seeds_by_the_shared_rule(seed):
    exc = raises_naming("seed", generative.make_ring, 10, seed=seed)
    assert isinstance(
        exc, ValueError if isinstance(seed, int) and not isinstance(seed, bool) else TypeError
    )


@settings(max_examples=10)
@given(seed=st.one_of(st.integers(0, 2**32), st.none(), INT_TYPES.map(lambda f: f(7))))
def test_make_ring_accepts_good_seeds(seed):
    x, labels = generative.make_ring(5, seed=seed)
    assert x.shape == (5, 2) and np.all(np.isfinite(x)) and labels.shape == (5,)


# ---------------------------------------------------------------- diagrams


@settings(max_examples=20)
@given(
    sizes=st.lists(st.integers(1, 12), min_size=2, max_size=4),
    kind=st.sampled_from([list, tuple, np.array, lambda s: [np.int64(v) for v in s]]),
    max_nodes=st.integers(3, 10).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
)
def test_layered_network_accepts_numpy_integers(sizes, kind, max_nodes):
    g = diagrams.layered_network(kind(sizes), max_nodes=max_nodes)
    assert "入力層" in g.source


@settings(max_examples=20)
@given(name=st.sampled_from(["sizes", "max_nodes", "symbols", "title"]), data=st.data())
def test_layered_network_bad_input(name, data):
    args = {"sizes": (2, 3, 2)}
    args[name] = data.draw(
        {
            "sizes": st.sampled_from(
                [
                    None,
                    "8",
                    8,
                    (2,),
                    (2, 0),
                    (2, 2.5),
                    (2, True),
                    (2, "3"),
                    (2, None),
                    [[1], [1, 2]],
                    np.array([[2, 3]]),
                ]
            ),
            "max_nodes": st.one_of(NOT_INTEGER, st.sampled_from([0, 2, -1])),
            "symbols": st.sampled_from(["xay", ("x",), ("x", "a", 3), 3]),
            "title": st.sampled_from([3, ["t"]]),
        }[name]
    )
    raises_naming(name, diagrams.layered_network, **args)


@settings(max_examples=15)
@given(n=st.one_of(NOT_INTEGER, st.sampled_from([1, 0, -3])))
def test_layer_names_bad_input(n):
    raises_naming("n_layers", diagrams.layer_names, n)


@settings(max_examples=10)
@given(n=st.integers(2, 8).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))))
def test_layer_names_good_input(n):
    assert len(diagrams.layer_names(n)) == int(n)


#: computational_graph の引数ごとの悪い値（どれも名前を書いた TypeError / ValueError）
GRAPH_BAD = {
    "edges": st.sampled_from(
        [
            None,
            5,
            "ab",
            [5],
            ["abcd"],
            [("a", "b", 1)],
            [("a", "b", 1, 2, 3)],
            [("a", "b", [1, 2], 1)],
            [("a", "b", 1, {"g": 1})],
            [("a", 3, 1, 1)],
            [("", "b", 1, 1)],
            [("a", "b", 1, 1), ("a", "b", 2, 2)],
        ]
    ),
    "ops": st.sampled_from([None, ["mul"], "mul", 3, {"a": 1}, {1: "+"}]),
    "labels": st.sampled_from([["a"], "a", 5, {"a": 2}, {"b": "B"}]),
    "title": st.sampled_from([3, ["t"], b"title"]),
}


@settings(max_examples=30)
@given(name=st.sampled_from(sorted(GRAPH_BAD)), data=st.data())
def test_computational_graph_bad_input(name, data):
    args = {"edges": [("a", "b", 1.0, None)], "ops": {"b": "+"}}
    args[name] = data.draw(GRAPH_BAD[name])
    if name == "labels" and args["labels"] == {"b": "B"}:
        name = "ops"  # ops と labels の両方にある名前は、両方を名指しする
    raises_naming(name, diagrams.computational_graph, **args)


@settings(max_examples=10)
@given(g=st.sampled_from([None, "digraph { a -> b }", 3, graphviz.Graph(), ["a", "b"]]))
def test_graph_edges_names_g_for_anything_but_a_digraph(g):
    exc = raises_naming("g", diagrams.graph_edges, g)
    assert isinstance(exc, TypeError)


def teardown_module():
    plt.close("all")
