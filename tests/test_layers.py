"""レイヤの順伝播・逆伝播：逆伝播の勾配を数値微分と比べる（勾配確認）。"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient, sigmoid, softmax
from nnbook.layers import Affine, ReLU, Sigmoid, SoftmaxWithLoss

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
    assert loss == pytest.approx(-np.log(softmax(x)[0, 2] + 1e-7))


@pytest.mark.parametrize("labels", [True, False])
def test_softmax_with_loss_backward_matches_numerical_gradient(labels):
    x = RNG.normal(size=(5, 3))
    t_labels = np.array([0, 2, 1, 1, 0])
    t = t_labels if labels else np.eye(3)[t_labels]
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()
    num = numerical_gradient(lambda _: layer.forward(x, t), x)
    # 交差エントロピー誤差の log(y + 1e-7) の δ の分だけ、(y - t)/N からわずかにずれる
    np.testing.assert_allclose(dx, num, rtol=1e-4, atol=1e-7)
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
    [np.array([0, 3]), np.array([0.5, 1.0]), np.ones((2, 2)), np.array([0, np.nan])],
    ids=["label-too-big", "non-integer", "wrong-shape", "nan"],
)
def test_softmax_with_loss_rejects_bad_targets(t):
    with pytest.raises(ValueError):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), t)


def test_softmax_with_loss_rejects_bad_dout():
    layer = SoftmaxWithLoss()
    layer.forward(np.zeros((2, 3)), np.array([0, 1]))
    with pytest.raises(TypeError):
        layer.backward(np.ones((2, 3)))
