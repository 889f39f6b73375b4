"""nnbook.layers.Embedding が keras.layers.Embedding と同じ計算をすること（float64）。

同じ重みを入れ、順伝播の出力と、L = Σ out ⊙ dout の重みについての勾配（Keras は TensorFlow の
GradientTape。勾配は IndexedSlices なので密な配列にして比べる）を比べる。同じ ID を何度も入れる。
"""

import numpy as np
import pytest

from nnbook.keras_utils import keras
from nnbook.layers import Embedding

tf = pytest.importorskip("tensorflow")


def test_embedding_matches_keras_forward_and_weight_gradient():
    rng = np.random.default_rng(0)
    V, D = 7, 3
    W = rng.normal(size=(V, D))
    idx = np.array([[1, 4, 1], [6, 1, 0]])
    dout = rng.normal(size=(2, 3, D))

    k_emb = keras.layers.Embedding(V, D, dtype="float64")
    k_emb.build((None, 3))
    k_emb.embeddings.assign(W)
    with tf.GradientTape() as tape:
        k_out = k_emb(idx)
        loss = tf.reduce_sum(k_out * dout)
    k_grad = tf.convert_to_tensor(tape.gradient(loss, k_emb.embeddings)).numpy()

    layer = Embedding(W.copy())
    out = layer.forward(idx)
    layer.backward(dout)
    np.testing.assert_allclose(out, np.asarray(k_out), atol=1e-12)
    np.testing.assert_allclose(layer.grads[0], k_grad, atol=1e-12)
    assert np.abs(layer.grads[0][1]).sum() > 0  # ID 1 は 3 回現れる
