"""nnbook.transformer：位置ごとの全結合層・pre-LN のブロック・パラメータの数（第 17 章）。

逆伝播は数値微分と比べ（勾配確認、float64）、因果マスク・残差接続・悪い入力も確かめる。
Keras との一致は test_transformer_keras.py。
"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient
from nnbook.layers import LayerNorm, MultiHeadAttention
from nnbook.transformer import FeedForward, TransformerBlock, gpt_param_count, transformer_block

N, T, D, H, D_FF = 2, 4, 6, 2, 8


def _numerical(loss, x):
    return numerical_gradient(lambda _: loss(), x, h=1e-5)


def _ffn(seed=0, D=D, d_ff=D_FF):
    rng = np.random.default_rng(seed)
    return FeedForward(
        rng.normal(size=(D, d_ff)) / np.sqrt(D),
        rng.normal(size=d_ff) * 0.1,
        rng.normal(size=(d_ff, D)) / np.sqrt(d_ff),
        rng.normal(size=D) * 0.1,
    )


def _block(seed=0, causal=True):
    block = transformer_block(D, H, D_FF, seed=seed, causal=causal)
    rng = np.random.default_rng(seed + 100)
    for p in block.params:  # γ と β も 1 と 0 から動かして、すべての項を勾配確認に入れる
        p += rng.normal(size=p.shape) * 0.1
    return block


def _grad_check(layer, x, dout):
    layer.forward(x)
    dx = layer.backward(dout)
    analytic = [g.copy() for g in layer.grads]

    def loss():
        return float(np.sum(layer.forward(x) * dout))

    assert np.max(np.abs(dx - _numerical(loss, x))) < 1e-6
    for p, g in zip(layer.params, analytic):
        assert np.max(np.abs(g - _numerical(loss, p))) < 1e-6


# ---------------------------------------------------------------- FeedForward


def test_feed_forward_known_values():
    ffn = FeedForward(
        np.array([[1.0, -1.0]]), np.zeros(2), np.array([[2.0], [3.0]]), np.array([0.5])
    )
    x = np.array([[[1.0], [-2.0]]])  # (1, 2, 1)
    # 時刻 0: ReLU([1, -1]) = [1, 0] → 2 + 0.5、時刻 1: ReLU([-2, 2]) = [0, 2] → 6 + 0.5
    np.testing.assert_allclose(ffn.forward(x), [[[2.5], [6.5]]])


def test_feed_forward_gradients():
    rng = np.random.default_rng(1)
    _grad_check(_ffn(), rng.normal(size=(N, T, D)), rng.normal(size=(N, T, D)))


def test_feed_forward_is_positionwise():
    ffn = _ffn()
    x = np.random.default_rng(2).normal(size=(N, T, D))
    out = ffn.forward(x)
    np.testing.assert_allclose(ffn.forward(x[:, 1:2]), out[:, 1:2])


@pytest.mark.parametrize(
    ("x", "err", "match"),
    [
        (np.zeros((2, 6)), ValueError, "x"),
        (np.zeros((1, 2, 5)), ValueError, r"shape \(N, T, 6\)"),
        (np.full((1, 2, 6), np.nan), ValueError, "NaN"),
        (np.array([[["a"] * 6]]), TypeError, "x"),
    ],
)
def test_feed_forward_rejects_bad_input(x, err, match):
    with pytest.raises(err, match=match):
        _ffn().forward(x)


def test_feed_forward_rejects_mismatched_weights():
    with pytest.raises(ValueError, match="W2"):
        FeedForward(np.zeros((6, 8)), np.zeros(8), np.zeros((8, 5)), np.zeros(5))


def test_feed_forward_backward_needs_forward():
    with pytest.raises(RuntimeError, match="forward"):
        _ffn().backward(np.zeros((N, T, D)))


# ---------------------------------------------------------------- TransformerBlock


@pytest.mark.parametrize("causal", [True, False])
def test_block_gradients(causal):
    rng = np.random.default_rng(3)
    _grad_check(_block(causal=causal), rng.normal(size=(N, T, D)), rng.normal(size=(N, T, D)))


def test_block_is_causal():
    block = _block()
    x = np.random.default_rng(4).normal(size=(1, T, D))
    out = block.forward(x)
    x2 = x.copy()
    x2[:, -1] += np.arange(D)  # 最後の時刻だけ変える（定数を足すと LayerNorm が消す）
    out2 = block.forward(x2)
    np.testing.assert_allclose(out2[:, :-1], out[:, :-1], atol=1e-12)
    assert not np.allclose(out2[:, -1], out[:, -1])
    A = block.attention_weights
    assert A.shape == (1, H, T, T) and np.all(np.triu(A[0, 0], k=1) == 0.0)


def test_block_not_causal_sees_the_future():
    block = _block(causal=False)
    x = np.random.default_rng(4).normal(size=(1, T, D))
    out = block.forward(x)
    x2 = x.copy()
    x2[:, -1] += np.arange(D)  # LayerNorm が消さないよう、定数でないずらし方
    assert not np.allclose(block.forward(x2)[:, 0], out[:, 0])


def test_block_matches_its_formula():
    block = _block()
    x = np.random.default_rng(5).normal(size=(N, T, D))
    ln1, mha, ln2, ffn = block.layers
    from nnbook.layers import causal_mask

    h = x + mha.forward(ln1.forward(x), mask=causal_mask(T))
    expected = h + ffn.forward(ln2.forward(h))
    np.testing.assert_allclose(block.forward(x), expected)


def test_block_with_zero_weights_is_identity():
    block = transformer_block(D, H, D_FF, seed=0)
    for p in block.params:
        p[...] = 0.0  # 注意も全結合層も 0 を返す：残差接続だけが残る
    x = np.random.default_rng(6).normal(size=(N, T, D))
    np.testing.assert_allclose(block.forward(x), x)
    dout = np.random.default_rng(7).normal(size=(N, T, D))
    np.testing.assert_allclose(block.backward(dout), dout)


def test_block_params_are_shared_with_layers():
    block = _block()
    assert len(block.params) == 2 + 8 + 2 + 4
    assert block.params[0] is block.ln1.params[0] and block.grads[-1] is block.ffn.grads[-1]


def test_block_rejects_wrong_types_and_sizes():
    good = transformer_block(D, H, D_FF, seed=0)
    with pytest.raises(TypeError, match="attention"):
        TransformerBlock(good.ln1, good.ffn, good.ln2, good.ffn)
    with pytest.raises(ValueError, match="ln2"):
        TransformerBlock(good.ln1, good.attention, LayerNorm(np.ones(4), np.zeros(4)), good.ffn)
    with pytest.raises(ValueError, match="ffn"):
        TransformerBlock(good.ln1, good.attention, good.ln2, _ffn(D=4))
    with pytest.raises(TypeError, match="causal"):
        TransformerBlock(good.ln1, good.attention, good.ln2, good.ffn, causal="yes")
    assert isinstance(good.attention, MultiHeadAttention)


def test_block_rejects_bad_input():
    block = _block()
    with pytest.raises(ValueError, match=r"shape \(N, T, 6\)"):
        block.forward(np.zeros((1, 3, 4)))
    with pytest.raises(ValueError, match="x"):
        block.forward(np.zeros((3, 6)))
    with pytest.raises(ValueError, match="inf"):
        block.forward(np.full((1, 2, 6), np.inf))
    with pytest.raises(RuntimeError, match="forward"):
        _block().backward(np.zeros((N, T, D)))
    block.forward(np.zeros((N, T, D)))
    with pytest.raises(ValueError, match="dout"):
        block.backward(np.zeros((N, T + 1, D)))


@pytest.mark.parametrize(
    ("args", "err", "match"),
    [
        ((6, 4, 8), ValueError, "割り切れません"),
        ((0, 1, 8), ValueError, "d_model"),
        ((6.0, 2, 8), TypeError, "d_model"),
        ((6, 2, True), TypeError, "d_ff"),
    ],
)
def test_transformer_block_rejects_bad_sizes(args, err, match):
    with pytest.raises(err, match=match):
        transformer_block(*args)


def test_transformer_block_seed_is_reproducible():
    a, b = transformer_block(D, H, D_FF, seed=1), transformer_block(D, H, D_FF, seed=1)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))


# ---------------------------------------------------------------- gpt_param_count


def test_gpt_param_count_matches_numpy_block():
    block = transformer_block(D, H, D_FF, seed=0)
    per_block = sum(p.size for p in block.params)
    V = 10
    without_blocks = gpt_param_count(V, D, 0, D_FF)
    assert gpt_param_count(V, D, 3, D_FF) == without_blocks + 3 * per_block
    assert per_block == 4 * D * D + 4 * D + 2 * D * D_FF + D_FF + D + 4 * D


def test_gpt_param_count_known_value():
    # V=762, D=64, 2 ブロック, d_ff=256, 学習する位置 64
    V, D_, L, F, Tc = 762, 64, 2, 256, 64
    expected = (
        V * D_
        + Tc * D_
        + L * (4 * D_ * D_ + 4 * D_ + 2 * D_ * F + F + D_ + 4 * D_)
        + 2 * D_
        + D_ * V
        + V
    )
    assert gpt_param_count(V, D_, L, F, context=Tc) == expected == 202_490


@pytest.mark.parametrize(
    ("kwargs", "err", "match"),
    [
        ({"vocab_size": 0}, ValueError, "vocab_size"),
        ({"n_layers": -1}, ValueError, "n_layers"),
        ({"d_model": 2.5}, TypeError, "d_model"),
        ({"context": 0}, ValueError, "context"),
    ],
)
def test_gpt_param_count_rejects_bad_input(kwargs, err, match):
    args = {"vocab_size": 10, "d_model": 4, "n_layers": 1, "d_ff": 8} | kwargs
    with pytest.raises(err, match=match):
        gpt_param_count(**args)
