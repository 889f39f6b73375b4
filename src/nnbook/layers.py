"""誤差逆伝播法のレイヤ（Affine・Sigmoid・ReLU・計算グラフのノード・SoftmaxWithLoss）。

どのレイヤも ``forward``（順伝播）と ``backward``（逆伝播）を持ち、
``forward`` は ``backward`` に必要なものだけを覚えておきます（入力の配列は書き換えません）。
パラメータとその勾配は、同じ順番のリスト ``params`` と ``grads`` に並べて持ちます。
勾配は ``self.grads[0][...] = dW`` のように **その場で** 書き込むので、
ネットワークや最適化アルゴリズムは、同じ配列をずっと参照し続けられます。
"""

import numpy as np

from ._validation import (
    _where,
    boolean,
    finite_array,
    min_rows,
    number,
    random_seed,
    targets_like,
)
from .functions import sigmoid, softmax

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
