"""Transformer のデコーダのブロック（第 17 章）：位置ごとの全結合層・pre-LN のブロック・パラメータの数。

どのレイヤも ``nnbook.layers`` と同じ約束（``forward``・``backward``・``params``・``grads``）で、
NumPy だけで動きます（TensorFlow は import しません）。記号は本文と同じです：
N はバッチ、T は系列の長さ（時刻の数）、D は埋め込みの次元（d_model）、d_ff は全結合層の隠れ層の大きさ。
"""

import numpy as np

from ._validation import boolean, finite_array, integer, random_seed
from .layers import (
    Affine,
    LayerNorm,
    MultiHeadAttention,
    ReLU,
    _check_dout,
    _require_forward,
    causal_mask,
)

__all__ = ["FeedForward", "TransformerBlock", "transformer_block", "gpt_param_count"]


def _sequence(x, D, name="x"):
    x = finite_array(x, name, ndim=3)
    if x.shape[2] != D:
        raise ValueError(f"{name} の形 {x.shape} が shape (N, T, {D}) ではありません")
    return x


class FeedForward:
    """位置ごとの全結合層 FFN(x) = ReLU(x W_1 + b_1) W_2 + b_2。

    系列の各時刻に、同じ 2 層の全結合層を別々に当てます（時刻どうしは混ぜない）。

    Parameters
    ----------
    W1 : ndarray, shape (D, d_ff)
    b1 : ndarray, shape (d_ff,)
    W2 : ndarray, shape (d_ff, D)
    b2 : ndarray, shape (D,)

    Attributes
    ----------
    params : list of ndarray
        ``[W1, b1, W2, b2]``。
    grads : list of ndarray
        params と同じ順と形の勾配（``backward`` がその場で書き込む）。
    """

    def __init__(self, W1, b1, W2, b2):
        self.affine1 = Affine(W1, b1)
        self.relu = ReLU()
        self.affine2 = Affine(W2, b2)
        W1, W2 = self.affine1.params[0], self.affine2.params[0]
        if W2.shape != (W1.shape[1], W1.shape[0]):
            raise ValueError(
                f"W2 の形 {W2.shape} が W1 の形 {W1.shape} に合いません"
                f"（shape ({W1.shape[1]}, {W1.shape[0]}) が必要）"
            )
        self.params = self.affine1.params + self.affine2.params
        self.grads = self.affine1.grads + self.affine2.grads
        self.shape = None

    def forward(self, x):
        """x : ndarray, shape (N, T, D) → ndarray, shape (N, T, D)"""
        D = self.params[0].shape[0]
        x = _sequence(x, D)
        self.shape = x.shape
        h = self.relu.forward(self.affine1.forward(x.reshape(-1, D)))  # (N·T, d_ff)
        return self.affine2.forward(h).reshape(x.shape)

    def backward(self, dout):
        """dout : ndarray, shape (N, T, D) → dx : ndarray, shape (N, T, D)"""
        _require_forward(self, "shape")
        dout = _check_dout(dout, self.shape)
        D = self.shape[2]
        dh = self.relu.backward(self.affine2.backward(dout.reshape(-1, D)))
        return self.affine1.backward(dh).reshape(self.shape)


class TransformerBlock:
    """pre-LN の Transformer のデコーダのブロック（GPT-2 と同じ並び）。

    x' = x + MHA(LN_1(x))（因果マスク付きの自己注意）、out = x' + FFN(LN_2(x'))。

    Parameters
    ----------
    ln1 : nnbook.layers.LayerNorm
        注意の前の層正規化（shape (D,) の γ, β）。
    attention : nnbook.layers.MultiHeadAttention
        自己注意（入力も出力も D 次元）。
    ln2 : nnbook.layers.LayerNorm
        全結合層の前の層正規化。
    ffn : FeedForward
        位置ごとの全結合層（D → d_ff → D）。
    causal : bool
        True なら因果マスクを掛ける（時刻 t は時刻 0〜t だけを見る）。

    Attributes
    ----------
    params, grads : list of ndarray
        ln1・attention・ln2・ffn の同名のリストをこの順につないだもの。
    """

    def __init__(self, ln1, attention, ln2, ffn, causal=True):
        for name, layer, cls in (
            ("ln1", ln1, LayerNorm),
            ("attention", attention, MultiHeadAttention),
            ("ln2", ln2, LayerNorm),
            ("ffn", ffn, FeedForward),
        ):
            if not isinstance(layer, cls):
                raise TypeError(
                    f"{name} には {cls.__name__} が必要ですが、{type(layer).__name__} です"
                )
        D = ln1.params[0].shape[0]
        W_Q, W_O = attention.params[0], attention.params[6]
        for name, d in (
            ("ln2 の γ", ln2.params[0].shape[0]),
            ("attention の入力", W_Q.shape[0]),
            ("attention の出力", W_O.shape[1]),
            ("ffn の入力", ffn.params[0].shape[0]),
        ):
            if d != D:
                raise ValueError(f"{name} の次元 {d} が ln1 の次元 D = {D} と違います")
        self.causal = boolean("causal", causal)
        self.ln1, self.attention, self.ln2, self.ffn = ln1, attention, ln2, ffn
        self.layers = [ln1, attention, ln2, ffn]
        self.params = [p for layer in self.layers for p in layer.params]
        self.grads = [g for layer in self.layers for g in layer.grads]
        self.shape = None

    @property
    def attention_weights(self):
        """最後の順伝播の注意の重み, shape (N, h, T, T)。"""
        return self.attention.attention_weights

    def forward(self, x):
        """x : ndarray, shape (N, T, D) → ndarray, shape (N, T, D)"""
        x = _sequence(x, self.ln1.params[0].shape[0])
        mask = causal_mask(x.shape[1]) if self.causal else None
        x = x + self.attention.forward(self.ln1.forward(x), mask=mask)  # (N, T, D)
        self.shape = x.shape
        return x + self.ffn.forward(self.ln2.forward(x))  # (N, T, D)

    def backward(self, dout):
        """dout : ndarray, shape (N, T, D) → dx : ndarray, shape (N, T, D)

        残差接続のおかげで、どちらの足し算でも上流の勾配がそのまま下流へ届きます。
        """
        _require_forward(self, "shape")
        dout = _check_dout(dout, self.shape)
        dx = dout + self.ln2.backward(self.ffn.backward(dout))
        return dx + self.ln1.backward(self.attention.backward(dx))


