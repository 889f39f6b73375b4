"""性質のテスト（Hypothesis）：学習のモジュール（layers・optimizers・networks・trainer）。

tests/test_properties.py と同じ規則です。

- 悪い入力（NaN・inf、数値でない dtype、違う次元、形の食い違い、範囲外のラベル、bool や文字列の
  数・整数、範囲の外のハイパーパラメータ）は TypeError か ValueError だけを出し、そのメッセージに
  引数の名前が入っている。NaN・inf のときは、配列の形と最初の悪い値の位置も入っている。
- 良い入力（NumPy の整数・浮動小数点のスカラー型も含む）は有限の結果を返す。
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook.layers import (
    AddLayer,
    Affine,
    BatchNormalization,
    Dropout,
    ExpLayer,
    MulLayer,
    ReciprocalLayer,
    ReLU,
    Sigmoid,
    SoftmaxWithLoss,
)
from nnbook.networks import MultiLayerNet, TwoLayerNet, init_std
from nnbook.optimizers import SGD, AdaGrad, Adam, Momentum, RMSprop
from nnbook.trainer import Trainer

FINITE = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)
NON_FINITE = st.sampled_from([np.inf, -np.inf, np.nan])
#: 配列が来るべきところに来る、配列でないもの・数値でないもの
JUNK = st.sampled_from(
    [
        None,
        "abc",
        {"a": 1},
        object(),
        1 + 2j,
        [[1.0, 2.0], [3.0]],  # 長さのそろわないリスト
        np.array(["a", "b"]),
        np.array([1, None], dtype=object),
        np.array([]),
    ]
)
#: 整数が来るべきところに来る、整数でないもの
NOT_INTEGER = st.sampled_from([2.0, 2.5, np.float64(3.0), True, np.bool_(True), "3", None])
#: 有限の数が来るべきところに来る、そうでないもの
NOT_NUMBER = st.sampled_from([np.nan, np.inf, -np.inf, True, np.bool_(False), "0.1", None, [0.1]])
#: True か False が来るべきところに来る、そうでないもの
NOT_BOOL = st.sampled_from([1, 0, np.float64(1.0), "True", None])
#: 乱数の種として受け付けないもの
NOT_SEED = st.sampled_from(["0", 1.5, True, -1, [1, 2, "a"], np.float64(2.0)])
INT_TYPES = st.sampled_from([int, np.int32, np.int64])
FLOAT_TYPES = st.sampled_from([float, np.float32, np.float64])


def arrays(shape, elements=FINITE):
    return hnp.arrays(np.float64, shape, elements=elements)


def labels(n, k):
    return hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1))


def real(lo, hi):
    """lo 以上 hi 以下の数を、Python・NumPy の浮動小数点の型で。"""
    return st.floats(lo, hi).flatmap(lambda v: FLOAT_TYPES.map(lambda f: f(v)))


@st.composite
def with_non_finite(draw, shape):
    """有限の配列の 1 か所を inf・-inf・NaN にしたもの（inf を先に試す）。"""
    arr = draw(arrays(shape))
    index = tuple(draw(st.integers(0, n - 1)) for n in arr.shape)
    arr[index] = draw(NON_FINITE)
    return arr


def names(name, message):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


def raises_non_finite(name, shape, func, *args, **kwargs):
    """NaN・inf を含む引数 name（形 shape）について、名前・形・位置を書いたエラーを出すこと。"""
    exc = raises_naming(name, func, *args, **kwargs)
    assert str(tuple(shape)) in str(exc), f"メッセージに {name} の形 {tuple(shape)} がない: {exc}"
    assert re.search(rf"{re.escape(name)}\[\d+(, \d+)*\]", str(exc)), f"最初の位置がない: {exc}"
    return exc


def raises_naming(name, func, *args, **kwargs):
    """func(*args, **kwargs) が TypeError か ValueError を出し、メッセージに name が入っていること。"""
    try:
        func(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        assert names(name, str(exc)), f"メッセージに {name!r} がない: {exc}"
        return exc
    pytest.fail(f"{getattr(func, '__qualname__', func)} が悪い {name} を受け付けた")


def finite(*arrays_):
    return all(np.all(np.isfinite(a)) for a in arrays_)


SIZES = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(2, 4))  # N, D, K


# ---------------------------------------------------------------- layers


@settings(max_examples=15)
@given(sizes=SIZES, data=st.data())
def test_layers_good_input_give_finite_output_and_gradients(sizes, data):
    n, d, k = sizes
    x = data.draw(arrays((n, d)))
    affine = Affine(data.draw(arrays((d, k))), data.draw(arrays((k,))))
    for layer in (Sigmoid(), ReLU()):
        out = layer.forward(x)
        assert finite(out, layer.backward(np.ones_like(out)))
    score = affine.forward(x)
    loss_layer = SoftmaxWithLoss()
    loss = loss_layer.forward(score, data.draw(labels(n, k)))
    assert np.isfinite(loss) and loss >= 0
    dx = affine.backward(loss_layer.backward(data.draw(real(0.1, 2.0))))
    assert finite(dx, *affine.grads)


@settings(max_examples=20)
@given(sizes=SIZES, which=st.sampled_from(["W", "b", "x", "dout", "relu_x"]), data=st.data())
def test_affine_and_relu_reject_non_finite(sizes, which, data):
    n, d, k = sizes
    W, b, x = np.ones((d, k)), np.zeros(k), np.ones((n, d))
    if which == "W":
        raises_non_finite("W", (d, k), Affine, data.draw(with_non_finite((d, k))), b)
    elif which == "b":
        raises_non_finite("b", (k,), Affine, W, data.draw(with_non_finite((k,))))
    elif which == "x":
        raises_non_finite("x", (n, d), Affine(W, b).forward, data.draw(with_non_finite((n, d))))
    elif which == "dout":
        layer = Affine(W, b)
        layer.forward(x)
        raises_non_finite("dout", (n, k), layer.backward, data.draw(with_non_finite((n, k))))
    else:
        raises_non_finite("x", (n, d), ReLU().forward, data.draw(with_non_finite((n, d))))


@settings(max_examples=20)
@given(
    sizes=SIZES,
    case=st.sampled_from(["W_rank", "b_shape", "x_rank", "x_width", "W_junk", "x_junk", "dout"]),
    junk=JUNK,
)
def test_affine_rejects_wrong_ranks_shapes_and_dtypes(sizes, case, junk):
    n, d, k = sizes
    W, b = np.ones((d, k)), np.zeros(k)
    if case == "W_rank":
        raises_naming("W", Affine, np.ones(d), b)
    elif case == "b_shape":
        raises_naming("b", Affine, W, np.zeros(k + 1))
    elif case == "x_rank":
        raises_naming("x", Affine(W, b).forward, np.ones(d))
    elif case == "x_width":
        raises_naming("x", Affine(W, b).forward, np.ones((n, d + 1)))
    elif case == "W_junk":
        raises_naming("W", Affine, junk, b)
    elif case == "x_junk":
        raises_naming("x", Affine(W, b).forward, junk)
    else:
        layer = Affine(W, b)
        layer.forward(np.ones((n, d)))
        raises_naming("dout", layer.backward, np.ones((n, k + 1)))


@settings(max_examples=10)
@given(sizes=SIZES, data=st.data())
def test_sigmoid_layer_rejects_non_finite(sizes, data):
    n, d, _ = sizes
    raises_non_finite("x", (n, d), Sigmoid().forward, data.draw(with_non_finite((n, d))))


@settings(max_examples=15)
@given(sizes=SIZES, data=st.data())
def test_softmax_with_loss_rejects_non_finite_scores_by_name(sizes, data):
    n, _, k = sizes
    x = data.draw(with_non_finite((n, k)))
    raises_non_finite("x", (n, k), SoftmaxWithLoss().forward, x, np.zeros(n, dtype=int))


@settings(max_examples=20)
@given(
    sizes=SIZES,
    kind=st.sampled_from(["range", "negative", "soft_negative", "frac", "shape", "sum", "nan"]),
)
def test_softmax_with_loss_rejects_bad_targets(sizes, kind):
    n, _, k = sizes
    t = {
        "range": np.full(n, k),
        "negative": np.full(n, -1),
        "soft_negative": np.eye(k)[np.zeros(n, dtype=int)] - 0.5,  # 負の「確率」は負の損失になる
        "frac": np.full(n, 0.5),
        "shape": np.zeros((n + 1, k)),
        "sum": np.full((n, k), 0.9),  # 各行の和が 1 でない
        "nan": np.r_[np.zeros(n - 1), np.nan],
    }[kind]
    raises_naming("t", SoftmaxWithLoss().forward, np.zeros((n, k)), t)


@settings(max_examples=10)
@given(bad=st.one_of(NOT_NUMBER, st.just(np.ones(2))))
def test_softmax_with_loss_backward_rejects_bad_dout(bad):
    layer = SoftmaxWithLoss()
    layer.forward(np.zeros((2, 3)), np.array([0, 1]))
    raises_naming("dout", layer.backward, bad)


# ---------------------------------------------------------------- 計算グラフのノード

NONZERO = st.floats(0.5, 5.0).flatmap(lambda v: st.sampled_from([v, -v]))


@settings(max_examples=20)
@given(
    shapes=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3),
    data=st.data(),
)
def test_graph_nodes_good_input_give_finite_values_and_gradients_of_input_shape(shapes, data):
    (x_shape, y_shape), out_shape = shapes.input_shapes, shapes.result_shape
    x, y = data.draw(arrays(x_shape)), data.draw(arrays(y_shape))
    dout = data.draw(arrays(out_shape))
    for node in (AddLayer(), MulLayer()):
        out = node.forward(x, y)
        dx, dy = node.backward(dout)
        assert finite(out, dx, dy) and out.shape == out_shape
        assert dx.shape == x_shape and dy.shape == y_shape
    z = data.draw(arrays(x_shape, elements=NONZERO))
    for node, arg in ((ExpLayer(), x), (ReciprocalLayer(), z)):
        out = node.forward(arg)
        dx = node.backward(np.ones(x_shape))
        assert finite(out, dx) and dx.shape == x_shape


@settings(max_examples=20)
@given(
    node=st.sampled_from([AddLayer, MulLayer, ExpLayer, ReciprocalLayer]),
    which=st.sampled_from(["x", "y", "dout"]),
    shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=3),
    data=st.data(),
)
def test_graph_nodes_reject_non_finite(node, which, shape, data):
    binary = node in (AddLayer, MulLayer)
    bad = data.draw(with_non_finite(shape))
    good = np.ones(shape)
    layer = node()
    if which == "dout":
        layer.forward(good, good) if binary else layer.forward(good)
        raises_non_finite("dout", shape, layer.backward, bad)
    elif which == "y" and binary:
        raises_non_finite("y", shape, layer.forward, good, bad)
    else:
        raises_non_finite(
            "x", shape, *((layer.forward, bad, good) if binary else (layer.forward, bad))
        )


@settings(max_examples=20)
@given(
    node=st.sampled_from([AddLayer, MulLayer, ExpLayer, ReciprocalLayer]),
    case=st.sampled_from(["junk", "broadcast", "dout_shape", "zero"]),
    junk=JUNK,
)
def test_graph_nodes_reject_junk_mismatched_shapes_and_zero(node, case, junk):
    binary = node in (AddLayer, MulLayer)
    layer = node()
    if case == "junk":
        raises_naming("x", *((layer.forward, junk, 1.0) if binary else (layer.forward, junk)))
    elif case == "broadcast" and binary:
        raises_naming("y", layer.forward, np.ones((2, 3)), np.ones((3, 2)))
    elif case == "zero" and node is ReciprocalLayer:
        raises_naming("x", layer.forward, np.array([[1.0, 0.0]]))
    else:
        layer.forward(np.ones(3), np.ones(3)) if binary else layer.forward(np.ones(3))
        raises_naming("dout", layer.backward, np.ones(4))


# ---------------------------------------------------------------- BatchNormalization・Dropout


@settings(max_examples=15)
@given(
    n=st.integers(2, 5),  # 学習時のバッチ正規化には 2 つ以上のサンプルが要る
    d=st.integers(1, 4),
    momentum=real(0.0, 0.99),
    eps=real(1e-7, 1e-2),
    data=st.data(),
)
def test_batchnorm_good_input_gives_finite_output_and_gradients(n, d, momentum, eps, data):
    gamma = data.draw(arrays((d,), elements=st.floats(0.1, 2.0)))
    bn = BatchNormalization(gamma, data.draw(arrays((d,))), momentum=momentum, eps=eps)
    x = data.draw(arrays((n, d)))
    out = bn.forward(x)
    dx = bn.backward(data.draw(arrays((n, d))))
    assert finite(out, dx, *bn.grads, bn.running_mean, bn.running_var)
    assert finite(bn.forward(x, train=np.bool_(False)))
    assert finite(bn.forward(x[:1], train=False))  # 推論なら 1 サンプルでもよい


def _numerical_input_gradient(f, x, h=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += h
        xm[i] -= h
        grad[i] = (f(xp) - f(xm)) / (2 * h)
    return grad


@settings(max_examples=15)
@given(n=st.integers(1, 4), d=st.integers(1, 3), train_steps=st.integers(0, 3), data=st.data())
def test_batchnorm_backward_after_test_mode_forward_is_the_true_gradient(n, d, train_steps, data):
    """推論時（train=False）の順伝播のあとの backward は、移動平均を定数とした写像の勾配。"""
    gamma = data.draw(arrays((d,), elements=st.floats(0.1, 2.0)))
    bn = BatchNormalization(gamma, data.draw(arrays((d,))))
    for _ in range(train_steps):  # 移動平均を 0 と 1 から動かす
        bn.forward(data.draw(arrays((3, d))))
    x = data.draw(arrays((n, d)))
    dout = data.draw(arrays((n, d)))
    bn.forward(x, train=False)
    dx = bn.backward(dout)
    numerical = _numerical_input_gradient(lambda v: np.sum(bn.forward(v, train=False) * dout), x)
    np.testing.assert_allclose(dx, numerical, atol=1e-5)
    bn.forward(x, train=False)
    bn.backward(dout)
    np.testing.assert_allclose(bn.grads[0], np.sum(dout * bn.xhat, axis=0))
    np.testing.assert_allclose(bn.grads[1], np.sum(dout, axis=0))


@settings(max_examples=10)
@given(d=st.integers(1, 4), use_net=st.booleans(), data=st.data())
def test_batchnorm_in_train_mode_rejects_a_batch_of_one_sample(d, use_net, data):
    """1 サンプルの学習時のバッチ正規化は出力がいつも β になるので、x を名指しして断る。"""
    x = data.draw(arrays((1, d)))
    if use_net:
        net = MultiLayerNet(d, [3], 2, use_batchnorm=True)
        exc = raises_naming("x", net.forward, x, np.zeros(1, dtype=int))
        assert finite(net.predict(x))  # 推論（train=False）はよい
    else:
        bn = BatchNormalization(np.ones(d), np.zeros(d))
        exc = raises_naming("x", bn.forward, x)
        assert bn.running_mean.tolist() == [0.0] * d  # 断ったときは移動平均を変えない
    assert "train=False" in str(exc) and isinstance(exc, ValueError)


@settings(max_examples=20)
@given(
    case=st.sampled_from(["non_finite", "junk", "rank", "mismatch", "momentum", "eps"]),
    name=st.sampled_from(["gamma", "beta"]),
    data=st.data(),
)
def test_batchnorm_rejects_bad_arguments(case, name, data):
    args = {"gamma": np.ones(3), "beta": np.zeros(3)}
    if case == "non_finite":
        args[name] = data.draw(with_non_finite((3,)))
        raises_non_finite(name, (3,), BatchNormalization, **args)
    elif case in ("junk", "rank"):
        args[name] = data.draw(JUNK) if case == "junk" else np.ones((3, 1))
        raises_naming(name, BatchNormalization, **args)
    elif case == "mismatch":
        raises_naming("beta", BatchNormalization, np.ones(3), np.zeros(4))
    else:
        out_of_range = {"momentum": [1.0, -0.1, 1.5], "eps": [0.0, -1e-5]}[case]
        bad = data.draw(st.one_of(NOT_NUMBER, st.sampled_from(out_of_range)))
        raises_naming(case, BatchNormalization, **args, **{case: bad})


@settings(max_examples=20)
@given(
    case=st.sampled_from(["non_finite", "rank", "width", "junk", "train", "dout", "dout_shape"]),
    data=st.data(),
)
def test_batchnorm_forward_and_backward_reject_bad_input(case, data):
    bn = BatchNormalization(np.ones(3), np.zeros(3))
    x = np.arange(12.0).reshape(4, 3)
    if case == "non_finite":
        raises_non_finite("x", (4, 3), bn.forward, data.draw(with_non_finite((4, 3))))
    elif case == "rank":
        raises_naming("x", bn.forward, data.draw(st.sampled_from([np.ones(3), np.ones((2, 3, 1))])))
    elif case == "width":
        raises_naming("x", bn.forward, np.ones((4, 2)))
    elif case == "junk":
        raises_naming("x", bn.forward, data.draw(JUNK))
    elif case == "train":
        raises_naming("train", bn.forward, x, train=data.draw(NOT_BOOL))
    elif case == "dout":
        bn.forward(x)
        raises_non_finite("dout", (4, 3), bn.backward, data.draw(with_non_finite((4, 3))))
    else:
        bn.forward(x)
        raises_naming("dout", bn.backward, np.ones((3, 3)))


@settings(max_examples=15)
@given(
    ratio=real(0.0, 0.95),
    seed=st.one_of(
        st.none(), st.integers(0, 1000).flatmap(lambda v: INT_TYPES.map(lambda f: f(v)))
    ),
    shape=hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
    data=st.data(),
)
def test_dropout_good_input_gives_finite_output(ratio, seed, shape, data):
    layer = Dropout(ratio, seed=seed)
    x = data.draw(arrays(shape))
    out = layer.forward(x)
    assert finite(out, layer.backward(np.ones(shape))) and out.shape == shape
    np.testing.assert_array_equal(layer.forward(x, train=False), x)


@settings(max_examples=20)
@given(
    case=st.sampled_from(["ratio", "seed", "non_finite", "junk", "train", "dout", "dout_shape"]),
    data=st.data(),
)
def test_dropout_rejects_bad_input(case, data):
    if case == "ratio":
        bad = data.draw(st.one_of(NOT_NUMBER, st.sampled_from([1.0, -0.1, 2])))
        raises_naming("ratio", Dropout, bad)
        return
    if case == "seed":
        raises_naming("seed", Dropout, 0.5, seed=data.draw(NOT_SEED))
        return
    layer = Dropout(0.5, seed=0)
    if case == "non_finite":
        raises_non_finite("x", (2, 3), layer.forward, data.draw(with_non_finite((2, 3))))
    elif case == "junk":
        raises_naming("x", layer.forward, data.draw(JUNK))
    elif case == "train":
        raises_naming("train", layer.forward, np.ones(3), train=data.draw(NOT_BOOL))
    elif case == "dout":
        layer.forward(np.ones((2, 3)))
        raises_non_finite("dout", (2, 3), layer.backward, data.draw(with_non_finite((2, 3))))
    else:
        layer.forward(np.ones((2, 3)))
        raises_naming("dout", layer.backward, np.ones((3, 2)))


# ---------------------------------------------------------------- optimizers

OPTIMIZERS = [SGD, Momentum, AdaGrad, RMSprop, Adam]
#: 各最適化アルゴリズムのハイパーパラメータと、範囲の外の値
HYPER = {
    SGD: {"lr": [0.0, -0.1]},
    Momentum: {"lr": [0.0, -0.1], "momentum": [1.0, -0.1]},
    AdaGrad: {"lr": [0.0, -0.1], "eps": [0.0, -1e-7]},
    RMSprop: {"lr": [0.0, -0.1], "rho": [1.0, -0.1], "eps": [0.0, -1e-7]},
    Adam: {"lr": [0.0, -0.1], "beta1": [1.0, -0.1], "beta2": [1.0, 2.0], "eps": [0.0, -1e-7]},
}


@settings(max_examples=20)
@given(cls=st.sampled_from(OPTIMIZERS), lr=real(1e-4, 1.0), data=st.data())
def test_optimizers_good_input_keep_parameters_finite(cls, lr, data):
    params = [data.draw(arrays((2, 3))), data.draw(arrays((3,)))]
    grads = [data.draw(arrays(p.shape)) for p in params]
    opt = cls(lr=lr)
    for _ in range(3):
        opt.update(params, grads)
    assert finite(*params)


@settings(max_examples=20)
@given(cls=st.sampled_from(OPTIMIZERS), which=st.sampled_from(["params", "grads"]), data=st.data())
def test_optimizers_reject_non_finite_parameters_and_gradients(cls, which, data):
    params = [np.zeros((2, 3)), np.zeros(3)]
    grads = [np.zeros((2, 3)), np.zeros(3)]
    {"params": params, "grads": grads}[which][1] = data.draw(with_non_finite((3,)))
    saved = [p.copy() for p in params]
    raises_non_finite(f"{which}[1]", (3,), cls(lr=0.1).update, params, grads)
    for p, s in zip(params, saved):  # 何も書き換えない
        np.testing.assert_array_equal(p, s)


@settings(max_examples=25)
@given(
    cls_name=st.sampled_from(OPTIMIZERS).flatmap(
        lambda c: st.tuples(st.just(c), st.sampled_from(sorted(HYPER[c])))
    ),
    data=st.data(),
)
def test_optimizers_reject_bad_hyperparameters(cls_name, data):
    cls, name = cls_name
    bad = data.draw(st.one_of(NOT_NUMBER, st.sampled_from(HYPER[cls][name])))
    raises_naming(name, cls, **{name: bad})


@settings(max_examples=20)
@given(
    cls=st.sampled_from(OPTIMIZERS),
    kind=st.sampled_from(["count", "shape", "type", "dtype", "param_dtype"]),
)
def test_optimizers_reject_mismatched_params_and_grads(cls, kind):
    params = [np.zeros((2, 3)), np.zeros(3)]
    grads = {
        "count": [np.zeros((2, 3))],
        "shape": [np.zeros((2, 3)), np.zeros(4)],
        "type": [np.zeros((2, 3)), [0.0, 0.0, 0.0]],
        "dtype": [np.zeros((2, 3)), np.array(["a", "b", "c"])],
        "param_dtype": [np.zeros((2, 3)), np.zeros(3)],
    }[kind]
    if kind == "param_dtype":
        params[1] = np.zeros(3, dtype=int)  # その場で更新できない
        raises_naming("params[1]", cls(lr=0.1).update, params, grads)
        return
    raises_naming("grads", cls(lr=0.1).update, params, grads)


@settings(max_examples=15)
@given(cls=st.sampled_from(OPTIMIZERS), which=st.integers(0, 1), data=st.data())
def test_optimizers_reject_read_only_parameters_without_changing_anything(cls, which, data):
    """読み取り専用の params[i] は、NumPy の英語のエラーではなく名前を書いた ValueError で断る。"""
    params = [data.draw(arrays((2, 3))), data.draw(arrays((3,)))]
    grads = [data.draw(arrays((2, 3))), data.draw(arrays((3,)))]
    params[which].setflags(write=False)
    before = [p.copy() for p in params]
    exc = raises_naming(f"params[{which}]", cls(lr=0.1).update, params, grads)
    assert isinstance(exc, ValueError) and "読み取り専用" in str(exc)
    assert all(np.array_equal(a, b) for a, b in zip(params, before))


# ---------------------------------------------------------------- networks


@settings(max_examples=10)
@given(
    sizes=SIZES,
    int_type=INT_TYPES,
    std=real(1e-3, 1.0),
    activation=st.sampled_from(["sigmoid", "relu"]),
    data=st.data(),
)
def test_two_layer_net_good_input(sizes, int_type, std, activation, data):
    n, d, k = sizes
    net = TwoLayerNet(
        int_type(d), int_type(3), int_type(k), weight_init_std=std, activation=activation
    )
    x = data.draw(arrays((n, d)))
    t = data.draw(labels(n, k))
    loss = net.forward(x, t)
    net.backward()
    assert np.isfinite(loss) and finite(*net.grads)
    assert 0.0 <= net.accuracy(x, t) <= 1.0


@settings(max_examples=20)
@given(
    name=st.sampled_from(["input_size", "hidden_size", "output_size"]),
    bad=st.one_of(NOT_INTEGER, st.just(0)),
)
def test_two_layer_net_rejects_bad_sizes(name, bad):
    args = {"input_size": 2, "hidden_size": 3, "output_size": 2}
    args[name] = bad
    raises_naming(name, TwoLayerNet, **args)


@settings(max_examples=10)
@given(
    net=st.sampled_from(["two", "multi"]),
    k=st.sampled_from([1, np.int64(1), np.int32(1)]),
)
def test_networks_with_one_output_explain_that_two_classes_are_needed(net, k):
    """出力 1 つのソフトマックスは損失 0・勾配 0 で学習できないので、2 クラス以上が要ると説明する。"""
    make = {"two": lambda: TwoLayerNet(2, 3, k), "multi": lambda: MultiLayerNet(2, [3], k)}[net]
    exc = raises_naming("output_size", make)
    assert isinstance(exc, ValueError) and "2 以上" in str(exc) and "クラス" in str(exc)


@settings(max_examples=10)
@given(bad=st.one_of(NOT_NUMBER, st.sampled_from([0.0, -0.01, "he"])))
def test_two_layer_net_rejects_bad_weight_init_std(bad):
    raises_naming("weight_init_std", TwoLayerNet, 2, 3, 2, weight_init_std=bad)


@settings(max_examples=10)
@given(
    call=st.one_of(
        NOT_SEED.map(lambda v: ("seed", v)),
        st.sampled_from([["relu"], None, 1, "tanh"]).map(lambda v: ("activation", v)),
    )
)
def test_two_layer_net_rejects_bad_seed_and_activation(call):
    name, bad = call
    raises_naming(name, TwoLayerNet, 2, 3, 2, **{name: bad})


@settings(max_examples=10)
@given(data=st.data(), method=st.sampled_from(["forward", "predict", "accuracy"]))
def test_two_layer_net_rejects_non_finite_x(data, method):
    net = TwoLayerNet(2, 3, 2)
    x = data.draw(with_non_finite((4, 2)))
    if method == "predict":
        raises_non_finite("x", (4, 2), net.predict, x)
    else:
        raises_non_finite("x", (4, 2), getattr(net, method), x, np.zeros(4, dtype=int))


@settings(max_examples=10)
@given(t=st.sampled_from([np.full(4, 2), np.full(4, -1), np.full(4, 0.5), np.zeros(5, dtype=int)]))
def test_two_layer_net_accuracy_rejects_bad_labels(t):
    raises_naming("t", TwoLayerNet(2, 3, 2).accuracy, np.zeros((4, 2)), t)


@settings(max_examples=15)
@given(
    sizes=SIZES,
    hidden=st.lists(st.integers(1, 4), max_size=2).flatmap(
        lambda h: st.sampled_from([h, tuple(h), np.array(h, dtype=np.int64)])
    ),
    activation=st.sampled_from(["relu", "sigmoid"]),
    std=st.one_of(st.sampled_from(["he", "xavier", "He"]), real(1e-3, 1.0)),
    lam=real(0.0, 1.0),
    use_batchnorm=st.sampled_from([False, True, np.bool_(True)]),
    dropout=st.one_of(st.just(0), real(0.0, 0.9)),
    data=st.data(),
)
def test_multilayer_net_good_input(
    sizes, hidden, activation, std, lam, use_batchnorm, dropout, data
):
    n, d, k = sizes
    if use_batchnorm:
        n = max(n, 2)  # 学習時のバッチ正規化には 2 つ以上のサンプルが要る
    net = MultiLayerNet(
        d,
        hidden,
        np.int64(k),
        activation=activation,
        weight_init_std=std,
        weight_decay_lambda=lam,
        use_batchnorm=use_batchnorm,
        dropout_ratio=dropout,
        seed=data.draw(st.one_of(st.integers(0, 10), st.just(np.random.default_rng(0)))),
    )
    x = data.draw(arrays((n, d)))
    t = data.draw(labels(n, k))
    loss = net.forward(x, t)
    dx = net.backward()
    assert np.isfinite(loss) and loss >= 0 and finite(dx, *net.grads)
    assert finite(net.predict(x)) and 0.0 <= net.accuracy(x, np.eye(k)[t]) <= 1.0


#: MultiLayerNet の引数ごとの悪い値
MULTI_BAD = {
    "input_size": st.one_of(NOT_INTEGER, st.just(0)),
    "output_size": st.one_of(NOT_INTEGER, st.just(-1)),
    "hidden_size_list": st.sampled_from(
        [5, "5", None, [0], [2.0], [True], [3, None], np.array([1.5]), np.ones((1, 1), dtype=int)]
    ),
    "activation": st.sampled_from([None, 1, ["relu"], "tanh"]),
    "weight_init_std": st.one_of(NOT_NUMBER, st.sampled_from([0.0, -1.0, "lecun", "0.1"])),
    "weight_decay_lambda": st.one_of(NOT_NUMBER, st.just(-0.1)),
    "use_batchnorm": NOT_BOOL,
    "dropout_ratio": st.one_of(NOT_NUMBER, st.sampled_from([1.0, -0.1])),
    "seed": NOT_SEED,
}


@settings(max_examples=30)
@given(name=st.sampled_from(sorted(MULTI_BAD)), data=st.data())
def test_multilayer_net_rejects_bad_arguments(name, data):
    args = {"input_size": 3, "hidden_size_list": [4], "output_size": 2}
    args[name] = data.draw(MULTI_BAD[name])
    raises_naming(name, MultiLayerNet, **args)


@settings(max_examples=15)
@given(
    case=st.sampled_from(["non_finite", "rank", "width", "junk", "train", "labels"]),
    use_batchnorm=st.booleans(),
    data=st.data(),
)
def test_multilayer_net_rejects_bad_input(case, use_batchnorm, data):
    net = MultiLayerNet(3, [4], 2, use_batchnorm=use_batchnorm, dropout_ratio=0.5)
    t = np.zeros(4, dtype=int)
    if case == "non_finite":
        raises_non_finite("x", (4, 3), net.forward, data.draw(with_non_finite((4, 3))), t)
    elif case == "rank":
        raises_naming("x", net.predict, np.ones(3))
    elif case == "width":
        raises_naming("x", net.forward, np.ones((4, 2)), t)
    elif case == "junk":
        raises_naming("x", net.predict, data.draw(JUNK))
    elif case == "train":
        raises_naming("train", net.forward, np.ones((4, 3)), t, train=data.draw(NOT_BOOL))
    else:
        bad = data.draw(st.sampled_from([np.full(4, 2), np.full(4, -1), np.full(4, 0.5)]))
        raises_naming("t", net.forward, np.ones((4, 3)), bad)


@settings(max_examples=10)
@given(
    std=st.one_of(NOT_NUMBER, st.sampled_from([0.0, "lecun"])),
    fan_in=st.one_of(NOT_INTEGER, st.just(0)),
    which=st.sampled_from(["weight_init_std", "fan_in"]),
)
def test_init_std_rejects_bad_arguments(std, fan_in, which):
    if which == "weight_init_std":
        raises_naming("weight_init_std", init_std, std, 4)
    else:
        raises_naming("fan_in", init_std, "he", fan_in)


# ---------------------------------------------------------------- trainer


def _trainer(model=None, optimizer=None):
    return Trainer(model or TwoLayerNet(2, 4, 3, seed=0), optimizer or SGD(lr=0.1), seed=0)


X = np.linspace(-1.0, 1.0, 24).reshape(12, 2)
T = np.arange(12) % 3


@settings(max_examples=10)
@given(
    max_epoch=st.integers(1, 3).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    batch_size=st.integers(1, 12).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    eval_interval=st.integers(1, 3).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    one_hot=st.booleans(),
    optimizer=st.sampled_from(OPTIMIZERS),
    multi=st.booleans(),
    validate=st.booleans(),
)
def test_trainer_good_input_records_finite_losses(
    max_epoch, batch_size, eval_interval, one_hot, optimizer, multi, validate
):
    iters = int(max_epoch) * (12 // int(batch_size))
    model = MultiLayerNet(2, [4], 3, use_batchnorm=True, dropout_ratio=0.2) if multi else None
    val = {"x_val": X[:5], "t_val": T[:5]} if validate else {}
    trainer = _trainer(model, optimizer(lr=0.05)).fit(
        X,
        np.eye(3)[T] if one_hot else T,
        max_epoch=max_epoch,
        batch_size=batch_size,
        eval_interval=min(int(eval_interval), iters),
        verbose=np.bool_(False),
        **val,
    )
    assert trainer.loss_list and all(np.isfinite(v) for v in trainer.loss_list)
    assert len(trainer.val_acc_list) == (int(max_epoch) if validate else 0)


@settings(max_examples=15)
@given(which=st.sampled_from(["x", "t", "x_val", "t_val"]), data=st.data())
def test_trainer_rejects_non_finite_data_by_name(which, data):
    args = {"x": X, "t": np.eye(3)[T], "x_val": X[:5], "t_val": np.eye(3)[T[:5]]}
    shape = args[which].shape
    args[which] = data.draw(with_non_finite(shape))
    fit = _trainer().fit
    exc = raises_non_finite(which, shape, fit, **args, max_epoch=1, batch_size=4, eval_interval=1)
    assert "学習率" not in str(exc)


@settings(max_examples=15)
@given(
    case=st.sampled_from(["x_rank", "t_count", "x_val_width", "t_val_count", "x_junk", "t_junk"]),
    junk=JUNK,
)
def test_trainer_rejects_wrong_ranks_shapes_and_dtypes(case, junk):
    kwargs = {"max_epoch": 1, "batch_size": 4, "eval_interval": 1}
    x, t = X, T
    if case == "x_rank":
        x = X.ravel()
    elif case == "t_count":
        t = T[:-1]
    elif case == "x_val_width":
        kwargs.update(x_val=np.ones((3, 3)), t_val=T[:3])
    elif case == "t_val_count":
        kwargs.update(x_val=X[:3], t_val=T[:4])
    elif case == "x_junk":
        x = junk
    else:
        t = junk
    name = {"x_rank": "x", "t_count": "t", "x_junk": "x", "t_junk": "t"}.get(case, "x_val")
    raises_naming(name, _trainer().fit, x, t, **kwargs)


@settings(max_examples=10)
@given(extra=st.integers(1, 50), max_epoch=st.integers(1, 3))
def test_trainer_rejects_eval_interval_longer_than_the_run(extra, max_epoch):
    iters = max_epoch * (12 // 4)
    trainer = _trainer()
    raises_naming(
        "eval_interval",
        trainer.fit,
        X,
        T,
        max_epoch=max_epoch,
        batch_size=4,
        eval_interval=iters + extra,
    )
    assert trainer.current_epoch == 0


@settings(max_examples=20)
@given(
    name=st.sampled_from(["max_epoch", "batch_size", "eval_interval", "verbose"]),
    data=st.data(),
)
def test_trainer_rejects_bad_integers_and_flags(name, data):
    if name == "verbose":
        bad = data.draw(NOT_BOOL)
    else:
        bad = data.draw(st.one_of(NOT_INTEGER, st.sampled_from([0, -1])))
    kwargs = {"max_epoch": 1, "batch_size": 4, "eval_interval": 1, name: bad}
    raises_naming(name, _trainer().fit, X, T, **kwargs)


@settings(max_examples=10)
@given(t=st.sampled_from([np.full(12, 3), np.full(12, -1), np.full(12, 0.5)]))
def test_trainer_rejects_bad_labels(t):
    raises_naming("t", _trainer().fit, X, t, max_epoch=1, batch_size=4, eval_interval=1)


@settings(max_examples=5)
@given(bad=NOT_SEED)
def test_trainer_rejects_bad_seed(bad):
    raises_naming("seed", Trainer, TwoLayerNet(2, 3, 2), SGD(), seed=bad)
