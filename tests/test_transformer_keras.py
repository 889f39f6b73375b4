"""nnbook.transformer が Keras と同じ計算・同じパラメータの数になること（第 17 章）。

第 17 章と同じ作り方の Keras のデコーダのみの Transformer の ``count_params()`` が ``gpt_param_count`` と一致し、
NumPy の ``TransformerBlock`` に Keras の層と同じ重みを入れると、出力が float64 で 1e-10 以内に一致する。
"""

import numpy as np
import pytest

from nnbook.keras_utils import keras
from nnbook.transformer import gpt_param_count, transformer_block

pytest.importorskip("tensorflow")


class PositionEmbedding(keras.layers.Layer):
    """第 17 章と同じ、学習する位置の埋め込み（shape (T, D) の重みを足す）。"""

    def __init__(self, context, **kwargs):
        super().__init__(**kwargs)
        self.context = context

    def build(self, input_shape):
        self.P = self.add_weight(shape=(self.context, input_shape[-1]), initializer="zeros")

    def call(self, x):
        return x + self.P[: keras.ops.shape(x)[1]]


def _block(x, D, num_heads, d_ff, dtype=None):
    h = keras.layers.LayerNormalization(epsilon=1e-5, dtype=dtype)(x)
    h = keras.layers.MultiHeadAttention(num_heads, D // num_heads, dtype=dtype)(
        h, h, use_causal_mask=True
    )
    x = x + h
    h = keras.layers.LayerNormalization(epsilon=1e-5, dtype=dtype)(x)
    h = keras.layers.Dense(d_ff, activation="relu", dtype=dtype)(h)
    return x + keras.layers.Dense(D, dtype=dtype)(h)


def _gpt(V, T, D, num_heads, n_layers, d_ff):
    ids = keras.Input((T,), dtype="int32")
    x = PositionEmbedding(T)(keras.layers.Embedding(V, D)(ids))
    for _ in range(n_layers):
        x = _block(x, D, num_heads, d_ff)
    x = keras.layers.LayerNormalization(epsilon=1e-5)(x)
    return keras.Model(ids, keras.layers.Dense(V)(x))


@pytest.mark.parametrize(
    ("V", "T", "D", "num_heads", "n_layers", "d_ff"),
    [(762, 64, 64, 4, 2, 256), (30, 8, 12, 3, 1, 20), (5, 4, 8, 2, 3, 16)],
)
def test_gpt_param_count_matches_keras(V, T, D, num_heads, n_layers, d_ff):
    model = _gpt(V, T, D, num_heads, n_layers, d_ff)
    assert model.count_params() == gpt_param_count(V, D, n_layers, d_ff, context=T)


def test_transformer_block_matches_keras():
    N, T, D, H, F = 2, 5, 8, 2, 12
    block = transformer_block(D, H, F, seed=0)
    rng = np.random.default_rng(1)
    for p in block.params:
        p += rng.normal(size=p.shape) * 0.1
    x_in = keras.Input((T, D), dtype="float64")
    k_model = keras.Model(x_in, _block(x_in, D, H, F, dtype="float64"))
    ln1, mha, ln2, ffn = block.layers
    W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O = mha.params
    d = D // H
    values = [
        *ln1.params,
        W_Q.reshape(D, H, d), b_Q.reshape(H, d),
        W_K.reshape(D, H, d), b_K.reshape(H, d),
        W_V.reshape(D, H, d), b_V.reshape(H, d),
        W_O.reshape(H, d, D), b_O,
        *ln2.params,
        *ffn.params,
    ]  # fmt: skip
    assert [tuple(w.shape) for w in k_model.weights] == [v.shape for v in values]
    for w, v in zip(k_model.weights, values):
        w.assign(v)
    x = rng.normal(size=(N, T, D))
    out_keras = keras.ops.convert_to_numpy(k_model(x))
    assert np.max(np.abs(block.forward(x) - out_keras)) <= 1e-10
