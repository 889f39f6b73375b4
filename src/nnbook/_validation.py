"""入力チェックの共通処理（非公開）。

公開関数は、受け取るものをこのモジュールの関数で 1 行ずつ宣言します::

    x = finite_array(x, "x", ndim=(1, 2))      # 有限の数値の配列（1 次元か 2 次元）
    n = integer("n_samples", n, minimum=1)     # Python か NumPy の整数（bool は除く）
    lr = number("lr", lr, positive=True)       # 有限の実数
    y = probabilities(y, "y")                  # 0 以上 1 以下の有限の配列
    t = labels(t, "t", n_classes)              # 0〜n_classes-1 の整数ラベル

どれも、合わなければ引数の名前と期待するものを日本語で書いた ``TypeError``
（種類の違い）か ``ValueError``（値・形の違い）を出し、合えば使いやすい形に直した値を返します。
有限でない値（NaN・inf）は、どの引数の、どの形の、どの位置にあるかを書きます。
"""

import numbers

import numpy as np


def _asarray(x, name):
    """np.asarray。長さのそろわないリストなどは、名前を書いた ValueError にする。"""
    if isinstance(x, (str, bytes)):
        raise TypeError(
            f"{name} は数値の配列である必要があります（{type(x).__name__} が渡されました）"
        )
    try:
        return np.asarray(x)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{name} を配列にできません。長さのそろわないリストではありませんか（{exc}）"
        ) from None


