"""第 IV 部のレイヤが Keras と同じ計算をすること（float64 で 1e-10 以内）。

NumPy の ``MultiHeadAttention`` と ``LayerNorm`` に Keras の層と同じ重みを入れ、順伝播の出力と、
L = Σ out ⊙ dout の入力と重みについての勾配（Keras は TensorFlow の GradientTape）を比べる。
"""

import numpy as np
import pytest

from nnbook.keras_utils import keras
from nnbook.layers import LayerNorm, MultiHeadAttention, causal_mask

tf = pytest.importorskip("tensorflow")

TOL = 1e-10
N, T, S, D, H, DK = 2, 5, 4, 6, 3, 4  # バッチ、クエリとキーの長さ、幅、ヘッド数、キーの次元


def _pair(seed=0):
    """同じ重みを入れた Keras の MultiHeadAttention と nnbook の MultiHeadAttention。"""
    rng = np.random.default_rng(seed)
    k_mha = keras.layers.MultiHeadAttention(num_heads=H, key_dim=DK, dtype="float64")
    k_mha(np.zeros((1, T, D)), np.zeros((1, S, D)))  # 重みを作る
    weights = {w.path.split("/", 1)[1]: w for w in k_mha.weights}
    params = []
    for name in ("query", "key", "value", "attention_output"):
        kernel = rng.normal(size=weights[f"{name}/kernel"].shape) / np.sqrt(D)
        bias = rng.normal(size=weights[f"{name}/bias"].shape) * 0.1
        weights[f"{name}/kernel"].assign(kernel)
        weights[f"{name}/bias"].assign(bias)
        # Keras のカーネル (D, h, d) と (h, d, D) を nnbook の行列 (D, h·d) と (h·d, D) にする
        if name == "attention_output":
            params += [kernel.reshape(H * DK, D), bias]
        else:
            params += [kernel.reshape(D, H * DK), bias.reshape(H * DK)]
    return k_mha, MultiHeadAttention(*params, num_heads=H), weights


def _keras_grads(k_mha, weights, inputs, dout, **call):
    """Keras の出力と、Σ out ⊙ dout の入力・重み（nnbook の params の順）についての勾配。"""
    xs = [tf.constant(x) for x in inputs]
    order = [
        f"{n}/{p}"
        for n in ("query", "key", "value", "attention_output")
        for p in ("kernel", "bias")
    ]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = k_mha(*xs, **call)
        loss = tf.reduce_sum(out * dout)
    grads = tape.gradient(loss, xs + [weights[name].value for name in order])
    return np.asarray(out), [np.asarray(g) for g in grads]


def _max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


MASK = np.random.default_rng(1).random((N, T, S)) < 0.6
MASK[:, :, 0] = True  # どのクエリも少なくとも 1 つのキーに注意する
SELF_MASK = np.random.default_rng(2).random((N, T, T)) < 0.5
SELF_MASK[:, np.arange(T), np.arange(T)] = True  # 自分自身には注意する


@pytest.mark.parametrize(
    "case", ["self", "self-causal", "cross", "cross-key", "cross-mask", "self-mask"]
)
def test_mha_matches_keras_forward_and_gradients(case):
    rng = np.random.default_rng(2)
    k_mha, mha, weights = _pair()
    query = rng.normal(size=(N, T, D))
    value = rng.normal(size=(N, S, D))
    key = rng.normal(size=(N, S, D))
    inputs, call, mask = {
        "self": ([query], {}, None),
        "self-causal": ([query], {"use_causal_mask": True}, causal_mask(T)),
        "self-mask": ([query], {"attention_mask": SELF_MASK}, SELF_MASK),
        "cross": ([query, value], {}, None),
        "cross-key": ([query, value, key], {}, None),
        "cross-mask": ([query, value, key], {"attention_mask": MASK}, MASK),
    }[case]
    keras_inputs = inputs if len(inputs) > 1 else [query, query]
    dout = rng.normal(size=(N, T, D))
    out_k, grads_k = _keras_grads(k_mha, weights, keras_inputs, dout, **call)

    out = mha.forward(*inputs, mask=mask)
    assert _max_diff(out, out_k) <= TOL
    dx = mha.backward(dout)
    dx = [dx] if len(inputs) == 1 else list(dx)
    if len(inputs) == 1:  # Keras には query と value に同じ配列を渡した
        grads_k = [grads_k[0] + grads_k[1]] + grads_k[2:]
    for mine, theirs in zip(dx + mha.grads, grads_k, strict=True):
        assert mine.size == np.size(theirs)
        assert _max_diff(mine, np.reshape(theirs, mine.shape)) <= TOL
    if mask is not None:  # マスクが結果を変えるケースであること（テストが空振りしない）
        assert _max_diff(mha.forward(*inputs), out_k) > 1e-3


def test_mha_attention_weights_match_keras():
    k_mha, mha, _ = _pair(seed=3)
    query = np.random.default_rng(4).normal(size=(N, T, D))
    _, scores = k_mha(query, query, use_causal_mask=True, return_attention_scores=True)
    mha.forward(query, mask=causal_mask(T))
    assert _max_diff(mha.attention_weights, scores) <= TOL
    assert np.all(mha.attention_weights[:, :, 0, 1:] == 0.0)


@pytest.mark.parametrize("eps", [1e-3, 1e-5])
def test_layer_norm_matches_keras(eps):
    rng = np.random.default_rng(5)
    x = rng.normal(2.0, 3.0, size=(N, T, D))
    gamma, beta = rng.normal(size=D), rng.normal(size=D)
    dout = rng.normal(size=(N, T, D))
    k_ln = keras.layers.LayerNormalization(epsilon=eps, dtype="float64")
    k_ln.build((None, T, D))
    k_ln.gamma.assign(gamma)
    k_ln.beta.assign(beta)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        out_k = k_ln(xt)
        loss = tf.reduce_sum(out_k * dout)
    grads_k = tape.gradient(loss, [xt, k_ln.gamma.value, k_ln.beta.value])

    ln = LayerNorm(gamma, beta, eps=eps)
    assert _max_diff(ln.forward(x), out_k) <= TOL
    dx = ln.backward(dout)
    for mine, theirs in zip([dx] + ln.grads, grads_k, strict=True):
        assert _max_diff(mine, theirs) <= TOL
