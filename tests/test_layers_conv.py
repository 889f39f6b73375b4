"""第 10 章のレイヤとネットワーク：Convolution・Pooling・Flatten・Residual・Sequential・SimpleConvNet。

順伝播は定義どおりのループと、逆伝播は数値微分と比べる（勾配確認）。Keras との比較は
tests/test_conv_keras.py。
"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient
from nnbook.layers import Affine, Convolution, Flatten, Pooling, ReLU, Residual
from nnbook.networks import Sequential, SimpleConvNet
from nnbook.optimizers import Adam
from nnbook.trainer import Trainer

RNG = np.random.default_rng(0)


def _loop_conv(x, W, b, stride, pad):
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    oh, ow = (H + 2 * pad - FH) // stride + 1, (Wd + 2 * pad - FW) // stride + 1
    out = np.zeros((N, FN, oh, ow))
    for n in range(N):
        for f in range(FN):
            for i in range(oh):
                for j in range(ow):
                    window = xp[n, :, i * stride : i * stride + FH, j * stride : j * stride + FW]
                    out[n, f, i, j] = np.sum(window * W[f]) + b[f]
    return out


def _loop_pool(x, ph, pw, stride, pad):
    N, C, H, W = x.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], constant_values=-np.inf)
    oh, ow = (H + 2 * pad - ph) // stride + 1, (W + 2 * pad - pw) // stride + 1
    out = np.zeros((N, C, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = xp[:, :, i * stride : i * stride + ph, j * stride : j * stride + pw]
            out[:, :, i, j] = window.max(axis=(2, 3))
    return out


def _check_grads(layer, x, dout, rtol=1e-6):
    """L = Σ forward(x) ⊙ dout の x とすべてのパラメータについての勾配を数値微分と比べる。"""
    layer.forward(x)
    dx = layer.backward(dout)
    grads = [g.copy() for g in layer.grads]
    x_num = x.copy()

    def loss(_):
        return float(np.sum(layer.forward(x_num) * dout))

    np.testing.assert_allclose(dx, numerical_gradient(loss, x_num), rtol=rtol, atol=1e-8)
    for param, grad in zip(layer.params, grads):
        np.testing.assert_allclose(grad, numerical_gradient(loss, param), rtol=rtol, atol=1e-8)


CONV_CASES = [
    ((2, 3, 5, 6), (4, 3, 3, 2), 1, 0),
    ((2, 3, 5, 6), (4, 3, 3, 3), 2, 1),
    ((1, 2, 7, 7), (3, 2, 3, 3), 3, 2),
    ((2, 1, 4, 4), (2, 1, 1, 1), 1, 0),
]


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_convolution_forward_matches_the_loop(x_shape, w_shape, stride, pad):
    x, W, b = RNG.normal(size=x_shape), RNG.normal(size=w_shape), RNG.normal(size=w_shape[0])
    out = Convolution(W, b, stride=stride, pad=pad).forward(x)
    np.testing.assert_allclose(out, _loop_conv(x, W, b, stride, pad), atol=1e-12)


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_convolution_backward_matches_numerical_gradient(x_shape, w_shape, stride, pad):
    x, W, b = RNG.normal(size=x_shape), RNG.normal(size=w_shape), RNG.normal(size=w_shape[0])
    layer = Convolution(W, b, stride=stride, pad=pad)
    _check_grads(layer, x, RNG.normal(size=layer.forward(x).shape))


def test_convolution_writes_grads_in_place_and_shares_params():
    W, b = RNG.normal(size=(2, 1, 3, 3)), np.zeros(2)
    layer = Convolution(W, b, pad=1)
    assert layer.params[0] is W and layer.params[1] is b
    dW = layer.grads[0]
    x = RNG.normal(size=(3, 1, 4, 4))
    layer.forward(x)
    layer.backward(np.ones((3, 2, 4, 4)))
    assert layer.grads[0] is dW
    np.testing.assert_allclose(layer.grads[1], [48.0, 48.0])


def test_convolution_keeps_only_what_backward_needs():
    layer = Convolution(RNG.normal(size=(2, 1, 3, 3)), np.zeros(2))
    x = RNG.normal(size=(1, 1, 5, 5))
    x_in = x.copy()
    layer.forward(x)
    np.testing.assert_array_equal(x, x_in)
    assert not any(v is x for v in vars(layer).values()), (
        "入力そのものは覚えない（im2col の col で足りる）"
    )


POOL_CASES = [
    ((2, 3, 4, 6), 2, 2, 2, 0),
    ((2, 3, 5, 5), 3, 3, 1, 1),
    ((1, 2, 7, 7), 3, 3, 2, 1),
    ((2, 2, 5, 4), 2, 3, 1, 0),
]


@pytest.mark.parametrize(("shape", "ph", "pw", "stride", "pad"), POOL_CASES)
def test_pooling_forward_matches_the_loop(shape, ph, pw, stride, pad):
    x = RNG.normal(size=shape) - 3.0  # すべて負でも、パディングは選ばれない
    out = Pooling(ph, pw, stride=stride, pad=pad).forward(x)
    np.testing.assert_array_equal(out, _loop_pool(x, ph, pw, stride, pad))


@pytest.mark.parametrize(("shape", "ph", "pw", "stride", "pad"), POOL_CASES)
def test_pooling_backward_matches_numerical_gradient(shape, ph, pw, stride, pad):
    x = RNG.permutation(np.arange(np.prod(shape), dtype=float)).reshape(shape) / 7.0  # 同点なし
    layer = Pooling(ph, pw, stride=stride, pad=pad)
    _check_grads(layer, x, RNG.normal(size=layer.forward(x).shape))


def test_pooling_backward_sends_the_gradient_to_the_max_only():
    x = np.array([[[[1.0, 5.0], [3.0, 2.0]]]])
    layer = Pooling(2, 2, stride=2)
    np.testing.assert_array_equal(layer.forward(x), [[[[5.0]]]])
    np.testing.assert_array_equal(layer.backward(np.array([[[[7.0]]]])), [[[[0, 7.0], [0, 0]]]])


def test_overlapping_pooling_adds_gradients_of_a_repeated_max():
    x = np.array([[[[0.0, 9.0, 0.0]]]])
    layer = Pooling(1, 2, stride=1)
    np.testing.assert_array_equal(layer.forward(x), [[[[9.0, 9.0]]]])
    np.testing.assert_array_equal(layer.backward(np.array([[[[1.0, 2.0]]]])), [[[[0, 3.0, 0]]]])


def test_flatten_and_back():
    x = RNG.normal(size=(2, 3, 4, 5))
    layer = Flatten()
    out = layer.forward(x)
    assert out.shape == (2, 60)
    np.testing.assert_array_equal(layer.backward(out), x)


def test_residual_adds_identity_to_the_gradient():
    W, b = RNG.normal(size=(4, 4)), RNG.normal(size=4)
    x = RNG.normal(size=(3, 4))
    x[np.abs(x @ W + b) < 0.05] += 0.3  # ReLU の折れ目から離す
    layer = Residual(Affine(W, b), ReLU())
    np.testing.assert_allclose(layer.forward(x), x + np.maximum(0, x @ W + b))
    _check_grads(layer, x, RNG.normal(size=(3, 4)))
    assert layer.params[0] is W and len(layer.grads) == 2


def test_residual_with_a_zero_branch_passes_the_gradient_unchanged():
    layer = Residual(Affine(np.zeros((3, 3)), np.zeros(3)))
    dout = RNG.normal(size=(2, 3))
    layer.forward(RNG.normal(size=(2, 3)))
    np.testing.assert_array_equal(layer.backward(dout), dout)


def _tiny_convnet(**kwargs):
    return SimpleConvNet(
        input_dim=(2, 5, 5), filter_num=3, hidden_size=4, output_size=3, seed=1, **kwargs
    )


def test_simple_convnet_backprop_matches_numerical_gradient():
    net = _tiny_convnet()
    x = RNG.normal(size=(4, 2, 5, 5))
    t = np.array([0, 2, 1, 2])
    net.forward(x, t)
    net.backward()
    grads = [g.copy() for g in net.grads]
    assert [p.shape for p in net.params] == [(3, 2, 3, 3), (3,), (12, 4), (4,), (4, 3), (3,)]
    for param, grad in zip(net.params, grads):
        num = numerical_gradient(lambda _: net.forward(x, t), param)
        np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-8)


def test_simple_convnet_layers_and_shapes():
    net = SimpleConvNet(input_dim=(1, 8, 8), filter_num=16, hidden_size=50)
    kinds = [type(layer).__name__ for layer in net.layers]
    assert kinds == ["Convolution", "ReLU", "Pooling", "Flatten", "Affine", "ReLU", "Affine"]
    assert net.params[2].shape == (16 * 4 * 4, 50)
    assert sum(p.size for p in net.params) == 16 * 9 + 16 + 256 * 50 + 50 + 50 * 10 + 10
    assert net.predict(np.zeros((3, 1, 8, 8))).shape == (3, 10)


def test_simple_convnet_learns_with_the_trainer_and_adam():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 1, 6, 6))
    t = (x[:, 0, :3].sum(axis=(1, 2)) > x[:, 0, 3:].sum(axis=(1, 2))).astype(int)  # 上半分が明るい
    net = SimpleConvNet(input_dim=(1, 6, 6), filter_num=4, hidden_size=8, output_size=2, seed=0)
    trainer = Trainer(net, Adam(lr=0.01), seed=0)
    trainer.fit(x, t, max_epoch=30, batch_size=20, eval_interval=3, x_val=x, t_val=t)
    assert trainer.loss_list[-1] < 0.5 * trainer.loss_list[0]
    assert net.accuracy(x, t) > 0.9 and len(trainer.val_acc_list) == 30


def test_sequential_collects_params_of_nested_residual_blocks():
    A, B, C = (Affine(RNG.normal(size=(3, 3)), np.zeros(3)) for _ in range(3))
    net = Sequential([A, ReLU(), Residual(B, ReLU()), C])
    assert len(net.params) == 6 and net.params[2] is B.params[0]
    x, t = RNG.normal(size=(5, 3)), np.array([0, 1, 2, 0, 1])
    net.forward(x, t)
    net.backward()
    grads = [g.copy() for g in net.grads]
    for param, grad in zip(net.params, grads):
        num = numerical_gradient(lambda _: net.forward(x, t), param)
        np.testing.assert_allclose(grad, num, rtol=1e-5, atol=1e-8)


def test_accuracy_in_batches_equals_accuracy_at_once():
    net = _tiny_convnet()
    x, t = RNG.normal(size=(7, 2, 5, 5)), RNG.integers(0, 3, 7)
    assert net.accuracy(x, t, batch_size=2) == net.accuracy(x, t, batch_size=100)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: Convolution(np.ones((2, 1, 3)), np.zeros(2)), ValueError, "W は 4 次元"),
        (lambda: Convolution(np.ones((2, 1, 3, 3)), np.zeros(3)), ValueError, "b の形"),
        (lambda: Convolution(np.ones((2, 1, 3, 3)), np.zeros(2), stride=0), ValueError, "stride"),
        (lambda: Convolution(np.ones((2, 1, 3, 3)), np.zeros(2), pad=1.0), TypeError, "pad"),
        (
            lambda: Convolution(np.full((2, 1, 3, 3), np.inf), np.zeros(2)),
            ValueError,
            r"W\[0, 0, 0, 0\] = inf",
        ),
        (
            lambda: Convolution(np.ones((2, 1, 3, 3)), np.zeros(2)).forward(np.ones((1, 2, 4, 4))),
            ValueError,
            "チャンネル数",
        ),
        (
            lambda: Convolution(np.ones((2, 1, 3, 3)), np.zeros(2)).forward(np.ones((4, 4))),
            ValueError,
            r"x は shape \(N, C, H, W\)",
        ),
        (
            lambda: Convolution(np.ones((2, 1, 5, 5)), np.zeros(2)).forward(np.ones((1, 1, 4, 4))),
            ValueError,
            "フィルタ 5×5",
        ),
        (lambda: Pooling(2, 2, pad=2), ValueError, "pad"),
        (lambda: Pooling(0, 2), ValueError, "pool_h"),
        (lambda: Pooling(2, "2"), TypeError, "pool_w"),
        (lambda: Pooling(3, 3).forward(np.ones((1, 1, 2, 2))), ValueError, "窓 3×3"),
        (lambda: Pooling(2, 2).forward(np.ones((2, 2))), ValueError, "x は shape"),
        (lambda: Flatten().forward(np.ones(3)), ValueError, "x は shape"),
        (lambda: Residual(), ValueError, "レイヤ"),
        (lambda: Residual(object()), TypeError, "forward"),
        (
            lambda: Residual(Affine(np.ones((3, 2)), np.zeros(2))).forward(np.ones((1, 3))),
            ValueError,
            "F",
        ),
        (lambda: Sequential([]), TypeError, "layers"),
        (lambda: Sequential([ReLU(), 3]), TypeError, r"layers\[1\]"),
        (lambda: SimpleConvNet(input_dim=(8, 8)), TypeError, "input_dim"),
        (lambda: SimpleConvNet(input_dim=(1, 8, 8), filter_num=0), ValueError, "filter_num"),
        (lambda: SimpleConvNet(input_dim=(1, 2, 2), pad=0), ValueError, "filter_size"),
        (lambda: SimpleConvNet(input_dim=(1, 3, 3), pad=0, pool_size=2), ValueError, "pool_size"),
        (lambda: SimpleConvNet(weight_init_std="big"), ValueError, "weight_init_std"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("layer", [Convolution(np.ones((1, 1, 2, 2)), np.zeros(1)), Pooling(2, 2)])
def test_backward_before_forward_is_explained(layer):
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.ones((1, 1, 1, 1)))


def test_backward_checks_the_shape_of_dout():
    layer = Convolution(np.ones((2, 1, 3, 3)), np.zeros(2))
    layer.forward(np.ones((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones((1, 2, 3, 3)))
    pool = Pooling(2, 2, stride=2)
    pool.forward(np.ones((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="dout"):
        pool.backward(np.ones((1, 1, 3, 3)))


def test_trainer_accepts_images_and_checks_validation_shape():
    net = _tiny_convnet()
    x, t = RNG.normal(size=(6, 2, 5, 5)), RNG.integers(0, 3, 6)
    Trainer(net, Adam()).fit(x, t, max_epoch=1, batch_size=3, eval_interval=1, x_val=x, t_val=t)
    with pytest.raises(ValueError, match="x_val"):
        Trainer(net, Adam()).fit(
            x, t, max_epoch=1, batch_size=3, eval_interval=1, x_val=x[:, :1], t_val=t
        )
    with pytest.raises(ValueError, match="x は 2 次元 または 4 次元"):
        Trainer(net, Adam()).fit(x[:, 0], t, max_epoch=1, batch_size=3, eval_interval=1)
