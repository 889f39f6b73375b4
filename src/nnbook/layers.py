"""誤差逆伝播法のレイヤ（Affine・Sigmoid・ReLU・計算グラフのノード・SoftmaxWithLoss・注意機構ほか）。

どのレイヤも ``forward``（順伝播）と ``backward``（逆伝播）を持ち、
``forward`` は ``backward`` に必要なものだけを覚えておきます（入力の配列は書き換えません）。
パラメータとその勾配は、同じ順番のリスト ``params`` と ``grads`` に並べて持ちます。
勾配は ``self.grads[0][...] = dW`` のように **その場で** 書き込むので、
ネットワークや最適化アルゴリズムは、同じ配列をずっと参照し続けられます。
"""

import numpy as np

from ._validation import (
    _asarray,
    _where,
    boolean,
    finite_array,
    integer,
    labels,
    min_rows,
    number,
    random_seed,
    targets_like,
)
from .functions import sigmoid, softmax
from .im2col import col2im, im2col

__all__ = [
    "Affine",
    "Sigmoid",
    "ReLU",
    "AddLayer",
    "MulLayer",
    "ExpLayer",
    "ReciprocalLayer",
    "SoftmaxWithLoss",
]


def _input(x, name="x"):
    """有限の数値の配列にする（浮動小数点の配列ならコピーしない）。"""
    return finite_array(x, name)


def _check_dout(dout, shape):
    dout = _input(dout, "dout")
    if dout.shape != shape:
        raise ValueError(f"dout の形 {dout.shape} が順伝播の出力の形 {shape} と違います")
    return dout


def _require_forward(layer, attr):
    if getattr(layer, attr) is None:
        raise RuntimeError(f"{type(layer).__name__}.backward の前に forward を呼んでください")


class Affine:
    """全結合層 out = x W + b。

    Parameters
    ----------
    W : ndarray, shape (D, H)
        重み。浮動小数点の配列ならこのレイヤはその配列そのものを持ち、
        最適化アルゴリズムがその場で更新する。
    b : ndarray, shape (H,)
        バイアス。

    Attributes
    ----------
    params : list of ndarray
        ``[W, b]``。
    grads : list of ndarray
        ``[dW, db]``（params と同じ形。``backward`` がその場で書き込む）。
    """

    def __init__(self, W, b):
        W = finite_array(W, "W", ndim=2)
        b = finite_array(b, "b", ndim=1)
        if b.shape != (W.shape[1],):
            raise ValueError(
                f"b の形 {b.shape} が W の列の数に合いません（W.shape={W.shape}, "
                f"b は shape ({W.shape[1]},) が必要）"
            )
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        """順伝播。

        Parameters
        ----------
        x : ndarray, shape (N, D)

        Returns
        -------
        ndarray, shape (N, H)
        """
        W, b = self.params
        x = _input(x)
        if x.ndim != 2 or x.shape[1] != W.shape[0]:
            raise ValueError(
                f"x の形 {x.shape} が W の形 {W.shape} に合いません"
                f"（x は shape (N, {W.shape[0]}) が必要。1 サンプルなら x.reshape(1, -1)）"
            )
        self.x = x
        return x @ W + b

    def backward(self, dout):
        """逆伝播。dW = xᵀ dout と db = Σ_n dout を ``self.grads`` に書き込む。

        Parameters
        ----------
        dout : ndarray, shape (N, H)
            出力についての損失の勾配。

        Returns
        -------
        dx : ndarray, shape (N, D)
            入力についての損失の勾配 dout Wᵀ。
        """
        _require_forward(self, "x")
        W, _ = self.params
        dout = _check_dout(dout, (self.x.shape[0], W.shape[1]))
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T


class Sigmoid:
    """シグモイド関数のレイヤ。逆伝播は dx = dout · y (1 - y)（y は順伝播の出力）。"""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x : ndarray, shape (...) → y : ndarray, shape (...)（y を覚えておく）"""
        self.out = sigmoid(_input(x))
        return self.out

    def backward(self, dout):
        """dout : ndarray, shape (...)（順伝播の出力と同じ形）→ dx : ndarray, shape (...)"""
        _require_forward(self, "out")
        dout = _check_dout(dout, self.out.shape)
        return dout * self.out * (1.0 - self.out)


class ReLU:
    """ReLU 関数のレイヤ。逆伝播は x > 0 の要素だけ dout を通し、ほかは 0。"""

    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None  # x <= 0 の要素が True

    def forward(self, x):
        """x : ndarray, shape (...) → ndarray, shape (...)（新しい配列。x は変えない）"""
        x = _input(x)
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        """dout : ndarray, shape (...)（順伝播の出力と同じ形）→ dx : ndarray, shape (...)"""
        _require_forward(self, "mask")
        dout = _check_dout(dout, self.mask.shape)
        return np.where(self.mask, 0.0, dout)


# ---------------------------------------------------------------- 計算グラフのノード（第 7 章）
# 1 つの演算だけを受け持つノード。逆伝播は「上流の勾配 dout × 局所的な微分」です。
# 入力の形が違うときは NumPy のブロードキャストで順伝播し、逆伝播ではブロードキャストで
# 増えた軸の勾配を足し合わせて、入力と同じ形に戻します（Affine の db がバッチの和になるのと同じ理由）。


def _unbroadcast(grad, shape):
    """ブロードキャストで shape から広がった grad を、足し合わせて shape に戻す。"""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def _pair(x, y):
    """2 つの入力を数値の配列にし、ブロードキャストできる形かを確かめる。"""
    x, y = _input(x, "x"), _input(y, "y")
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(
            f"x の形 {x.shape} と y の形 {y.shape} はブロードキャストできません"
        ) from None
    return x, y


class AddLayer:
    """加算ノード out = x + y。逆伝播は上流の勾配をそのまま両方へ流す（局所的な微分は 1）。

    x と y はスカラーでも配列でもよく、形が違えばブロードキャストする。
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.shapes = None  # (x の形, y の形, 出力の形)

    def forward(self, x, y):
        """x : array_like, shape (...)、y : array_like, shape (...) → out : ndarray（x + y）"""
        x, y = _pair(x, y)
        out = x + y
        self.shapes = (x.shape, y.shape, out.shape)
        return out

    def backward(self, dout):
        """dout : array_like, shape（出力と同じ）→ (dx, dy)（それぞれ x・y と同じ形）"""
        _require_forward(self, "shapes")
        x_shape, y_shape, out_shape = self.shapes
        dout = _check_dout(dout, out_shape)
        return _unbroadcast(dout, x_shape), _unbroadcast(dout, y_shape)


