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