def as_float_array(x, name="x"):
    """数値の配列に変換する。数値でなければ TypeError、空なら ValueError。

    NaN や inf は調べません（有限の値が必要なら ``finite_array``）。

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
    arr = _asarray(x, name)
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
    """arr.ndim が allowed（int か int のタプル）に含まれなければ ValueError。"""
    allowed = (allowed,) if isinstance(allowed, int) else tuple(allowed)
    if arr.ndim not in allowed:
        want = " または ".join(f"{d} 次元" for d in allowed)
        raise ValueError(f"{name} は {want} の配列である必要があります（shape={arr.shape}）")


def _where(arr, mask, name):
    """mask が True の最初の位置を「name[i, j] = 値」の形の文字列にする。"""
    pos = tuple(int(i) for i in np.argwhere(mask)[0])
    value = arr[pos] if pos else arr[()]
    index = f"[{', '.join(map(str, pos))}]" if pos else ""
    return f"{name}{index} = {value}"


def check_finite(arr, name="x", hint=None):
    """数値の配列 arr に NaN か inf があれば、最初の位置を書いた ValueError。"""
    bad = ~np.isfinite(arr)
    if bad.any():
        kind = "NaN" if np.isnan(arr[bad]).any() else "inf"
        message = (
            f"{name} には有限の値が必要ですが、{kind} が含まれています"
            f"（shape={arr.shape}、最初は {_where(arr, bad, name)}）"
        )
        raise ValueError(message + (f"。{hint}" if hint else ""))
    return arr


def finite_array(x, name="x", ndim=None, hint=None):
    """有限の数値の配列（浮動小数点）にする。

    Parameters
    ----------
    x : array_like
    name : str
        エラーメッセージに使う引数名。
    ndim : int or tuple of int, optional
        許す次元の数。
    hint : str, optional
        NaN・inf があったときに足す一言（例: 欠測の扱い方）。

    Returns
    -------
    ndarray
        x と同じ形の浮動小数点の配列（浮動小数点の ndarray ならコピーしない）。
    """
    arr = as_float_array(x, name)
    if ndim is not None:
        check_ndim(arr, ndim, name)
    return check_finite(arr, name, hint)


def probabilities(y, name="y", ndim=(1, 2), hint=None):
    """0 以上 1 以下の有限の配列（確率）にする。範囲の外なら最初の位置を書いた ValueError。"""
    y = finite_array(y, name, ndim)
    out = (y < 0) | (y > 1)
    if out.any():
        message = (
            f"{name} は確率（0 以上 1 以下）である必要があります"
            f"（shape={y.shape}、最初の範囲外は {_where(y, out, name)}）"
        )
        raise ValueError(message + (f"。{hint}" if hint else ""))
    return y


def labels(t, name="t", n_classes=None, ndim=(1,), hint=None):
    """0〜n_classes-1 の整数ラベルの配列（int64）にする。

    整数の dtype のほか、整数の値の浮動小数点（1.0 など）と bool（0 と 1）も受け付けます。

    Parameters
    ----------
    t : array_like
    name : str
    n_classes : int, optional
        クラス数。省略すると 0 以上であることだけを調べる。
    ndim : int or tuple of int
        許す次元の数（既定は 1 次元）。
    hint : str, optional
        整数でないときや範囲の外のときに足す一言。

    Returns
    -------
    ndarray, dtype int64
    """
    arr = _asarray(t, name)
    if np.issubdtype(arr.dtype, np.bool_) or np.issubdtype(arr.dtype, np.integer):
        if arr.size == 0:
            raise ValueError(f"{name} が空です（shape={arr.shape}）")
        check_ndim(arr, ndim, name)
    else:
        arr = finite_array(arr, name, ndim)
        frac = arr != np.round(arr)
        if frac.any():
            raise ValueError(
                f"{name} は整数のクラスの番号（ラベル）である必要があります"
                f"（shape={arr.shape}、最初の整数でない値は {_where(arr, frac, name)}）"
                + (f"。{hint}" if hint else "")
            )
    want = "0 以上" if n_classes is None else f"0〜{n_classes - 1}"
    out = (arr < 0) if n_classes is None else (arr < 0) | (arr >= n_classes)
    if out.any():
        raise ValueError(
            f"{name} は {want} の整数のラベルである必要があります"
            f"（shape={arr.shape}、最初の範囲外は {_where(arr, out, name)}）"
            + (f"。{hint}" if hint else "")
        )
    return arr.astype(np.int64)


def targets_like(t, shape, name="t", soft=True):
    """正解 t を、出力と同じ shape (N, K) の one-hot（または確率）の配列にそろえる。

    Parameters
    ----------
    t : array_like, shape (N, K) または shape (N,)（0〜K-1 の整数ラベル）
    shape : tuple of int
        出力の形 (N, K)。
    name : str
    soft : bool
        True なら shape (N, K) の t は 0 以上 1 以下（one-hot か確率）であること。
        False なら有限の値であればよい（回帰の目標値）。

    Returns
    -------
    ndarray, shape (N, K)
    """
    n, k = shape
    arr = _asarray(t, name)
    if arr.shape == (n,):
        return np.eye(k)[labels(arr, name, k)]
    arr = probabilities(arr, name) if soft and arr.shape == (n, k) else finite_array(arr, name)
    if arr.shape != (n, k):
        raise ValueError(
            f"{name} の形 {arr.shape} が出力の形 {(n, k)} に合いません"
            f"（one-hot なら {(n, k)}、ラベルなら ({n},)）"
        )
    return arr


def integer(name, v, minimum=None, maximum=None):
    """v が Python か NumPy の整数（bool は除く）で範囲内なら int を返す。

    整数でなければ TypeError、範囲の外なら ValueError。
    """
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
        raise TypeError(
            f"{name} は整数である必要があります（{type(v).__name__} の {v!r} が渡されました）"
        )
    v = int(v)
    if minimum is not None and v < minimum:
        raise ValueError(f"{name} は {minimum} 以上である必要があります（{v}）")
    if maximum is not None and v > maximum:
        raise ValueError(f"{name} は {maximum} 以下である必要があります（{v}）")
    return v


def positive_int(name, v, minimum=1):
    """v が minimum 以上の整数ならその int を返す（``integer`` の短縮形）。"""
    return integer(name, v, minimum=minimum)


def number(name, v, minimum=None, maximum=None, positive=False, below=None):
    """v が有限の実数（Python か NumPy の数、bool は除く）で範囲内なら float を返す。

    Parameters
    ----------
    name : str
    v : object
    minimum, maximum : float, optional
        この値以上・以下であること。
    positive : bool
        0 より大きいこと。
    below : float, optional
        この値より小さいこと。
    """
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} は数である必要があります（{type(v).__name__} の {v!r}）")
    v = float(v)
    if not np.isfinite(v):
        raise ValueError(f"{name} には有限の数が必要です（{v}）")
    if positive and not v > 0:
        raise ValueError(f"{name} は正の数である必要があります（{v}）")
    if minimum is not None and v < minimum:
        raise ValueError(f"{name} は {minimum} 以上である必要があります（{v}）")
    if maximum is not None and v > maximum:
        raise ValueError(f"{name} は {maximum} 以下である必要があります（{v}）")
    if below is not None and not v < below:
        raise ValueError(f"{name} は {below} より小さい必要があります（{v}）")
    return v


def boolean(name, v):
    """v が True か False（NumPy の bool も可）なら bool を返す。そうでなければ TypeError。"""
    if not isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} は True か False です（{type(v).__name__} の {v!r}）")
    return bool(v)


def text(name, v, optional=False):
    """v が文字列（optional なら None も可）ならそのまま返す。そうでなければ TypeError。"""
    if (v is None and optional) or isinstance(v, str):
        return v
    want = "文字列か None" if optional else "文字列"
    raise TypeError(f"{name} は{want}です（{type(v).__name__} の {v!r}）")


def function(name, f):
    """f が呼び出せる（関数など）ならそのまま返す。そうでなければ TypeError。"""
    if not callable(f):
        raise TypeError(f"{name} は関数である必要があります（{type(f).__name__} が渡されました）")
    return f


def random_seed(name, v):
    """乱数の種：None、0 以上の整数、``numpy.random.Generator`` か ``SeedSequence``。"""
    if v is None or isinstance(v, (np.random.Generator, np.random.SeedSequence)):
        return v
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
        raise TypeError(
            f"{name} は 0 以上の整数か numpy.random.Generator です（{type(v).__name__} の {v!r}）"
        )
    return integer(name, v, minimum=0)