class MulLayer:
    """乗算ノード out = x y。逆伝播は入力を入れ替えて掛ける：dx = dout · y、dy = dout · x。

    x と y はスカラーでも配列でもよく、形が違えばブロードキャストする（要素ごとの積）。
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.x = None
        self.y = None

    def forward(self, x, y):
        """x : array_like, shape (...)、y : array_like, shape (...) → out : ndarray（x * y）"""
        self.x, self.y = _pair(x, y)
        return self.x * self.y

    def backward(self, dout):
        """dout : array_like, shape（出力と同じ）→ (dx, dy)（それぞれ x・y と同じ形）"""
        _require_forward(self, "x")
        dout = _check_dout(dout, np.broadcast_shapes(self.x.shape, self.y.shape))
        return _unbroadcast(dout * self.y, self.x.shape), _unbroadcast(dout * self.x, self.y.shape)


class ExpLayer:
    """exp ノード out = exp(x)。局所的な微分は exp(x) 自身なので、dx = dout · out。"""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x : array_like, shape (...) → out : ndarray, shape (...)（out を覚えておく）"""
        self.out = np.exp(_input(x))
        return self.out

    def backward(self, dout):
        """dout : array_like, shape (...)（出力と同じ形）→ dx : ndarray, shape (...)"""
        _require_forward(self, "out")
        return _check_dout(dout, self.out.shape) * self.out


class ReciprocalLayer:
    """逆数ノード out = 1 / x。局所的な微分は -1/x² = -out² なので、dx = -dout · out²。"""

    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        """x : array_like, shape (...)（0 を含まない）→ out : ndarray, shape (...)"""
        x = _input(x)
        if np.any(x == 0):
            raise ValueError(
                "x に 0 が含まれています（1/0 は計算できません。"
                f"shape={x.shape}、最初は {_where(x, x == 0, 'x')}）"
            )
        self.out = 1.0 / x
        return self.out

    def backward(self, dout):
        """dout : array_like, shape (...)（出力と同じ形）→ dx : ndarray, shape (...)"""
        _require_forward(self, "out")
        return -_check_dout(dout, self.out.shape) * self.out**2


