"""活性化関数・出力層の関数・損失関数と数値微分。

活性化関数は NumPy 配列を受け取り、同じ形（softmax は同じ形、最後の軸で正規化）を返します。
損失関数はバッチ全体の平均を float で返します。
数値でない入力には TypeError、空の入力や NaN・inf を含む入力には ValueError を出します。
"""

import numpy as np

from ._validation import _asarray, as_float_array, finite_array, number, probabilities, targets_like

__all__ = [
    "step",
    "sigmoid",
    "relu",
    "tanh",
    "identity",
    "softmax",
    "CROSS_ENTROPY_DELTA",
    "mean_squared_error",
    "cross_entropy_error",
    "numerical_gradient",
]


def step(x):
    """ステップ関数 h(x) = 1 (x > 0), 0 (x <= 0)。

    Parameters
    ----------
    x : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...), dtype int64
    """
    x = finite_array(x)
    return (x > 0).astype(np.int64)


def sigmoid(x):
    """シグモイド関数 h(x) = 1 / (1 + exp(-x))。

    |x| が大きくてもオーバーフローしないよう、x < 0 では
    exp(x) / (1 + exp(x)) という同じ値の別の式を使います。

    Parameters
    ----------
    x : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...)，値は 0 から 1 の間
    """
    x = finite_array(x)
    e = np.exp(-np.abs(x))  # 常に exp(負の数) なので 1 を超えない
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(x):
    """ReLU 関数 h(x) = max(0, x)。

    Parameters
    ----------
    x : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...)
    """
    x = finite_array(x)
    return np.maximum(0, x)


def tanh(x):
    """双曲線正接 h(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x))。

    Parameters
    ----------
    x : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...)，値は -1 から 1 の間
    """
    x = finite_array(x)
    return np.tanh(x)


def identity(x):
    """恒等関数 h(x) = x（回帰の出力層で使う）。

    Parameters
    ----------
    x : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...)（入力のコピー）
    """
    x = finite_array(x)
    return x.copy()


def softmax(a):
    """ソフトマックス関数 y_k = exp(a_k) / Σ_i exp(a_i)。

    最後の軸で正規化します。exp のオーバーフローを防ぐため、
    各行の最大値 C を引いてから exp を計算します（結果は変わりません）。

    Parameters
    ----------
    a : array_like, shape (K,) または (N, K)
        1 サンプルのスコア、または N サンプル分のスコア。

    Returns
    -------
    ndarray, shape (K,) または (N, K)
        各行の和が 1 の確率。
    """
    a = finite_array(a, "a", ndim=(1, 2))
    c = np.max(a, axis=-1, keepdims=True)
    exp_a = np.exp(a - c)
    return exp_a / np.sum(exp_a, axis=-1, keepdims=True)


# ---------------------------------------------------------------- 第 6 章 損失関数と数値微分

#: log(0) = -inf を避けるために y に足す小さな値
CROSS_ENTROPY_DELTA = 1e-7


def _as_batch(y, t, soft=True):
    """y と t を 2 次元 (N, K) にそろえる。t がラベル shape (N,) なら one-hot にする。

    soft=True なら t は 0 以上 1 以下（one-hot か確率）、False なら有限の値（回帰の目標値）。
    """
    if y.ndim == 1:  # 1 サンプル：t は one-hot shape (K,) かラベル 1 つ
        t = _asarray(t, "t")
        t = t.reshape(1, -1) if t.shape == y.shape else t.reshape(-1)
        y = y.reshape(1, -1)
    return y, targets_like(t, y.shape, soft=soft)


def mean_squared_error(y, t):
    """2 乗和誤差 E = 1/2 Σ_k (y_k - t_k)^2（バッチではサンプルの平均）。

    Parameters
    ----------
    y : array_like, shape (K,) または (N, K)
        ネットワークの出力。
    t : array_like, shape (K,) または (N, K)（one-hot）、または shape (N,) のラベル
        正解。

    Returns
    -------
    float
        1 サンプルあたりの誤差。
    """
    y = finite_array(y, "y", ndim=(1, 2))
    y, t = _as_batch(y, t, soft=False)
    return float(0.5 * np.sum((y - t) ** 2) / y.shape[0])


def cross_entropy_error(y, t):
    """交差エントロピー誤差 E = -Σ_k t_k log(y_k + δ)（バッチではサンプルの平均）。

    y_k = 0 のとき log(0) = -inf にならないよう、小さな値
    δ = ``CROSS_ENTROPY_DELTA``（1e-7）を足してから log を取ります。
    そのため正解の確率がとても小さいと、値は本当の交差エントロピー誤差より小さくなります
    （上限は -log δ ≈ 16.1）。スコアから正確に求めるには ``nnbook.layers.SoftmaxWithLoss``
    （log-sum-exp）を使います。

    Parameters
    ----------
    y : array_like, shape (K,) または (N, K)
        確率（ソフトマックスの出力）。
    t : array_like, shape (K,) または (N, K)（one-hot）、または shape (N,) のラベル
        正解。

    Returns
    -------
    float
        1 サンプルあたりの誤差（0 以上）。
    """
    y = probabilities(y, "y", hint="スコアならソフトマックス関数に通してから渡してください")
    y, t = _as_batch(y, t)
    return float(-np.sum(t * np.log(y + CROSS_ENTROPY_DELTA)) / y.shape[0])


def _scalar(value):
    """f の戻り値を float にする。数 1 つでなければ TypeError。"""
    try:
        arr = as_float_array(value, "f の戻り値")
        if arr.size == 1:
            return float(arr.reshape(()))
    except (TypeError, ValueError):
        pass
    raise TypeError(
        f"f の戻り値は数 1 つである必要があります（{type(value).__name__} の {value!r}）"
    )


def numerical_gradient(f, x, h=1e-4):
    """中心差分 (f(x + h) - f(x - h)) / 2h で、f の x についての勾配を求める。

    x の要素を 1 つずつ一時的に書き換えて f を呼び、最後に必ず元の値に戻します。
    f は x を（直接または間接に）使って損失を計算する関数です。

    Parameters
    ----------
    f : callable
        ``f(x)`` がスカラー（float）を返す関数。
    x : ndarray, shape (...), 浮動小数点
        勾配を求める変数。計算中だけ書き換わる（終われば元どおり）。
    h : float
        微小な変化。

    Returns
    -------
    ndarray, shape (...)
        x と同じ形の勾配。
    """
    if not callable(f):
        raise TypeError(f"f は関数である必要があります（{type(f).__name__}）")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x は浮動小数点の ndarray である必要があります（その場で書き換えるため）")
    h = number("h", h, positive=True)
    finite_array(x, "x")
    grad = np.zeros_like(x)
    flat_x = x.reshape(-1)  # x と同じメモリを 1 次元で見る
    if not np.shares_memory(flat_x, x):
        raise ValueError("x は連続したメモリの配列である必要があります（np.ascontiguousarray）")
    flat_grad = grad.reshape(-1)
    for i in range(flat_x.size):
        tmp = flat_x[i]
        try:
            flat_x[i] = tmp + h
            fxh1 = _scalar(f(x))
            flat_x[i] = tmp - h
            fxh2 = _scalar(f(x))
        finally:
            flat_x[i] = tmp  # 元に戻す
        flat_grad[i] = (fxh1 - fxh2) / (2 * h)
    if not np.all(np.isfinite(grad)):
        raise ValueError("f の値に nan か inf が含まれ、勾配を計算できませんでした")
    return grad
