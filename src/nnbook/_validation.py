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


def number_tuple(name, v, length, what, positive=False):
    """v が length 個の有限の実数の組（tuple・list・1 次元の ndarray）なら float の tuple を返す。

    組でないもの（文字列・数 1 つ・None など）は TypeError、数の個数の違いは ValueError。

    Parameters
    ----------
    name : str
    v : object
    length : int
        数の個数。
    what : str
        エラーメッセージで組の中身を説明する文字列（例: ``"(下限, 上限)"``）。
    positive : bool
        どの数も 0 より大きいこと。
    """
    if isinstance(v, np.ndarray) and v.ndim != 1:
        raise ValueError(f"{name} は {what} の {length} つの数の組です（shape={v.shape}）")
    if not isinstance(v, (tuple, list, np.ndarray)):
        raise TypeError(
            f"{name} は {what} の {length} つの数の組です（{type(v).__name__} の {v!r}）"
        )
    if len(v) != length:
        raise ValueError(f"{name} は {what} の {length} つの数の組です（{len(v)} 個の {v!r}）")
    return tuple(number(f"{name}[{i}]", e, positive=positive) for i, e in enumerate(v))


def pair(name, v):
    """v が (下限, 上限) の 2 つの有限の数なら float の tuple を返す（``number_tuple`` の短縮形）。"""
    return number_tuple(name, v, 2, "(下限, 上限)")


def axes(name, ax, optional=True):
    """ax が matplotlib の Axes（optional なら None も可）ならそのまま返す。そうでなければ TypeError。"""
    if ax is None and optional:
        return ax
    import matplotlib.axes  # 図を描く関数からだけ呼ばれる（コアのモジュールは matplotlib を読まない）

    if not isinstance(ax, matplotlib.axes.Axes):
        want = "matplotlib の Axes か None" if optional else "matplotlib の Axes"
        raise TypeError(f"{name} は {want} です（{type(ax).__name__} の {ax!r}）")
    return ax


def writable(arr, name):
    """その場で書き換える ndarray arr が書き込みできなければ ValueError。"""
    if not arr.flags.writeable:
        raise ValueError(
            f"{name} は書き込みのできない（読み取り専用の）配列です。その場で書き換えるので、"
            "書き込みのできる配列（例えば .copy() で作ったコピー）を渡してください"
        )
    return arr


def min_rows(arr, name, minimum, reason):
    """配列 arr の 1 つ目の軸（サンプルの数）が minimum 以上でなければ ValueError（理由 reason を書く）。"""
    if arr.shape[0] < minimum:
        raise ValueError(
            f"{name} のサンプルが {arr.shape[0]} つです（shape={arr.shape}）。{reason}"
        )
    return arr


def class_count(name, v):
    """v がクラスの数（2 以上の整数）なら int を返す。

    ソフトマックスと交差エントロピー誤差は 2 つ以上のクラスから 1 つを選ぶので、
    1 クラスでは確率がいつも 1、損失も勾配も 0 になり学習できません。その説明を書いた ValueError。
    """
    v = integer(name, v)
    if v < 2:
        raise ValueError(
            f"{name} はクラスの数で、2 以上の整数が必要です（{v}）。ソフトマックスと交差エントロピー"
            "誤差は 2 つ以上のクラスから 1 つを選ぶので、クラスが 1 つでは確率がいつも 1、"
            "損失も勾配も 0 になり、学習できません（2 クラスの分類なら 2 にします）"
        )
    return v


def keywords(func_name, kwargs, allowed):
    """kwargs のキーがすべて allowed に含まれなければ、使える名前を書いた TypeError。"""
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError(
            f"{func_name} に知らない引数 {', '.join(unknown)} が渡されました"
            f"（使えるのは {', '.join(allowed)}）"
        )
    return kwargs