class SoftmaxWithLoss:
    """ソフトマックス関数と交差エントロピー誤差をまとめたレイヤ。

    まとめると逆伝播が dx = (y - t) / N という簡単な形になります（y はソフトマックスの出力）。

    損失はスコア x から log-sum-exp で直接求めます：
    log y_k = x_k - (c + log Σ_i exp(x_i - c))（c は行の最大値）。
    確率 y の log を取る ``nnbook.functions.cross_entropy_error`` と違って log(0) が起きないので、
    δ を足す必要がなく、損失は交差エントロピー誤差そのもの（Keras の
    ``SparseCategoricalCrossentropy(from_logits=True)`` と同じ値）になります。
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None  # ソフトマックスの出力, shape (N, K)
        self.t = None  # 正解（one-hot）, shape (N, K)

    def forward(self, x, t):
        """損失を求める。

        Parameters
        ----------
        x : ndarray, shape (N, K)
            スコア（ソフトマックスの前）。
        t : ndarray, shape (N, K)（one-hot か各行の和が 1 の確率）または shape (N,)（0〜K-1 のラベル）

        Returns
        -------
        float
            バッチの平均の交差エントロピー誤差（log-sum-exp で求めた厳密な値）。
        """
        x = finite_array(x, "x", ndim=2)
        t = targets_like(t, x.shape)
        sums = t.sum(axis=1)
        if not np.allclose(sums, 1.0):
            i = int(np.argmax(~np.isclose(sums, 1.0)))
            raise ValueError(
                "t の各行は和が 1（one-hot か確率）である必要があります"
                f"（shape={t.shape}、最初は t[{i}] の和 = {sums[i]:g}）"
            )
        self.t = t
        self.y = softmax(x)
        c = np.max(x, axis=1, keepdims=True)
        log_y = x - (c + np.log(np.sum(np.exp(x - c), axis=1, keepdims=True)))  # log-sum-exp
        return float(-np.sum(t * log_y) / x.shape[0])

    def backward(self, dout=1.0):
        """逆伝播。

        Parameters
        ----------
        dout : float
            損失についての上流の勾配（ふつうは 1）。

        Returns
        -------
        dx : ndarray, shape (N, K)
            スコアについての損失の勾配 dout · (y - t) / N。
        """
        _require_forward(self, "y")
        dout = number("dout", dout)
        return dout * (self.y - self.t) / self.y.shape[0]


# ---------------------------------------------------------------- 第 8 章 学習のテクニック

__all__ += ["BatchNormalization", "Dropout"]


#: 学習時のバッチ正規化に 1 つのサンプルを渡したときの説明
_ONE_SAMPLE = (
    "学習時（train=True）のバッチ正規化はミニバッチの平均と分散で正規化するので、"
    "2 つ以上のサンプルが必要です（1 つでは分散が 0 になり、出力がいつも β になります）。"
    "1 つのサンプルを推論するなら train=False にします"
)


class BatchNormalization:
    """バッチ正規化のレイヤ（入力 shape (N, D) の特徴ごとに正規化する）。

    学習時はミニバッチの平均 μ と分散 σ² で x̂ = (x - μ) / √(σ² + ε) とし、
    out = γ x̂ + β を返します。同時に移動平均
    running_mean ← momentum · running_mean + (1 - momentum) μ（分散も同じ）を更新し、
    推論時（``train=False``）は μ と σ² の代わりにこの移動平均を使います。
    学習時はミニバッチに 2 つ以上のサンプルが必要です（1 つでは分散が 0 で、出力がいつも β になる）。

    Parameters
    ----------
    gamma : ndarray, shape (D,)
        スケール γ（ふつうは 1 で初期化）。
    beta : ndarray, shape (D,)
        シフト β（ふつうは 0 で初期化）。
    momentum : float
        移動平均で過去を残す割合（0 以上 1 未満）。
    eps : float
        0 で割らないための小さな正の数 ε（分散に足す）。

    Attributes
    ----------
    params : list of ndarray
        ``[gamma, beta]``。
    grads : list of ndarray
        ``[dgamma, dbeta]``。
    running_mean, running_var : ndarray, shape (D,)
        推論で使う平均と分散（0 と 1 から始める）。
    """

    def __init__(self, gamma, beta, momentum=0.9, eps=1e-5):
        gamma = finite_array(gamma, "gamma", ndim=1)
        beta = finite_array(beta, "beta", ndim=1)
        if beta.shape != gamma.shape:
            raise ValueError(f"beta の形 {beta.shape} が gamma の形 {gamma.shape} と違います")
        self.momentum = number("momentum", momentum, minimum=0, below=1)
        self.eps = number("eps", eps, positive=True)
        self.params = [gamma, beta]
        self.grads = [np.zeros_like(gamma), np.zeros_like(beta)]
        self.running_mean = np.zeros_like(gamma)
        self.running_var = np.ones_like(gamma)
        self.xhat = None  # 正規化した入力, shape (N, D)
        self.std = None  # √(σ² + ε), shape (D,)
        self.train = None  # 直前の forward が学習時（ミニバッチの統計）だったか

    def forward(self, x, train=True):
        """順伝播。

        Parameters
        ----------
        x : ndarray, shape (N, D)
        train : bool
            True ならミニバッチの平均と分散を使い、移動平均を更新する（N は 2 以上）。
            False なら移動平均を使う（推論）。

        Returns
        -------
        ndarray, shape (N, D)
        """
        gamma, beta = self.params
        x = finite_array(x, "x", ndim=2)
        train = boolean("train", train)
        if x.shape[1] != gamma.shape[0]:
            raise ValueError(f"x の形 {x.shape} が shape (N, {gamma.shape[0]}) ではありません")
        if train:
            min_rows(x, "x", 2, _ONE_SAMPLE)
            mu = x.mean(axis=0)
            var = x.var(axis=0)
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
        else:
            mu, var = self.running_mean, self.running_var
        self.std = np.sqrt(var + self.eps)
        self.xhat = (x - mu) / self.std
        self.train = train
        return gamma * self.xhat + beta

    def backward(self, dout):
        """逆伝播（直前の順伝播と同じ動作の勾配）。

        dγ = Σ_n dout ⊙ x̂、dβ = Σ_n dout、dx̂ = dout ⊙ γ として、学習時の順伝播のあとは
        dx = (dx̂ - mean_n(dx̂) - x̂ ⊙ mean_n(dx̂ ⊙ x̂)) / √(σ² + ε)。
        推論時（``train=False``）の順伝播のあとは、μ と σ² が定数（移動平均）の
        アフィン変換 out = γ (x - μ) / √(σ² + ε) + β の勾配 dx = dx̂ / √(σ² + ε)。

        Parameters
        ----------
        dout : ndarray, shape (N, D)

        Returns
        -------
        dx : ndarray, shape (N, D)
        """
        _require_forward(self, "xhat")
        gamma, _ = self.params
        dout = _check_dout(dout, self.xhat.shape)
        self.grads[0][...] = np.sum(dout * self.xhat, axis=0)
        self.grads[1][...] = np.sum(dout, axis=0)
        dxhat = dout * gamma
        if not self.train:
            return dxhat / self.std
        return (
            dxhat - dxhat.mean(axis=0) - self.xhat * (dxhat * self.xhat).mean(axis=0)
        ) / self.std


class Dropout:
    """ドロップアウトのレイヤ（inverted dropout）。

    学習時は各要素を確率 ``ratio`` で 0 にし、残った要素を 1 / (1 - ratio) 倍します
    （出力の期待値が入力と同じになる）。推論時（``train=False``）は入力をそのまま返します。
    Keras の ``Dropout`` と同じ方式です。

    Parameters
    ----------
    ratio : float
        消す割合（0 以上 1 未満）。
    seed : int or numpy.random.Generator, optional
        マスクを作る乱数の種（同じ種なら同じマスクの列になる）。
    """

    def __init__(self, ratio=0.5, seed=None):
        self.ratio = number("ratio", ratio, minimum=0, below=1)
        self.rng = np.random.default_rng(random_seed("seed", seed))
        self.params, self.grads = [], []
        self.mask = None  # 残す要素は 1 / (1 - ratio)、消す要素は 0

    def forward(self, x, train=True):
        """x : ndarray, shape (...) → ndarray, shape (...)（新しい配列）"""
        x = _input(x)
        if not boolean("train", train):
            self.mask = np.ones_like(x)
            return x.copy()
        keep = self.rng.random(x.shape) >= self.ratio
        self.mask = keep / (1.0 - self.ratio)
        return x * self.mask

    def backward(self, dout):
        """dout : ndarray, shape (...)（順伝播の出力と同じ形）→ dx = dout ⊙ mask"""
        _require_forward(self, "mask")
        dout = _check_dout(dout, self.mask.shape)
        return dout * self.mask


# ---------------------------------------------------------------- 第 IV 部 注意機構と Transformer
# 因果マスク・位置エンコーディング（関数）と、注意機構・マルチヘッド注意・層正規化（レイヤ）。
# 記号は本文と同じです：クエリ Q、キー K、バリュー V、キーの次元 d_k、系列の長さ T。
# マスクは Keras と同じく True が「注意してよい」位置です。

__all__ += [
    "causal_mask",
    "positional_encoding",
    "ScaledDotProductAttention",
    "MultiHeadAttention",
    "LayerNorm",
]


def causal_mask(T):
    """因果マスク：時刻 i のクエリが時刻 0〜i のキーだけに注意できるマスク。

    Parameters
    ----------
    T : int
        系列の長さ（1 以上）。

    Returns
    -------
    ndarray, shape (T, T), dtype bool
        下三角（対角を含む）が True。``mask[i, j]`` は j <= i のとき True。
    """
    T = integer("T", T, minimum=1)
    return np.tril(np.ones((T, T), dtype=bool))


def positional_encoding(T, D):
    """正弦波の位置エンコーディング（Vaswani et al. 2017）。

    PE[t, 2i] = sin(t / 10000^(2i/D))、PE[t, 2i+1] = cos(t / 10000^(2i/D))。

    Parameters
    ----------
    T : int
        系列の長さ（1 以上）。
    D : int
        埋め込みの次元（1 以上。奇数なら最後の列は sin）。

    Returns
    -------
    ndarray, shape (T, D)
        値は -1 以上 1 以下。
    """
    T = integer("T", T, minimum=1)
    D = integer("D", D, minimum=1)
    t = np.arange(T)[:, None]  # (T, 1)
    i2 = np.arange(0, D, 2)  # 2i, shape (ceil(D/2),)
    angle = t / 10000.0 ** (i2 / D)  # (T, ceil(D/2))
    pe = np.empty((T, D))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : D // 2])
    return pe


def _attention_mask(mask, shape):
    """マスクを bool の配列にし、注意の重み shape (N, T_q, T_k) にブロードキャストできるかを確かめる。

    bool のほか、0 と 1 だけの数値の配列も受け付けます（1 が「注意してよい」）。
    どの行にも True が 1 つは要ります（注意する先のないクエリは重みを決められない）。
    """
    arr = _asarray(mask, "mask")
    if not np.issubdtype(arr.dtype, np.bool_):
        arr = finite_array(arr, "mask")
        bad = (arr != 0) & (arr != 1)
        if bad.any():
            raise ValueError(
                "mask は bool（True が注意してよい位置）か 0 と 1 の配列である必要があります"
                f"（shape={arr.shape}、最初は {_where(arr, bad, 'mask')}）"
            )
        arr = arr.astype(bool)
    N, T_q, T_k = shape
    if (
        arr.ndim not in (2, 3)
        or arr.shape[-2:] != (T_q, T_k)
        or (arr.ndim == 3 and arr.shape[0] not in (1, N))
    ):
        raise ValueError(
            f"mask の形 {arr.shape} が注意の重みの形 {shape} に合いません"
            f"（shape ({T_q}, {T_k}) か ({N}, {T_q}, {T_k}) が必要）"
        )
    empty = ~arr.any(axis=-1)
    if empty.any():
        raise ValueError(
            "mask のどの行にも True が 1 つは必要です（注意する先のないクエリがあります。"
            f"shape={arr.shape}、最初は mask{list(np.argwhere(empty)[0])} の行）"
        )
    return np.broadcast_to(arr, shape)


class ScaledDotProductAttention:
    """スケール化ドット積注意 out = softmax(Q Kᵀ / √d_k + マスク) V。

    スコア S = Q Kᵀ / √d_k の各行をソフトマックス関数で重み A にし、バリューの重み付き平均を取ります。
    マスクが False の位置はスコアを -∞ にするので、その重みはちょうど 0 になります。
    パラメータは持ちません。重み A は ``attention_weights`` に残るので、図に描けます。

    Attributes
    ----------
    attention_weights : ndarray, shape (N, T_q, T_k)
        最後の順伝播の注意の重み（各行の和が 1）。
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.cache = None  # (Q, K, V)
        self.attention_weights = None

    def forward(self, Q, K, V, mask=None):
        """順伝播。

        Parameters
        ----------
        Q : ndarray, shape (N, T_q, d_k)
            クエリ。
        K : ndarray, shape (N, T_k, d_k)
            キー。
        V : ndarray, shape (N, T_k, d_v)
            バリュー。
        mask : ndarray, shape (T_q, T_k) または (N, T_q, T_k), dtype bool, optional
            True の位置にだけ注意する（例: ``causal_mask(T)``）。None ならすべてに注意する。

        Returns
        -------
        ndarray, shape (N, T_q, d_v)
        """
        Q = finite_array(Q, "Q", ndim=3)
        K = finite_array(K, "K", ndim=3)
        V = finite_array(V, "V", ndim=3)
        N, T_q, d_k = Q.shape
        if K.shape[0] != N or K.shape[2] != d_k:
            raise ValueError(
                f"K の形 {K.shape} が Q の形 {Q.shape} に合いません（shape ({N}, T_k, {d_k}) が必要）"
            )
        if V.shape[:2] != K.shape[:2]:
            raise ValueError(
                f"V の形 {V.shape} が K の形 {K.shape} に合いません"
                f"（shape ({N}, {K.shape[1]}, d_v) が必要）"
            )
        S = Q @ K.transpose(0, 2, 1) / np.sqrt(d_k)  # (N, T_q, T_k)
        if mask is not None:
            S = np.where(_attention_mask(mask, S.shape), S, -np.inf)
        S = S - S.max(axis=-1, keepdims=True)  # ソフトマックス関数（最大値を引く）
        E = np.exp(S)
        A = E / E.sum(axis=-1, keepdims=True)  # (N, T_q, T_k)
        self.cache = (Q, K, V)
        self.attention_weights = A
        return A @ V

    def backward(self, dout):
        """逆伝播。

        計算グラフを逆にたどります：dA = dout Vᵀ、dV = Aᵀ dout、
        ソフトマックス関数の逆伝播 dS = A ⊙ (dA - Σ_j dA ⊙ A)、
        dQ = dS K / √d_k、dK = dSᵀ Q / √d_k。マスクした位置は A = 0 なので勾配も 0 です。

        Parameters
        ----------
        dout : ndarray, shape (N, T_q, d_v)

        Returns
        -------
        dQ : ndarray, shape (N, T_q, d_k)
        dK : ndarray, shape (N, T_k, d_k)
        dV : ndarray, shape (N, T_k, d_v)
        """
        _require_forward(self, "cache")
        Q, K, V = self.cache
        A = self.attention_weights
        dout = _check_dout(dout, (Q.shape[0], Q.shape[1], V.shape[2]))
        dV = A.transpose(0, 2, 1) @ dout
        dA = dout @ V.transpose(0, 2, 1)
        dS = A * (dA - np.sum(dA * A, axis=-1, keepdims=True)) / np.sqrt(Q.shape[2])
        return dS @ K, dS.transpose(0, 2, 1) @ Q, dV


