"""埋め込みのレイヤ nnbook.layers.Embedding（第 15 章）：行の取り出し、np.add.at の逆伝播、勾配確認、悪い入力。"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient
from nnbook.layers import Embedding


def test_forward_takes_rows_and_equals_one_hot_times_w():
    W = np.arange(12.0).reshape(4, 3)
    layer = Embedding(W)
    idx = np.array([2, 0, 2])
    out = layer.forward(idx)
    np.testing.assert_array_equal(out, [[6, 7, 8], [0, 1, 2], [6, 7, 8]])
    np.testing.assert_array_equal(out, np.eye(4)[idx] @ W)
    out[0, 0] = -1.0  # 新しい配列なので W は変わらない
    assert W[2, 0] == 6.0


def test_forward_keeps_the_batch_and_time_axes():
    layer = Embedding(np.random.default_rng(0).normal(size=(5, 2)))
    assert layer.forward(np.zeros((3, 4), dtype=np.int32)).shape == (3, 4, 2)


def test_backward_adds_the_gradients_of_repeated_tokens():
    layer = Embedding(np.zeros((4, 2)))
    layer.forward([1, 3, 1, 1])
    assert layer.backward(np.ones((4, 2))) is None
    np.testing.assert_array_equal(layer.grads[0], [[0, 0], [3, 3], [0, 0], [1, 1]])


@pytest.mark.parametrize("idx", [np.array([0, 2, 2, 5, 2]), np.array([[0, 2, 2], [5, 2, 0]])])
def test_backward_matches_numerical_gradient(idx):
    rng = np.random.default_rng(1)
    W = rng.normal(size=(6, 3))
    dout = rng.normal(size=(*idx.shape, 3))
    layer = Embedding(W)
    layer.forward(idx)
    layer.backward(dout)
    num = numerical_gradient(lambda _: float(np.sum(layer.forward(idx) * dout)), W)
    np.testing.assert_allclose(layer.grads[0], num, atol=1e-7)


def test_grads_are_written_in_place_and_reset_each_backward():
    W = np.ones((3, 2))
    layer = Embedding(W)
    assert layer.params[0] is W
    grad = layer.grads[0]
    for _ in range(2):
        layer.forward([0, 0])
        layer.backward(np.ones((2, 2)))
    assert layer.grads[0] is grad
    np.testing.assert_array_equal(grad[0], [2, 2])  # 2 回目の backward で足し重ねない


def test_integer_valued_floats_and_numpy_integers_are_accepted():
    layer = Embedding(np.eye(3))
    np.testing.assert_array_equal(layer.forward(np.array([2.0, 0.0])), [[0, 0, 1], [1, 0, 0]])
    np.testing.assert_array_equal(layer.forward(np.array([1], dtype=np.uint8)), [[0, 1, 0]])


@pytest.mark.parametrize(
    ("idx", "error", "message"),
    [
        ([0, 3], ValueError, r"idx は 0〜2 .*語彙の大きさ V=3"),
        ([-1], ValueError, "idx"),
        ([0.5], ValueError, "idx は整数"),
        ([np.nan], ValueError, "idx には有限の値"),
        (np.zeros((1, 1, 1), dtype=int), ValueError, "idx は 1 次元 または 2 次元"),
        ("abc", TypeError, "idx"),
    ],
)
def test_bad_indices_name_idx(idx, error, message):
    with pytest.raises(error, match=message):
        Embedding(np.eye(3)).forward(idx)


def test_bad_weights_and_dout():
    with pytest.raises(ValueError, match="W は 2 次元"):
        Embedding(np.ones(3))
    layer = Embedding(np.ones((3, 2)))
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.ones((1, 2)))
    layer.forward([0, 1])
    with pytest.raises(ValueError, match="dout の形"):
        layer.backward(np.ones((2, 3)))
