"""第 IV 部のレイヤ：注意機構・マルチヘッド注意・層正規化・因果マスク・位置エンコーディング。

逆伝播は数値微分と比べ（勾配確認、float64）、マスク・既知の値・悪い入力も確かめる。
Keras との一致は test_layers_attention_keras.py。
"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient, softmax
from nnbook.layers import (
    LayerNorm,
    MultiHeadAttention,
    ScaledDotProductAttention,
    causal_mask,
    positional_encoding,
)

RNG = np.random.default_rng(0)


def _numerical(loss, x):
    """loss() の x についての数値微分（x はその場で少しずつ書き換わり、元に戻る）。"""
    return numerical_gradient(lambda _: loss(), x, h=1e-5)


def _mha(D=6, h=2, d_k=3, d_v=4, D_o=5, D_kv=None, seed=0):
    rng = np.random.default_rng(seed)
    D_kv = D if D_kv is None else D_kv
    shapes = [(D, h * d_k), (D_kv, h * d_k), (D_kv, h * d_v), (h * d_v, D_o)]
    args = []
    for shape in shapes:
        args += [rng.normal(size=shape) / np.sqrt(shape[0]), rng.normal(size=shape[1]) * 0.1]
    return MultiHeadAttention(*args, num_heads=h)


# ---------------------------------------------------------------- causal_mask・positional_encoding


def test_causal_mask_is_lower_triangular():
    mask = causal_mask(4)
    assert mask.dtype == bool and mask.shape == (4, 4)
    np.testing.assert_array_equal(mask, np.tril(np.ones((4, 4))) == 1)
    assert mask[0].tolist() == [True, False, False, False], "最初の時刻は自分だけに注意する"
    assert mask[3].all(), "最後の時刻はすべてに注意する"


def test_positional_encoding_known_values():
    pe = positional_encoding(3, 4)
    assert pe.shape == (3, 4)
    np.testing.assert_allclose(pe[0], [0.0, 1.0, 0.0, 1.0])
    np.testing.assert_allclose(pe[1], [np.sin(1), np.cos(1), np.sin(0.01), np.cos(0.01)])
    np.testing.assert_allclose(pe[2, 2], np.sin(2 / 100))


def test_positional_encoding_odd_width_and_range():
    pe = positional_encoding(50, 5)
    assert pe.shape == (50, 5)
    assert np.all(np.abs(pe) <= 1.0)
    np.testing.assert_allclose(pe[:, 4], np.sin(np.arange(50) / 10000 ** (4 / 5)))


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "3", None])
def test_causal_mask_and_positional_encoding_reject_bad_sizes(bad):
    with pytest.raises((TypeError, ValueError), match="T"):
        causal_mask(bad)
    with pytest.raises((TypeError, ValueError), match="D"):
        positional_encoding(3, bad)


# ---------------------------------------------------------------- ScaledDotProductAttention


def test_attention_known_values():
    Q = np.array([[[1.0, 0.0]]])  # (1, 1, 2)
    K = np.array([[[1.0, 0.0], [0.0, 1.0]]])  # (1, 2, 2)
    V = np.array([[[10.0], [20.0]]])  # (1, 2, 1)
    out = ScaledDotProductAttention().forward(Q, K, V)
    a = softmax(np.array([1.0, 0.0]) / np.sqrt(2))
    np.testing.assert_allclose(out, [[[10 * a[0] + 20 * a[1]]]])


def test_attention_weights_rows_sum_to_one_and_output_is_weighted_mean():
    Q, K, V = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 5, 4)), RNG.normal(size=(2, 5, 3))
    layer = ScaledDotProductAttention()
    out = layer.forward(Q, K, V)
    A = layer.attention_weights
    assert A.shape == (2, 3, 5) and out.shape == (2, 3, 3)
    np.testing.assert_allclose(A.sum(axis=-1), 1.0)
    np.testing.assert_allclose(
        A, softmax((Q @ K.transpose(0, 2, 1) / 2.0).reshape(-1, 5)).reshape(2, 3, 5)
    )
    np.testing.assert_allclose(out, A @ V)


def test_attention_masked_positions_get_zero_weight():
    T = 4
    X = RNG.normal(size=(2, T, 3))
    layer = ScaledDotProductAttention()
    layer.forward(X, X, X, mask=causal_mask(T))
    A = layer.attention_weights
    assert np.all(A[:, np.triu_indices(T, 1)[0], np.triu_indices(T, 1)[1]] == 0.0)
    np.testing.assert_array_equal(A[:, 0], [[1, 0, 0, 0]] * 2)  # 最初の時刻は自分だけ
    np.testing.assert_allclose(A.sum(axis=-1), 1.0)


def test_attention_batch_mask_and_numeric_mask():
    Q, K, V = RNG.normal(size=(2, 2, 3)), RNG.normal(size=(2, 3, 3)), RNG.normal(size=(2, 3, 2))
    mask = np.array([[[1, 1, 0], [1, 1, 0]], [[1, 0, 0], [1, 1, 1]]])
    layer = ScaledDotProductAttention()
    layer.forward(Q, K, V, mask=mask)
    A = layer.attention_weights
    np.testing.assert_array_equal(A == 0, mask == 0)
    np.testing.assert_allclose(A[1, 0], [1.0, 0.0, 0.0])


def test_attention_does_not_change_inputs():
    Q, K, V = RNG.normal(size=(1, 2, 3)), RNG.normal(size=(1, 2, 3)), RNG.normal(size=(1, 2, 3))
    copies = [a.copy() for a in (Q, K, V)]
    layer = ScaledDotProductAttention()
    layer.forward(Q, K, V, mask=causal_mask(2))
    layer.backward(np.ones((1, 2, 3)))
    for a, c in zip((Q, K, V), copies):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize("masked", [False, True])
def test_attention_backward_matches_numerical_gradient(masked):
    Q, K, V = RNG.normal(size=(2, 4, 3)), RNG.normal(size=(2, 4, 3)), RNG.normal(size=(2, 4, 2))
    dout = RNG.normal(size=(2, 4, 2))
    mask = causal_mask(4) if masked else None
    layer = ScaledDotProductAttention()
    layer.forward(Q, K, V, mask)
    grads = layer.backward(dout)

    def loss():
        return float(np.sum(layer.forward(Q, K, V, mask) * dout))

    for x, grad in zip((Q, K, V), grads):
        np.testing.assert_allclose(grad, _numerical(loss, x), rtol=1e-6, atol=1e-9)


def test_attention_cross_lengths_backward():
    Q, K, V = RNG.normal(size=(1, 2, 3)), RNG.normal(size=(1, 5, 3)), RNG.normal(size=(1, 5, 4))
    dout = RNG.normal(size=(1, 2, 4))
    layer = ScaledDotProductAttention()
    layer.forward(Q, K, V)
    dQ, dK, dV = layer.backward(dout)
    assert (dQ.shape, dK.shape, dV.shape) == (Q.shape, K.shape, V.shape)
    np.testing.assert_allclose(
        dK, _numerical(lambda: float(np.sum(layer.forward(Q, K, V) * dout)), K), atol=1e-9
    )


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.zeros((2, 3)), np.zeros((1, 2, 3)), np.zeros((1, 2, 3))), "Q"),
        ((np.zeros((1, 2, 3)), np.zeros((1, 2, 4)), np.zeros((1, 2, 3))), "K"),
        ((np.zeros((1, 2, 3)), np.zeros((2, 2, 3)), np.zeros((2, 2, 3))), "K"),
        ((np.zeros((1, 2, 3)), np.zeros((1, 2, 3)), np.zeros((1, 3, 3))), "V"),
        ((np.full((1, 2, 3), np.nan), np.zeros((1, 2, 3)), np.zeros((1, 2, 3))), "Q"),
        ((np.zeros((1, 2, 3)), np.zeros((1, 2, 3)), np.array([[[np.inf] * 3] * 2])), "V"),
    ],
)
def test_attention_rejects_bad_inputs(args, match):
    with pytest.raises(ValueError, match=match):
        ScaledDotProductAttention().forward(*args)


@pytest.mark.parametrize(
    ("mask", "match"),
    [
        (np.ones((3, 3), dtype=bool), "mask の形"),
        (np.ones((2, 2, 2), dtype=bool), "mask の形"),
        (np.array([[True, False], [False, False]]), "True が 1 つ"),
        (np.array([[1, 0], [1, 2]]), "0 と 1"),
        (np.array([[1.0, np.nan], [1.0, 1.0]]), "NaN"),
        ("ab", "mask"),
    ],
)
def test_attention_rejects_bad_masks(mask, match):
    X = np.zeros((1, 2, 3))
    with pytest.raises((TypeError, ValueError), match=match):
        ScaledDotProductAttention().forward(X, X, X, mask=mask)


def test_attention_backward_needs_forward_and_right_dout():
    layer = ScaledDotProductAttention()
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.zeros((1, 2, 3)))
    X = np.zeros((1, 2, 3))
    layer.forward(X, X, X)
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.zeros((1, 3, 3)))


# ---------------------------------------------------------------- MultiHeadAttention


def test_mha_single_head_equals_attention_on_projections():
    layer = _mha(h=1)
    W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O = layer.params
    X = RNG.normal(size=(2, 4, 6))
    out = layer.forward(X)
    Q, K, V = X @ W_Q + b_Q, X @ W_K + b_K, X @ W_V + b_V
    A = softmax((Q @ K.transpose(0, 2, 1) / np.sqrt(3)).reshape(-1, 4)).reshape(2, 4, 4)
    np.testing.assert_allclose(out, A @ V @ W_O + b_O)


def test_mha_heads_are_independent_column_blocks():
    layer = _mha(h=2, d_k=3, d_v=4)
    W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O = layer.params
    X = RNG.normal(size=(1, 3, 6))
    out = layer.forward(X)
    heads = []
    for i in range(2):
        q, k = slice(3 * i, 3 * i + 3), slice(4 * i, 4 * i + 4)
        Q, K, V = X @ W_Q[:, q] + b_Q[q], X @ W_K[:, q] + b_K[q], X @ W_V[:, k] + b_V[k]
        heads.append(ScaledDotProductAttention().forward(Q, K, V))
    np.testing.assert_allclose(out, np.concatenate(heads, axis=-1) @ W_O + b_O)
    assert layer.attention_weights.shape == (1, 2, 3, 3)


@pytest.mark.parametrize("mode", ["self", "self-causal", "cross", "cross-key"])
def test_mha_backward_matches_numerical_gradient(mode):
    layer = _mha(D=4, h=2, d_k=2, d_v=3, D_o=3, D_kv=None if mode.startswith("self") else 5)
    query = RNG.normal(size=(2, 3, 4))
    value = None if mode.startswith("self") else RNG.normal(size=(2, 4, 5))
    key = RNG.normal(size=(2, 4, 5)) if mode == "cross-key" else None
    mask = causal_mask(3) if mode == "self-causal" else None
    inputs = [x for x in (query, value, key) if x is not None]
    dout = RNG.normal(size=(2, 3, 3))

    def loss():
        return float(np.sum(layer.forward(*inputs, mask=mask) * dout))

    layer.forward(*inputs, mask=mask)
    dx = layer.backward(dout)
    dx = (dx,) if len(inputs) == 1 else dx
    assert len(dx) == len(inputs)
    grads = [g.copy() for g in layer.grads]
    for x, g in zip(inputs, dx):
        np.testing.assert_allclose(g, _numerical(loss, x), rtol=1e-6, atol=1e-9)
    for p, g in zip(layer.params, grads):
        np.testing.assert_allclose(g, _numerical(loss, p), rtol=1e-6, atol=1e-9)


def test_mha_shares_params_and_writes_grads_in_place():
    args = [RNG.normal(size=s) for s in [(4, 4), (4,), (4, 4), (4,), (4, 4), (4,), (4, 4), (4,)]]
    layer = MultiHeadAttention(*args, num_heads=2)
    assert all(p is a for p, a in zip(layer.params, args))
    before = list(layer.grads)
    layer.forward(RNG.normal(size=(1, 3, 4)))
    layer.backward(np.ones((1, 3, 4)))
    assert all(g is b for g, b in zip(layer.grads, before))
    np.testing.assert_allclose(layer.grads[7], [3.0] * 4)


def test_mha_rejects_bad_construction_and_inputs():
    ok = [np.zeros(s) for s in [(4, 4), (4,), (4, 4), (4,), (4, 4), (4,), (4, 4), (4,)]]
    with pytest.raises(ValueError, match="num_heads"):
        MultiHeadAttention(*ok, num_heads=3)
    with pytest.raises(TypeError, match="num_heads"):
        MultiHeadAttention(*ok, num_heads=2.0)
    bad = list(ok)
    bad[3] = np.zeros(3)
    with pytest.raises(ValueError, match="b_K"):
        MultiHeadAttention(*bad, num_heads=2)
    bad = list(ok)
    bad[6] = np.zeros((6, 4))
    with pytest.raises(ValueError, match="W_O"):
        MultiHeadAttention(*bad, num_heads=2)
    layer = MultiHeadAttention(*ok, num_heads=2)
    with pytest.raises(ValueError, match="query"):
        layer.forward(np.zeros((1, 3, 5)))
    with pytest.raises(ValueError, match="value"):
        layer.forward(np.zeros((1, 3, 4)), np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="mask"):
        layer.forward(np.zeros((1, 3, 4)), mask=causal_mask(4))
    with pytest.raises(ValueError, match="query"):
        layer.forward(np.array([[[np.nan] * 4]]))


# ---------------------------------------------------------------- LayerNorm


def test_layer_norm_normalizes_last_axis():
    x = RNG.normal(3.0, 2.0, size=(2, 3, 5))
    out = LayerNorm(np.ones(5), np.zeros(5), eps=1e-12).forward(x)
    np.testing.assert_allclose(out.mean(axis=-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=-1), 1.0, rtol=1e-9)


def test_layer_norm_known_values():
    out = LayerNorm(np.array([2.0, 2.0]), np.array([1.0, 0.0]), eps=0.0 + 1e-300).forward(
        np.array([[1.0, 3.0]])
    )
    np.testing.assert_allclose(out, [[-1.0, 2.0]])


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
def test_layer_norm_backward_matches_numerical_gradient(shape):
    x = RNG.normal(size=shape)
    layer = LayerNorm(RNG.normal(size=5), RNG.normal(size=5), eps=1e-3)
    dout = RNG.normal(size=shape)

    def loss():
        return float(np.sum(layer.forward(x) * dout))

    layer.forward(x)
    dx = layer.backward(dout)
    grads = [g.copy() for g in layer.grads]
    np.testing.assert_allclose(dx, _numerical(loss, x), rtol=1e-6, atol=1e-9)
    for p, g in zip(layer.params, grads):
        np.testing.assert_allclose(g, _numerical(loss, p), rtol=1e-6, atol=1e-9)


def test_layer_norm_rejects_bad_input():
    with pytest.raises(ValueError, match="beta"):
        LayerNorm(np.ones(3), np.zeros(4))
    with pytest.raises(ValueError, match="eps"):
        LayerNorm(np.ones(3), np.zeros(3), eps=0.0)
    layer = LayerNorm(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="x"):
        layer.forward(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="x"):
        layer.forward(np.array([[1.0, np.nan, 0.0]]))
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.zeros((2, 3)))
