"""誤差逆伝播法のレイヤ（Affine・Sigmoid・ReLU・SoftmaxWithLoss）。

どのレイヤも ``forward``（順伝播）と ``backward``（逆伝播）を持ち、
``forward`` は ``backward`` に必要なものだけを覚えておきます（入力の配列は書き換えません）。
パラメータとその勾配は、同じ順番のリスト ``params`` と ``grads`` に並べて持ちます。
勾配は ``self.grads[0][...] = dW`` のように **その場で** 書き込むので、
ネットワークや最適化アルゴリズムは、同じ配列をずっと参照し続けられます。
"""

import numpy as np

from ._validation import as_float_array, check_ndim, targets_like
from .functions import cross_entropy_error, sigmoid, softmax

__all__ = ["Affine", "Sigmoid", "ReLU", "SoftmaxWithLoss"]


def _input(x, name="x"):
    """数値で NaN のない配列にする（浮動小数点の配列ならコピーしない）。"""
    x = as_float_array(x, name)
    if np.isnan(x).any():
        raise ValueError(f"{name} に NaN が含まれています（shape={x.shape}）")
    return x


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
        W = _input(W, "W")
        b = _input(b, "b")
        check_ndim(W, (2,), "W")
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


class SoftmaxWithLoss:
    """ソフトマックス関数と交差エントロピー誤差をまとめたレイヤ。

    まとめると逆伝播が dx = (y - t) / N という簡単な形になります（y はソフトマックスの出力）。
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
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（0〜K-1 のラベル）

        Returns
        -------
        float
            バッチの平均の交差エントロピー誤差。
        """
        x = _input(x)
        check_ndim(x, (2,), "x")
        self.t = targets_like(t, x.shape)
        self.y = softmax(x)
        return cross_entropy_error(self.y, self.t)

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
        if isinstance(dout, bool) or not isinstance(dout, (int, float, np.integer, np.floating)):
            raise TypeError(f"dout は数 1 つである必要があります（{dout!r}）")
        return dout * (self.y - self.t) / self.y.shape[0]
