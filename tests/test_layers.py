"""レイヤの順伝播・逆伝播：逆伝播の勾配を数値微分と比べる（勾配確認）。"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient, sigmoid, softmax
from nnbook.layers import (
    AddLayer,
    Affine,
    ExpLayer,
    MulLayer,
    ReciprocalLayer,
    ReLU,
    Sigmoid,
    SoftmaxWithLoss,
)

RNG = np.random.default_rng(0)


def _check_input_grad(layer, x, dout, rtol=1e-6):
    """L = Σ (layer.forward(x) * dout) の x についての勾配を、backward と数値微分で比べる。"""
    layer.forward(x)
    dx = layer.backward(dout)
    x_num = x.copy()
    num = numerical_gradient(lambda _: float(np.sum(layer.forward(x_num) * dout)), x_num)
    np.testing.assert_allclose(dx, num, rtol=rtol, atol=1e-9)
    return layer


def test_affine_forward_is_xw_plus_b():
    W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = np.array([0.1, 0.2, 0.3])
    out = Affine(W, b).forward(np.array([[1.0, 0.5]]))
    np.testing.assert_allclose(out, [[3.1, 4.7, 6.3]])


def test_affine_backward_matches_numerical_gradient():
    x = RNG.normal(size=(4, 3))
    W, b = RNG.normal(size=(3, 5)), RNG.normal(size=5)
    dout = RNG.normal(size=(4, 5))
    layer = _check_input_grad(Affine(W, b), x, dout)
    layer.forward(x)
    layer.backward(dout)
    for param, grad in zip(layer.params, layer.grads):
        num = numerical_gradient(lambda _: float(np.sum(layer.forward(x) * dout)), param)
        np.testing.assert_allclose(grad, num, rtol=1e-6, atol=1e-9)


def test_affine_writes_grads_in_place_and_shares_params():
    W, b = RNG.normal(size=(3, 2)), np.zeros(2)
    layer = Affine(W, b)
    assert layer.params[0] is W and layer.params[1] is b
    dW_before = layer.grads[0]
    layer.forward(RNG.normal(size=(5, 3)))
    layer.backward(np.ones((5, 2)))
    assert layer.grads[0] is dW_before, "勾配は同じ配列にその場で書き込む"
    np.testing.assert_allclose(layer.grads[1], [5.0, 5.0])


def test_sigmoid_layer_forward_and_backward():
    layer = Sigmoid()
    x = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(layer.forward(x), sigmoid(x))
    _check_input_grad(Sigmoid(), x, RNG.normal(size=(3, 4)))


def test_relu_layer_backward_matches_numerical_gradient():
    x = RNG.normal(size=(4, 3))
    x[np.abs(x) < 0.01] = 0.5  # 折れ目（0）のすぐそばは数値微分が不正確なので避ける
    _check_input_grad(ReLU(), x, RNG.normal(size=(4, 3)))


def test_relu_layer_blocks_gradient_where_input_is_not_positive():
    layer = ReLU()
    out = layer.forward(np.array([[-1.0, 0.0, 2.0]]))
    np.testing.assert_array_equal(out, [[0.0, 0.0, 2.0]])
    np.testing.assert_array_equal(layer.backward(np.array([[5.0, 5.0, 5.0]])), [[0.0, 0.0, 5.0]])


@pytest.mark.parametrize("layer", [Sigmoid(), ReLU(), Affine(np.ones((2, 2)), np.zeros(2))])
def test_forward_does_not_change_its_input(layer):
    x = np.array([[-1.0, 2.0], [3.0, -4.0]])
    saved = x.copy()
    layer.forward(x)
    layer.backward(np.ones((2, 2)))
    np.testing.assert_array_equal(x, saved)


def test_softmax_with_loss_forward_is_cross_entropy_of_softmax():
    x = np.array([[0.3, 2.9, 4.0]])
    loss = SoftmaxWithLoss().forward(x, np.array([2]))
    assert loss == pytest.approx(-np.log(softmax(x)[0, 2]), rel=1e-14)


def test_softmax_with_loss_is_finite_where_the_probability_underflows():
    # softmax の出力が 0 に丸められる（exp(-800) < 最小の浮動小数点数）スコアでも、
    # log-sum-exp なら log を取らずに済むので、損失は正確な 800 になる
    loss = SoftmaxWithLoss().forward(np.array([[0.0, 800.0]]), np.array([0]))
    assert loss == pytest.approx(800.0, rel=1e-14)


def _random_logits_and_labels(seed=0, n=64, k=7):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=5.0, size=(n, k))
    labels = rng.integers(0, k, size=n)
    soft = rng.dirichlet(np.ones(k), size=n)
    return logits, labels, soft


def test_softmax_with_loss_equals_keras_sparse_categorical_crossentropy():
    keras = pytest.importorskip("keras")
    logits, labels, _ = _random_logits_and_labels()
    ours = SoftmaxWithLoss().forward(logits, labels)
    oracle = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    expected = float(keras.ops.convert_to_numpy(oracle(labels, logits)))
    assert ours == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("soft", [False, True], ids=["one-hot", "soft-labels"])
def test_softmax_with_loss_equals_keras_categorical_crossentropy(soft):
    keras = pytest.importorskip("keras")
    logits, labels, soft_t = _random_logits_and_labels(seed=1)
    t = soft_t if soft else np.eye(logits.shape[1])[labels]
    ours = SoftmaxWithLoss().forward(logits, t)
    oracle = keras.losses.CategoricalCrossentropy(from_logits=True, dtype="float64")
    expected = float(keras.ops.convert_to_numpy(oracle(t, logits)))
    assert ours == pytest.approx(expected, rel=1e-13)


def test_softmax_with_loss_gradient_equals_tensorflow_gradient():
    tf = pytest.importorskip("tensorflow")
    logits, labels, soft_t = _random_logits_and_labels(seed=2, n=8, k=4)
    layer = SoftmaxWithLoss()
    layer.forward(logits, soft_t)
    ours = layer.backward()
    a = tf.Variable(logits)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(soft_t, a))
    np.testing.assert_allclose(ours, tape.gradient(loss, a).numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("labels", [True, False])
def test_softmax_with_loss_backward_matches_numerical_gradient(labels):
    x = RNG.normal(size=(5, 3))
    t_labels = np.array([0, 2, 1, 1, 0])
    t = t_labels if labels else np.eye(3)[t_labels]
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()
    num = numerical_gradient(lambda _: layer.forward(x, t), x)
    np.testing.assert_allclose(dx, num, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(dx, (softmax(x) - np.eye(3)[t_labels]) / 5)


def test_softmax_with_loss_backward_scales_with_dout():
    layer = SoftmaxWithLoss()
    x = RNG.normal(size=(2, 3))
    layer.forward(x, np.array([0, 1]))
    np.testing.assert_allclose(layer.backward(2.0), 2.0 * layer.backward(1.0))


@pytest.mark.parametrize("layer", [Sigmoid(), ReLU(), Affine(np.ones((2, 2)), np.zeros(2))])
def test_backward_before_forward_raises(layer):
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.ones((1, 2)))


def test_softmax_with_loss_backward_before_forward_raises():
    with pytest.raises(RuntimeError, match="forward"):
        SoftmaxWithLoss().backward()


@pytest.mark.parametrize(
    ("W", "b", "error"),
    [
        (np.ones(3), np.zeros(3), ValueError),  # W が 1 次元
        (np.ones((2, 3)), np.zeros(2), ValueError),  # b の長さが違う
        ("W", np.zeros(3), TypeError),
        (np.array([[np.nan, 1.0]]), np.zeros(2), ValueError),
        (np.empty((0, 2)), np.zeros(2), ValueError),
    ],
)
def test_affine_rejects_bad_parameters(W, b, error):
    with pytest.raises(error):
        Affine(W, b)


@pytest.mark.parametrize(
    "x",
    [np.ones(2), np.ones((3, 4)), np.array([[1.0, np.nan]])],
    ids=["1d", "wrong-width", "nan"],
)
def test_affine_forward_rejects_bad_input(x):
    with pytest.raises(ValueError):
        Affine(np.ones((2, 3)), np.zeros(3)).forward(x)


@pytest.mark.parametrize("layer", [Sigmoid(), ReLU()])
def test_backward_rejects_dout_of_wrong_shape(layer):
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones((3, 2)))


def test_layers_reject_non_numeric_input():
    with pytest.raises(TypeError, match="数値"):
        ReLU().forward([["a"]])


@pytest.mark.parametrize(
    "t",
    [
        np.array([0, 3]),
        np.array([0.5, 1.0]),
        np.ones((2, 2)),
        np.array([0, np.nan]),
        np.ones((2, 3)),
        np.array([[1.5, -0.5, 0.0], [0.0, 1.0, 0.0]]),
    ],
    ids=["label-too-big", "non-integer", "wrong-shape", "nan", "rows-not-sum-1", "negative"],
)
def test_softmax_with_loss_rejects_bad_targets(t):
    with pytest.raises(ValueError):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), t)


def test_softmax_with_loss_rejects_bad_dout():
    layer = SoftmaxWithLoss()
    layer.forward(np.zeros((2, 3)), np.array([0, 1]))
    with pytest.raises(TypeError):
        layer.backward(np.ones((2, 3)))


def test_softmax_with_loss_rejects_infinite_scores():
    with pytest.raises(ValueError, match=r"x には有限の値.*x\[0, 1\] = inf"):
        SoftmaxWithLoss().forward(np.array([[0.0, np.inf]]), np.array([0]))


def test_softmax_with_loss_names_the_row_that_does_not_sum_to_one():
    with pytest.raises(ValueError, match=r"t\[1\] の和 = 0.5"):
        SoftmaxWithLoss().forward(np.zeros((2, 2)), np.array([[1.0, 0.0], [0.5, 0.0]]))


@pytest.mark.parametrize(
    ("W", "b", "x", "match"),
    [
        (np.array([[1.0, np.inf]]), np.zeros(2), np.ones((1, 1)), r"W\[0, 1\] = inf"),
        (np.ones((1, 2)), np.array([0.0, -np.inf]), np.ones((1, 1)), r"b\[1\] = -inf"),
        (np.ones((1, 2)), np.zeros(2), np.array([[np.inf]]), r"x\[0, 0\] = inf"),
    ],
)
def test_affine_rejects_infinite_values_naming_where(W, b, x, match):
    with pytest.raises(ValueError, match=match):
        Affine(W, b).forward(x)


@pytest.mark.parametrize("layer", [Sigmoid(), ReLU()])
def test_activation_layers_reject_infinite_input_and_dout(layer):
    with pytest.raises(ValueError, match=r"x\[1\] = -inf"):
        layer.forward(np.array([0.0, -np.inf]))
    layer.forward(np.zeros(2))
    with pytest.raises(ValueError, match=r"dout\[0\] = inf"):
        layer.backward(np.array([np.inf, 0.0]))


# ---------------------------------------------------------------- 計算グラフのノード


def test_add_and_mul_nodes_on_the_shopping_example():
    # 1 個 150 円のノートを 3 冊と 1 本 80 円のペンを 2 本、消費税 1.1 倍
    mul_note, mul_pen, add, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    total = mul_tax.forward(add.forward(mul_note.forward(150, 3), mul_pen.forward(80, 2)), 1.1)
    assert float(total) == pytest.approx(671.0)
    d_sum, d_tax = mul_tax.backward(1.0)
    d_notes, d_pens = add.backward(d_sum)
    d_note_price, d_note_count = mul_note.backward(d_notes)
    assert float(d_tax) == pytest.approx(610.0)
    assert float(d_note_price) == pytest.approx(3.3)
    assert float(d_note_count) == pytest.approx(165.0)
    assert float(d_pens) == pytest.approx(1.1)


@pytest.mark.parametrize(
    ("x_shape", "y_shape"),
    [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (2, 3))],
    ids=["same", "row-broadcast", "outer", "scalar"],
)
@pytest.mark.parametrize("node", [AddLayer, MulLayer])
def test_binary_nodes_match_numerical_gradient(node, x_shape, y_shape):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=x_shape), rng.normal(size=y_shape)
    layer = node()
    out = layer.forward(x, y)
    dout = rng.normal(size=out.shape)
    dx, dy = layer.backward(dout)
    assert dx.shape == x.shape and dy.shape == y.shape, "勾配は入力と同じ形"
    x_num, y_num = np.array(x, dtype=float), np.array(y, dtype=float)
    loss = lambda _: float(np.sum(node().forward(x_num, y_num) * dout))  # noqa: E731
    x_num, y_num = x_num.reshape(x_shape or (1,)), y_num.reshape(y_shape or (1,))
    np.testing.assert_allclose(dx.reshape(x_num.shape), numerical_gradient(loss, x_num), rtol=1e-6)
    np.testing.assert_allclose(dy.reshape(y_num.shape), numerical_gradient(loss, y_num), rtol=1e-6)


def test_add_node_sums_the_gradient_over_a_broadcast_batch_like_affine_db():
    layer = AddLayer()
    layer.forward(np.zeros((5, 3)), np.zeros(3))
    dout = np.arange(15.0).reshape(5, 3)
    _, db = layer.backward(dout)
    np.testing.assert_array_equal(db, dout.sum(axis=0))


@pytest.mark.parametrize("node", [ExpLayer, ReciprocalLayer])
def test_unary_nodes_match_numerical_gradient(node):
    rng = np.random.default_rng(4)
    x = rng.uniform(0.5, 2.0, size=(3, 4)) * rng.choice([-1.0, 1.0], size=(3, 4))
    _check_input_grad(node(), x, rng.normal(size=(3, 4)))


def test_sigmoid_built_from_nodes_has_gradient_y_times_1_minus_y():
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    neg, exp, add, rec = MulLayer(), ExpLayer(), AddLayer(), ReciprocalLayer()
    y = rec.forward(add.forward(exp.forward(neg.forward(x, -1.0)), 1.0))
    np.testing.assert_allclose(y, sigmoid(x))
    d_add, _ = add.backward(rec.backward(np.ones(4)))
    dx, _ = neg.backward(exp.backward(d_add))
    np.testing.assert_allclose(dx, y * (1 - y), rtol=1e-12)


@pytest.mark.parametrize("node", [AddLayer, MulLayer])
def test_binary_nodes_reject_bad_input(node):
    with pytest.raises(ValueError, match="ブロードキャスト"):
        node().forward(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="NaN"):
        node().forward(np.nan, 1.0)
    with pytest.raises(ValueError, match=r"y\[1\] = -inf"):
        node().forward(1.0, np.array([1.0, -np.inf]))
    with pytest.raises(TypeError, match="数値"):
        node().forward("a", 1.0)
    with pytest.raises(RuntimeError, match="forward"):
        node().backward(1.0)
    layer = node()
    layer.forward(np.ones(3), 2.0)
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones(4))


def test_reciprocal_node_rejects_zero():
    with pytest.raises(ValueError, match=r"x に 0 .*x\[1\] = 0.0"):
        ReciprocalLayer().forward(np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"x = inf"):
        ExpLayer().forward(np.inf)


@pytest.mark.parametrize("node", [ExpLayer, ReciprocalLayer])
def test_unary_nodes_reject_bad_input(node):
    with pytest.raises(RuntimeError, match="forward"):
        node().backward(np.ones(2))
    layer = node()
    layer.forward(np.ones(2))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones(3))