def transformer_block(d_model, num_heads, d_ff, seed=None, causal=True):
    """乱数の重みで ``TransformerBlock`` を作る（γ = 1、β = 0、重みは平均 0 の正規分布）。

    Parameters
    ----------
    d_model : int
        埋め込みの次元 D（num_heads で割り切れること）。
    num_heads : int
        ヘッドの数 h（各ヘッドの次元は d_k = D / h）。
    d_ff : int
        全結合層の隠れ層の大きさ。
    seed : int or numpy.random.Generator, optional
        重みの乱数の種。
    causal : bool
        因果マスクを掛けるか。

    Returns
    -------
    TransformerBlock
    """
    D = integer("d_model", d_model, minimum=1)
    h = integer("num_heads", num_heads, minimum=1)
    d_ff = integer("d_ff", d_ff, minimum=1)
    if D % h:
        raise ValueError(
            f"d_model={D} が num_heads={h} で割り切れません（d_k = d_model / num_heads）"
        )
    rng = np.random.default_rng(random_seed("seed", seed))

    def normal(*shape, fan_in):
        return rng.normal(0.0, 1.0 / np.sqrt(fan_in), shape)

    attention = MultiHeadAttention(
        *(w for _ in range(3) for w in (normal(D, D, fan_in=D), np.zeros(D))),
        normal(D, D, fan_in=D),
        np.zeros(D),
        num_heads=h,
    )
    ffn = FeedForward(
        normal(D, d_ff, fan_in=D), np.zeros(d_ff), normal(d_ff, D, fan_in=d_ff), np.zeros(D)
    )
    return TransformerBlock(
        LayerNorm(np.ones(D), np.zeros(D)),
        attention,
        LayerNorm(np.ones(D), np.zeros(D)),
        ffn,
        causal=causal,
    )


def gpt_param_count(vocab_size, d_model, n_layers, d_ff, context=None):
    """デコーダのみの Transformer（小さな GPT）のパラメータの数。

    埋め込み V·D、学習する位置の埋め込み T·D（``context`` を渡したとき。正弦波の位置エンコーディングなら 0）、
    ブロックごとに 注意 4D² + 4D、全結合層 2·D·d_ff + d_ff + D、層正規化 2 つで 4D、
    最後の層正規化 2D、出力の全結合層 D·V + V。

    Parameters
    ----------
    vocab_size : int
        語彙の大きさ V。
    d_model : int
        埋め込みの次元 D。
    n_layers : int
        ブロックの数（0 以上）。
    d_ff : int
        全結合層の隠れ層の大きさ。
    context : int, optional
        学習する位置の埋め込みの長さ T（None なら位置のパラメータはなし）。

    Returns
    -------
    int
    """
    V = integer("vocab_size", vocab_size, minimum=1)
    D = integer("d_model", d_model, minimum=1)
    L = integer("n_layers", n_layers, minimum=0)
    d_ff = integer("d_ff", d_ff, minimum=1)
    T = 0 if context is None else integer("context", context, minimum=1)
    attention = 4 * D * D + 4 * D
    ffn = 2 * D * d_ff + d_ff + D
    block = attention + ffn + 4 * D
    return int(V * D + T * D + L * block + 2 * D + D * V + V)
