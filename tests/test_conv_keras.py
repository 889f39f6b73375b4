"""第 10 章の Convolution・Pooling を Keras（独立の答え）と比べる：float64 で 1e-10 以内。

配列の並びの対応：nnbook は画像 (N, C, H, W)・フィルタ (FN, C, FH, FW)、Keras は画像 (N, H, W, C)・
カーネル (FH, FW, C, FN)。x_keras = x.transpose(0, 2, 3, 1)、kernel = W.transpose(2, 3, 1, 0)。

- パディング pad の畳み込みは ``ZeroPadding2D(pad)`` → ``Conv2D(padding="valid")`` と同じ
  （3×3・ストライド 1・pad 1 なら ``padding="same"`` とも同じ）。
- 最大値プーリングのパディングは Keras の ``padding="same"`` と同じく「選ばれない値」で埋める。
  same のパディングが上下左右に同じ幅になる大きさで比べる。
"""

import numpy as np
import pytest

from nnbook.layers import Convolution, Pooling

TOL = 1e-10


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("nnbook._quiet").import_keras()


@pytest.fixture(scope="module")
def tf(keras):
    import tensorflow as tf

    return tf


def nhwc(x):
    return x.transpose(0, 2, 3, 1)


def nchw(x):
    return np.asarray(x).transpose(0, 3, 1, 2)


CONV_CASES = [
    # (x の形 (N, C, H, W), W の形 (FN, C, FH, FW), stride, pad)
    ((2, 3, 8, 8), (4, 3, 3, 3), 1, 0),
    ((2, 3, 8, 8), (4, 3, 3, 3), 1, 1),
    ((2, 3, 9, 7), (5, 3, 3, 2), 2, 1),
    ((1, 2, 8, 8), (3, 2, 5, 5), 3, 2),
    ((2, 1, 6, 6), (2, 1, 1, 1), 2, 0),
]


def _keras_conv(keras, x_shape, W, b, stride, pad):
    FN, C, FH, FW = W.shape
    inputs = keras.Input(shape=nhwc(np.zeros(x_shape)).shape[1:], dtype="float64")
    h = keras.layers.ZeroPadding2D(pad, dtype="float64")(inputs) if pad else inputs
    conv = keras.layers.Conv2D(FN, (FH, FW), strides=stride, padding="valid", dtype="float64")
    model = keras.Model(inputs, conv(h))
    conv.set_weights([W.transpose(2, 3, 1, 0), b])
    return model, conv


@pytest.mark.parametrize(("x_shape", "w_shape", "stride", "pad"), CONV_CASES)
def test_convolution_forward_and_backward_equal_keras_conv2d(
    keras, tf, x_shape, w_shape, stride, pad
):
    rng = np.random.default_rng(sum(x_shape) + 10 * stride + pad)
    x, W, b = rng.normal(size=x_shape), rng.normal(size=w_shape), rng.normal(size=w_shape[0])
    ours = Convolution(W.copy(), b.copy(), stride=stride, pad=pad)
    out = ours.forward(x)
    model, conv = _keras_conv(keras, x_shape, W, b, stride, pad)
    xt = tf.constant(nhwc(x))
    dout = rng.normal(size=out.shape)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        theirs = model(xt)
        loss = tf.reduce_sum(theirs * nhwc(dout))
    gx, gk, gb = tape.gradient(loss, [xt, conv.kernel, conv.bias])
    np.testing.assert_allclose(out, nchw(theirs), rtol=0, atol=TOL)
    dx = ours.backward(dout)
    np.testing.assert_allclose(dx, nchw(gx), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours.grads[0], np.asarray(gk).transpose(3, 2, 0, 1), atol=TOL)
    np.testing.assert_allclose(ours.grads[1], np.asarray(gb), rtol=0, atol=TOL)


def test_same_padding_is_pad_1_for_a_3x3_filter(keras):
    rng = np.random.default_rng(3)
    x, W, b = rng.normal(size=(2, 2, 7, 7)), rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    conv = keras.layers.Conv2D(3, 3, padding="same", dtype="float64")
    conv.build((None, 7, 7, 2))
    conv.set_weights([W.transpose(2, 3, 1, 0), b])
    np.testing.assert_allclose(
        Convolution(W, b, pad=1).forward(x), nchw(conv(nhwc(x))), rtol=0, atol=TOL
    )


POOL_CASES = [
    # (x の形, pool, stride, pad, Keras の padding)
    ((2, 3, 8, 8), 2, 2, 0, "valid"),
    ((2, 3, 7, 7), 2, 2, 0, "valid"),
    ((2, 3, 8, 8), 3, 1, 0, "valid"),
    ((2, 2, 9, 9), 3, 2, 0, "valid"),
    ((2, 3, 6, 6), 3, 1, 1, "same"),
    ((2, 2, 7, 7), 3, 2, 1, "same"),
    ((1, 2, 9, 9), 5, 1, 2, "same"),
]


@pytest.mark.parametrize(("x_shape", "pool", "stride", "pad", "padding"), POOL_CASES)
def test_pooling_forward_and_backward_equal_keras_maxpooling2d(
    keras, tf, x_shape, pool, stride, pad, padding
):
    rng = np.random.default_rng(sum(x_shape) + pool + stride)
    x = rng.normal(size=x_shape) - 1.0  # 負の値が多くても、パディングは選ばれない
    ours = Pooling(pool, pool, stride=stride, pad=pad)
    out = ours.forward(x)
    layer = keras.layers.MaxPooling2D(pool, strides=stride, padding=padding, dtype="float64")
    xt = tf.constant(nhwc(x))
    dout = rng.normal(size=out.shape)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        theirs = layer(xt)
        loss = tf.reduce_sum(theirs * nhwc(dout))
    np.testing.assert_allclose(out, nchw(theirs), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours.backward(dout), nchw(tape.gradient(loss, xt)), atol=TOL)