def _split_heads(X, num_heads):
    """(N, T, h·d) → (N·h, T, d)：ヘッドをバッチの軸に移す（N·h 個の注意を一度に計算する）。"""
    N, T, HD = X.shape
    return (
        X.reshape(N, T, num_heads, HD // num_heads)
        .transpose(0, 2, 1, 3)
        .reshape(-1, T, HD // num_heads)
    )


def _merge_heads(X, num_heads):
    """(N·h, T, d) → (N, T, h·d)：``_split_heads`` の逆。"""
    NH, T, d = X.shape
    return (
        X.reshape(NH // num_heads, num_heads, T, d)
        .transpose(0, 2, 1, 3)
        .reshape(-1, T, num_heads * d)
    )


class MultiHeadAttention:
    """マルチヘッド注意（Keras の ``MultiHeadAttention`` と同じ計算）。

    入力を全結合層で h 個のヘッドのクエリ・キー・バリューに写し、ヘッドごとにスケール化ドット積注意を
    計算して、つないだ結果を W_O で出力に写します：

    Q = query W_Q + b_Q、K = key W_K + b_K、V = value W_V + b_V（それぞれ h 個のヘッドに分ける）、
    out = concat_h(softmax(Q_h K_hᵀ / √d_k + マスク) V_h) W_O + b_O。

    Parameters
    ----------
    W_Q : ndarray, shape (D_q, h·d_k)
    b_Q : ndarray, shape (h·d_k,)
    W_K : ndarray, shape (D_k, h·d_k)
    b_K : ndarray, shape (h·d_k,)
    W_V : ndarray, shape (D_v, h·d_v)
    b_V : ndarray, shape (h·d_v,)
    W_O : ndarray, shape (h·d_v, D_o)
    b_O : ndarray, shape (D_o,)
    num_heads : int
        ヘッドの数 h。列 h·d_k と h·d_v は h で割り切れること。列はヘッドの順に d_k 列ずつ並ぶ
        （Keras の shape (D, h, d_k) のカーネルを ``reshape(D, h * d_k)`` したもの）。

    Attributes
    ----------
    params : list of ndarray
        ``[W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O]``。
    grads : list of ndarray
        params と同じ順と形の勾配（``backward`` がその場で書き込む）。
    attention_weights : ndarray, shape (N, h, T_q, T_k)
        最後の順伝播のヘッドごとの注意の重み。
    """

    def __init__(self, W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O, num_heads):
        h = integer("num_heads", num_heads, minimum=1)
        self.num_heads = h
        self.affines = []
        for w, b, W, B in (
            ("W_Q", "b_Q", W_Q, b_Q),
            ("W_K", "b_K", W_K, b_K),
            ("W_V", "b_V", W_V, b_V),
            ("W_O", "b_O", W_O, b_O),
        ):
            W = finite_array(W, w, ndim=2)
            B = finite_array(B, b, ndim=1)
            if B.shape != (W.shape[1],):
                raise ValueError(
                    f"{b} の形 {B.shape} が {w} の列の数に合いません（shape ({W.shape[1]},) が必要）"
                )
            self.affines.append(Affine(W, B))
        W_Q, W_K, W_V, W_O = (a.params[0] for a in self.affines)
        for name, W in (("W_Q", W_Q), ("W_V", W_V)):
            if W.shape[1] % h:
                raise ValueError(
                    f"{name} の列の数 {W.shape[1]} が num_heads={h} で割り切れません"
                    f"（shape (D, {h}·d) が必要）"
                )
        if W_K.shape[1] != W_Q.shape[1]:
            raise ValueError(
                f"W_K の形 {W_K.shape} の列の数が W_Q の形 {W_Q.shape} と違います"
                "（クエリとキーは同じ h·d_k 次元）"
            )
        if W_O.shape[0] != W_V.shape[1]:
            raise ValueError(
                f"W_O の形 {W_O.shape} の行の数が W_V の列の数 {W_V.shape[1]} と違います"
                "（W_O はつないだ h·d_v 次元を出力に写す）"
            )
        self.attention = ScaledDotProductAttention()
        self.params = [p for a in self.affines for p in a.params]
        self.grads = [g for a in self.affines for g in a.grads]
        self.n_inputs = None  # forward に渡した入力の数（1〜3）
        self.shapes = None  # (query, key, value) の形

    @property
    def attention_weights(self):
        A = self.attention.attention_weights
        if A is None:
            return None
        return A.reshape(-1, self.num_heads, *A.shape[1:])

    def _project(self, affine, x):
        """x (N, T, D) を全結合層に通して (N·h, T, d) に分ける。"""
        N, T, D = x.shape
        return _split_heads(affine.forward(x.reshape(N * T, D)).reshape(N, T, -1), self.num_heads)

    def forward(self, query, value=None, key=None, mask=None):
        """順伝播（引数の順は Keras の ``mha(query, value, key)`` と同じ）。

        Parameters
        ----------
        query : ndarray, shape (N, T_q, D_q)
        value : ndarray, shape (N, T_k, D_v), optional
            None なら自己注意（value = key = query）。
        key : ndarray, shape (N, T_k, D_k), optional
            None なら key = value。
        mask : ndarray, shape (T_q, T_k) または (N, T_q, T_k), dtype bool, optional
            True の位置にだけ注意する（全ヘッドで同じ）。自己回帰なら ``causal_mask(T)``。

        Returns
        -------
        ndarray, shape (N, T_q, D_o)
        """
        W_Q, _, W_K, _, W_V, _, W_O, _ = self.params
        self.n_inputs = 1 if value is None else (2 if key is None else 3)
        query = finite_array(query, "query", ndim=3)
        value = query if value is None else finite_array(value, "value", ndim=3)
        key = value if key is None else finite_array(key, "key", ndim=3)
        N = query.shape[0]
        for name, x, W in (("query", query, W_Q), ("value", value, W_V), ("key", key, W_K)):
            if x.shape[2] != W.shape[0]:
                raise ValueError(
                    f"{name} の形 {x.shape} が W_{name[0].upper()} の形 {W.shape} に合いません"
                    f"（shape (N, T, {W.shape[0]}) が必要）"
                )
            if x.shape[0] != N:
                raise ValueError(
                    f"{name} の形 {x.shape} のバッチの大きさが query {query.shape} と違います"
                )
        if key.shape[1] != value.shape[1]:
            raise ValueError(
                f"key の形 {key.shape} と value の形 {value.shape} の長さ T_k が違います"
            )
        if mask is not None:
            mask = _attention_mask(mask, (N, query.shape[1], key.shape[1]))
            mask = np.repeat(mask, self.num_heads, axis=0)  # (N·h, T_q, T_k)
        self.shapes = (query.shape, key.shape, value.shape)
        Q = self._project(self.affines[0], query)  # (N·h, T_q, d_k)
        K = self._project(self.affines[1], key)  # (N·h, T_k, d_k)
        V = self._project(self.affines[2], value)  # (N·h, T_k, d_v)
        out = _merge_heads(self.attention.forward(Q, K, V, mask), self.num_heads)  # (N, T_q, h·d_v)
        T_q = query.shape[1]
        return self.affines[3].forward(out.reshape(N * T_q, -1)).reshape(N, T_q, W_O.shape[1])

    def _unproject(self, affine, dX, shape):
        """``_project`` の逆伝播：(N·h, T, d) の勾配から入力 (N, T, D) の勾配を求める。"""
        N, T, D = shape
        dX = _merge_heads(dX, self.num_heads).reshape(N * T, -1)
        return affine.backward(dX).reshape(shape)

    def backward(self, dout):
        """逆伝播。勾配を ``self.grads`` に書き込み、入力の勾配を返す。

        Parameters
        ----------
        dout : ndarray, shape (N, T_q, D_o)

        Returns
        -------
        ndarray または tuple of ndarray
            forward に渡した入力と同じ順の勾配。自己注意（query だけ）なら
            dquery（3 つの経路の和）、``forward(query, value)`` なら (dquery, dvalue)、
            ``forward(query, value, key)`` なら (dquery, dvalue, dkey)。
        """
        _require_forward(self, "shapes")
        q_shape, k_shape, v_shape = self.shapes
        D_o = self.params[6].shape[1]
        dout = _check_dout(dout, (q_shape[0], q_shape[1], D_o))
        N, T_q = q_shape[:2]
        dcat = self.affines[3].backward(dout.reshape(N * T_q, D_o))  # (N·T_q, h·d_v)
        dQ, dK, dV = self.attention.backward(_split_heads(dcat.reshape(N, T_q, -1), self.num_heads))
        dquery = self._unproject(self.affines[0], dQ, q_shape)
        dkey = self._unproject(self.affines[1], dK, k_shape)
        dvalue = self._unproject(self.affines[2], dV, v_shape)
        if self.n_inputs == 1:
            return dquery + dkey + dvalue
        if self.n_inputs == 2:
            return dquery, dvalue + dkey
        return dquery, dvalue, dkey


class LayerNorm:
    """層正規化：各サンプルの各時刻で、最後の軸（特徴）の平均 0・分散 1 にそろえる。

    x̂ = (x - μ) / √(σ² + ε)（μ と σ² は最後の軸の平均と分散）、out = γ x̂ + β。
    バッチ正規化と違ってバッチの統計を使わないので、学習時と推論時で計算が同じです（Ba et al. 2016）。

    Parameters
    ----------
    gamma : ndarray, shape (D,)
        スケール γ（ふつうは 1 で初期化）。
    beta : ndarray, shape (D,)
        シフト β（ふつうは 0 で初期化）。
    eps : float
        0 で割らないための小さな正の数 ε（分散に足す）。既定の 1e-5 は
        ``BatchNormalization`` や PyTorch と同じです。Keras の ``LayerNormalization`` の既定は
        1e-3 なので、比べるときは ``epsilon`` をそろえてください。

    Attributes
    ----------
    params : list of ndarray
        ``[gamma, beta]``。
    grads : list of ndarray
        ``[dgamma, dbeta]``。
    """

    def __init__(self, gamma, beta, eps=1e-5):
        gamma = finite_array(gamma, "gamma", ndim=1)
        beta = finite_array(beta, "beta", ndim=1)
        if beta.shape != gamma.shape:
            raise ValueError(f"beta の形 {beta.shape} が gamma の形 {gamma.shape} と違います")
        self.eps = number("eps", eps, positive=True)
        self.params = [gamma, beta]
        self.grads = [np.zeros_like(gamma), np.zeros_like(beta)]
        self.xhat = None  # 正規化した入力, shape (..., D)
        self.std = None  # √(σ² + ε), shape (..., 1)

    def forward(self, x):
        """順伝播。

        Parameters
        ----------
        x : ndarray, shape (..., D)
            例: shape (N, T, D) の系列や shape (N, D)。

        Returns
        -------
        ndarray, shape (..., D)
        """
        gamma, beta = self.params
        x = _input(x)
        if x.ndim < 1 or x.shape[-1] != gamma.shape[0]:
            raise ValueError(f"x の形 {x.shape} が shape (..., {gamma.shape[0]}) ではありません")
        mu = x.mean(axis=-1, keepdims=True)
        var = x.var(axis=-1, keepdims=True)
        self.std = np.sqrt(var + self.eps)
        self.xhat = (x - mu) / self.std
        return gamma * self.xhat + beta

    def backward(self, dout):
        """逆伝播。

        dγ = Σ dout ⊙ x̂、dβ = Σ dout（最後の軸以外で和）、dx̂ = dout ⊙ γ として
        dx = (dx̂ - mean(dx̂) - x̂ ⊙ mean(dx̂ ⊙ x̂)) / √(σ² + ε)（平均は最後の軸）。

        Parameters
        ----------
        dout : ndarray, shape (..., D)

        Returns
        -------
        dx : ndarray, shape (..., D)
        """
        _require_forward(self, "xhat")
        gamma, _ = self.params
        dout = _check_dout(dout, self.xhat.shape)
        D = gamma.shape[0]
        self.grads[0][...] = np.sum((dout * self.xhat).reshape(-1, D), axis=0)
        self.grads[1][...] = np.sum(dout.reshape(-1, D), axis=0)
        dxhat = dout * gamma
        return (
            dxhat
            - dxhat.mean(axis=-1, keepdims=True)
            - self.xhat * (dxhat * self.xhat).mean(axis=-1, keepdims=True)
        ) / self.std


# ---------------------------------------------------------------- 第 15 章 トークンと言語モデル

__all__ += ["Embedding"]


class Embedding:
    """埋め込みのレイヤ：トークン ID の配列から、重み W の行を取り出す（out = W[idx]）。

    ID を one-hot ベクトルにして W を掛けるのと同じ計算ですが、掛け算をせずに行を取り出します。
    逆伝播では、取り出した行に勾配を足し戻します。同じ ID が何度も現れたら、その行には
    それぞれの位置の勾配の **和** が入ります（``np.add.at``。``dW[idx] += dout`` では、
    重なった位置の 1 つ分しか足されません）。

    Parameters
    ----------
    W : ndarray, shape (V, D)
        重み（V は語彙の大きさ、D は埋め込みの次元）。浮動小数点の配列ならこのレイヤは
        その配列そのものを持ち、最適化アルゴリズムがその場で更新する。

    Attributes
    ----------
    params : list of ndarray
        ``[W]``。
    grads : list of ndarray
        ``[dW]``（W と同じ形。``backward`` がその場で書き込む）。
    """

    def __init__(self, W):
        W = finite_array(W, "W", ndim=2)
        self.params = [W]
        self.grads = [np.zeros_like(W)]
        self.idx = None

    def forward(self, idx):
        """順伝播。

        Parameters
        ----------
        idx : array_like of int, shape (N,) または (N, T)
            0〜V-1 のトークン ID（整数の値の浮動小数点も可）。

        Returns
        -------
        ndarray, shape (N, D) または (N, T, D)
            W の行を並べた新しい配列。
        """
        (W,) = self.params
        idx = labels(
            idx,
            "idx",
            W.shape[0],
            ndim=(1, 2),
            hint=f"トークン ID は 0〜{W.shape[0] - 1}（語彙の大きさ V={W.shape[0]}）です",
        )
        self.idx = idx
        return W[idx]

    def backward(self, dout):
        """逆伝播。dW[v] = Σ_{idx[n] = v} dout[n] を ``self.grads`` に書き込む。

        Parameters
        ----------
        dout : ndarray, shape (N, D) または (N, T, D)
            出力についての損失の勾配。

        Returns
        -------
        None
            入力は整数の ID なので、入力についての勾配はない。
        """
        _require_forward(self, "idx")
        (W,) = self.params
        dout = _check_dout(dout, (*self.idx.shape, W.shape[1]))
        dW = self.grads[0]
        dW[...] = 0.0
        np.add.at(dW, self.idx, dout)
        return None


# ---------------------------------------------------------------- 第 10 章 畳み込みと残差接続
# 画像は (N, C, H, W)（枚数・チャンネル・高さ・幅）、フィルタは (FN, C, FH, FW) の 4 次元の配列。
# 並びは『ゼロから作る Deep Learning』の 7 章と同じ（Keras は (N, H, W, C) と (FH, FW, C, FN)）。

__all__ += ["Convolution", "Pooling", "Flatten", "Residual"]


def _images(x, name="x"):
    """有限の数値の 4 次元の配列 (N, C, H, W) にする。"""
    x = _input(x, name)
    if x.ndim != 4:
        raise ValueError(
            f"{name} は shape (N, C, H, W)（枚数・チャンネル・高さ・幅）の 4 次元の配列である"
            f"必要があります（shape={x.shape}。1 チャンネルの画像なら x.reshape(N, 1, H, W)）"
        )
    return x


class Convolution:
    """畳み込み層。im2col で窓を行に並べ、1 回の行列の積で全部の位置を計算する。

    出力は out[n, f, i, j] = Σ_{c,p,q} x_pad[n, c, i·s + p, j·s + q] · W[f, c, p, q] + b[f]
    （x_pad は上下左右に pad ずつ 0 を足した入力、s はストライド）。

    Parameters
    ----------
    W : ndarray, shape (FN, C, FH, FW)
        フィルタ（FN 枚、それぞれ C チャンネル × 高さ FH × 幅 FW）。浮動小数点の配列なら
        このレイヤはその配列そのものを持ち、最適化アルゴリズムがその場で更新する。
    b : ndarray, shape (FN,)
        フィルタごとのバイアス。
    stride : int
        窓をずらす幅（1 以上）。
    pad : int
        入力の上下左右に 0 を足す幅（0 以上）。

    Attributes
    ----------
    params : list of ndarray
        ``[W, b]``。
    grads : list of ndarray
        ``[dW, db]``（``backward`` がその場で書き込む）。
    """

    def __init__(self, W, b, stride=1, pad=0):
        W = finite_array(W, "W", ndim=4)
        b = finite_array(b, "b", ndim=1)
        if b.shape != (W.shape[0],):
            raise ValueError(
                f"b の形 {b.shape} がフィルタの枚数に合いません（W.shape={W.shape} は "
                f"(FN, C, FH, FW) なので、b は shape ({W.shape[0]},) が必要）"
            )
        self.stride = integer("stride", stride, minimum=1)
        self.pad = integer("pad", pad, minimum=0)
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x_shape = None  # 入力の形 (N, C, H, W)
        self.col = None  # im2col(x), shape (N·OH·OW, C·FH·FW)

    def forward(self, x):
        """順伝播。

        Parameters
        ----------
        x : ndarray, shape (N, C, H, W)

        Returns
        -------
        ndarray, shape (N, FN, OH, OW)
            OH = (H + 2 pad - FH) // stride + 1（OW も同じ）。
        """
        W, b = self.params
        FN, C, FH, FW = W.shape
        x = _images(x)
        if x.shape[1] != C:
            raise ValueError(
                f"x のチャンネル数 {x.shape[1]}（x.shape={x.shape}）がフィルタのチャンネル数 "
                f"{C}（W.shape={W.shape}）と違います"
            )
        N, _, H, Wd = x.shape
        if FH > H + 2 * self.pad or FW > Wd + 2 * self.pad:
            raise ValueError(
                f"フィルタ {FH}×{FW} が、パディング {self.pad} を足した x の高さと幅 "
                f"{H + 2 * self.pad}×{Wd + 2 * self.pad} より大きいです（x.shape={x.shape}）"
            )
        out_h = (H + 2 * self.pad - FH) // self.stride + 1
        out_w = (Wd + 2 * self.pad - FW) // self.stride + 1
        col = im2col(x, FH, FW, self.stride, self.pad)
        out = col @ W.reshape(FN, -1).T + b  # (N·OH·OW, FN)
        self.x_shape, self.col = x.shape, col
        return out.reshape(N, out_h, out_w, FN).transpose(0, 3, 1, 2)

    def backward(self, dout):
        """逆伝播。dW・db を ``self.grads`` に書き込み、dx を返す。

        順伝播は out = col Wᵀ + b（W は (FN, C·FH·FW) に並べたもの）なので、Affine と同じく
        dW = doutᵀ col、db = Σ dout、dcol = dout W。dcol を col2im で元の位置に戻して足すと dx。

        Parameters
        ----------
        dout : ndarray, shape (N, FN, OH, OW)

        Returns
        -------
        dx : ndarray, shape (N, C, H, W)
        """
        _require_forward(self, "col")
        W, _ = self.params
        FN, C, FH, FW = W.shape
        N, _, H, Wd = self.x_shape
        out_h = (H + 2 * self.pad - FH) // self.stride + 1
        out_w = (Wd + 2 * self.pad - FW) // self.stride + 1
        dout = _check_dout(dout, (N, FN, out_h, out_w))
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)  # (N·OH·OW, FN)
        self.grads[0][...] = (dout.T @ self.col).reshape(FN, C, FH, FW)
        self.grads[1][...] = np.sum(dout, axis=0)
        dcol = dout @ W.reshape(FN, -1)
        return col2im(dcol, self.x_shape, FH, FW, self.stride, self.pad)


class Pooling:
    """最大値プーリング層。窓（pool_h × pool_w）ごと・チャンネルごとの最大値を出す。

    パディングした所は、入力のどの値よりも小さい値で埋めるので、最大値に選ばれません
    （Keras の ``MaxPooling2D(padding="same")`` と同じ扱い。0 で埋める実装とは、窓の値が
    すべて負のときに違う）。そのため pad は窓の大きさより小さくします。

    Parameters
    ----------
    pool_h, pool_w : int
        窓の高さと幅（1 以上）。
    stride : int
        窓をずらす幅（1 以上。重ならない 2×2 のプーリングなら 2）。
    pad : int
        入力の上下左右に足す幅（0 以上、pool_h と pool_w より小さい）。
    """

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = integer("pool_h", pool_h, minimum=1)
        self.pool_w = integer("pool_w", pool_w, minimum=1)
        self.stride = integer("stride", stride, minimum=1)
        self.pad = integer("pad", pad, minimum=0)
        if self.pad >= min(self.pool_h, self.pool_w):
            raise ValueError(
                f"pad {self.pad} は窓の大きさ {self.pool_h}×{self.pool_w} より小さくしてください"
                "（パディングだけの窓ができてしまいます）"
            )
        self.params, self.grads = [], []
        self.x_shape = None  # 入力の形 (N, C, H, W)
        self.arg_max = None  # 窓ごとの最大値の位置, shape (N·OH·OW·C,)

    def _out_size(self, H, W):
        return (
            (H + 2 * self.pad - self.pool_h) // self.stride + 1,
            (W + 2 * self.pad - self.pool_w) // self.stride + 1,
        )

    def forward(self, x):
        """順伝播。

        Parameters
        ----------
        x : ndarray, shape (N, C, H, W)

        Returns
        -------
        ndarray, shape (N, C, OH, OW)
        """
        x = _images(x)
        N, C, H, W = x.shape
        p = self.pad
        if self.pool_h > H + 2 * p or self.pool_w > W + 2 * p:
            raise ValueError(
                f"窓 {self.pool_h}×{self.pool_w} が、パディング {p} を足した x の高さと幅 "
                f"{H + 2 * p}×{W + 2 * p} より大きいです（x.shape={x.shape}）"
            )
        out_h, out_w = self._out_size(H, W)
        if p:  # どの値よりも小さい値で埋める（最大値に選ばれない）
            x = np.pad(x, [(0, 0), (0, 0), (p, p), (p, p)], constant_values=x.min() - 1.0)
        col = im2col(x, self.pool_h, self.pool_w, self.stride, 0)
        col = col.reshape(-1, self.pool_h * self.pool_w)  # 1 行 = 1 つの窓の 1 チャンネル
        self.arg_max = np.argmax(col, axis=1)
        self.x_shape = (N, C, H, W)
        out = col[np.arange(col.shape[0]), self.arg_max]
        return out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

    def backward(self, dout):
        """逆伝播。勾配は、順伝播で最大値だった位置にだけ流れる（ほかの位置は 0）。

        窓が重なるとき（stride < 窓）は、同じ画素が何度も最大値になれば、その分が足される。

        Parameters
        ----------
        dout : ndarray, shape (N, C, OH, OW)

        Returns
        -------
        dx : ndarray, shape (N, C, H, W)
        """
        _require_forward(self, "arg_max")
        N, C, H, W = self.x_shape
        out_h, out_w = self._out_size(H, W)
        dout = _check_dout(dout, (N, C, out_h, out_w))
        size = self.pool_h * self.pool_w
        dmax = np.zeros((self.arg_max.size, size), dtype=dout.dtype)
        dmax[np.arange(self.arg_max.size), self.arg_max] = dout.transpose(0, 2, 3, 1).ravel()
        dcol = dmax.reshape(N * out_h * out_w, C * size)
        p = self.pad
        padded = (N, C, H + 2 * p, W + 2 * p)
        dx = col2im(dcol, padded, self.pool_h, self.pool_w, self.stride, 0)
        return dx[:, :, p : p + H, p : p + W]


class Flatten:
    """(N, C, H, W) などを (N, C·H·W) に並べ直す層（Keras の ``Flatten``）。逆伝播は形を戻すだけ。"""

    def __init__(self):
        self.params, self.grads = [], []
        self.x_shape = None

    def forward(self, x):
        """x : ndarray, shape (N, ...) → ndarray, shape (N, D)（D は N 以外の軸の大きさの積）"""
        x = _input(x)
        if x.ndim < 2:
            raise ValueError(
                f"x は shape (N, ...) の 2 次元以上の配列が必要です（shape={x.shape}）"
            )
        self.x_shape = x.shape
        return x.reshape(x.shape[0], -1)

    def backward(self, dout):
        """dout : ndarray, shape (N, D) → dx : ndarray（順伝播の入力と同じ形）"""
        _require_forward(self, "x_shape")
        dout = _check_dout(dout, (self.x_shape[0], int(np.prod(self.x_shape[1:]))))
        return dout.reshape(self.x_shape)


class Residual:
    """残差接続（スキップ接続）y = x + F(x)。F は ``layers`` を順に通したもの。

    逆伝播は ∂y/∂x = I + ∂F/∂x から dx = dout + （F を逆にたどった勾配）：上流の勾配が
    そのまま（1 倍で）下流へ届く道が必ず 1 本ある。

    Parameters
    ----------
    *layers
        F を作るレイヤ（``forward``・``backward``・``params``・``grads`` を持つもの）。
        F(x) は x と同じ形を返すこと。

    Attributes
    ----------
    params, grads : list of ndarray
        中のレイヤの同名のリストをつないだもの（同じ配列を参照する）。
    """

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Residual には F を作るレイヤを 1 つ以上渡してください")
        for i, layer in enumerate(layers):
            for attr in ("forward", "backward", "params", "grads"):
                if not hasattr(layer, attr):
                    raise TypeError(f"layers[{i}]（{type(layer).__name__}）に {attr} がありません")
        self.layers = list(layers)
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads
        self.shape = None

    def forward(self, x):
        """x : ndarray, shape (...) → x + F(x) : ndarray, shape (...)"""
        x = _input(x)
        out = x
        for layer in self.layers:
            out = layer.forward(out)
        if np.shape(out) != x.shape:
            raise ValueError(
                f"F(x) の形 {np.shape(out)} が x の形 {x.shape} と違うので、x + F(x) を作れません"
            )
        self.shape = x.shape
        return x + out

    def backward(self, dout):
        """dout : ndarray, shape (...) → dx = dout + （F の逆伝播）"""
        _require_forward(self, "shape")
        dout = _check_dout(dout, self.shape)
        d = dout
        for layer in reversed(self.layers):
            d = layer.backward(d)
        return dout + d
