"""活性化関数と出力層の関数。

どの関数も NumPy 配列を受け取り、同じ形（softmax は同じ形、最後の軸で正規化）を返します。
数値でない入力には TypeError、空の入力には ValueError を出します。
"""

import numpy as np

from ._validation import as_float_array, check_ndim

__all__ = ["step", "sigmoid", "relu", "tanh", "identity", "softmax"]


def step(x):
    """ステップ関数 h(x) = 1 (x > 0), 0 (x <= 0)。

    Parameters
    ----------
    x : array_like, shape (...)

    Returns
    -------
    ndarray, shape (...), dtype int64
    """
    x = as_float_array(x)
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
    x = as_float_array(x)
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
    x = as_float_array(x)
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
    x = as_float_array(x)
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
    x = as_float_array(x)
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
    a = as_float_array(a, "a")
    check_ndim(a, (1, 2), "a")
    if np.isnan(a).any():
        raise ValueError("a に NaN が含まれています")
    c = np.max(a, axis=-1, keepdims=True)
    exp_a = np.exp(a - c)
    return exp_a / np.sum(exp_a, axis=-1, keepdims=True)
