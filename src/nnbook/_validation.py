"""入力チェックの共通処理（非公開）。"""

import numpy as np


def as_float_array(x, name="x"):
    """数値の配列に変換する。数値でなければ TypeError、空なら ValueError。

    Parameters
    ----------
    x : array_like
        任意の形の数値（スカラー、リスト、ndarray）。
    name : str
        エラーメッセージに使う引数名。

    Returns
    -------
    ndarray
        x と同じ形の浮動小数点の配列。
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(
            f"{name} は数値の配列である必要があります（{type(x).__name__} が渡されました）"
        )
    arr = np.asarray(x)
    if arr.dtype == object or not (
        np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)
    ):
        raise TypeError(f"{name} は数値の配列である必要があります（dtype={arr.dtype}）")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise TypeError(f"{name} は実数の数値である必要があります（複素数 dtype={arr.dtype}）")
    if arr.size == 0:
        raise ValueError(f"{name} が空です（shape={arr.shape}）")
    if np.issubdtype(arr.dtype, np.floating):
        return arr
    return arr.astype(float)


def check_ndim(arr, allowed, name="x"):
    """arr.ndim が allowed に含まれなければ ValueError。"""
    if arr.ndim not in allowed:
        want = " または ".join(f"{d} 次元" for d in allowed)
        raise ValueError(f"{name} は {want} の配列である必要があります（shape={arr.shape}）")


def targets_like(t, shape, name="t"):
    """正解 t を、出力と同じ shape (N, K) の one-hot（または確率）の配列にそろえる。

    Parameters
    ----------
    t : array_like, shape (N, K) または shape (N,)（0〜K-1 の整数ラベル）
    shape : tuple of int
        出力の形 (N, K)。

    Returns
    -------
    ndarray, shape (N, K)
    """
    t = as_float_array(t, name)
    if np.isnan(t).any():
        raise ValueError(f"{name} に NaN が含まれています")
    n, k = shape
    if t.shape == (n,):
        labels = t.astype(np.int64)
        if not np.array_equal(labels, t) or labels.min() < 0 or labels.max() >= k:
            raise ValueError(f"ラベル {name} は 0〜{k - 1} の整数である必要があります")
        return np.eye(k)[labels]
    if t.shape != (n, k):
        raise ValueError(
            f"{name} の形 {t.shape} が出力の形 {(n, k)} に合いません"
            f"（one-hot なら {(n, k)}、ラベルなら ({n},)）"
        )
    return t


def positive_int(name, v, minimum=1):
    """v が minimum 以上の整数ならその int を返す。整数でなければ TypeError、小さければ ValueError。"""
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"{name} は整数である必要があります（{v!r}）")
    if v < minimum:
        raise ValueError(f"{name} は {minimum} 以上である必要があります（{v}）")
    return int(v)
