"""グラフの補助：日本語フォント、講座の配色（Okabe–Ito）、関数グラフ。

このモジュールを import すると、一度だけ次の設定をします（パッケージ内で
matplotlib の設定を変えるのはこのモジュールだけです）。

- matplotlib-fontja で日本語フォント（IPAex ゴシック）を使う（豆腐 □ を出さない）
- 色の順番を色覚多様性に配慮した Okabe–Ito パレットにする
- 日本語フォントにない記号（≤ など）は DejaVu Sans で補う（フォールバック）
- マイナス記号を ASCII の "-" にする
"""

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib_fontja  # noqa: F401  import するだけで日本語フォントが有効になる
import numpy as np
from matplotlib.colors import ListedColormap

from ._validation import (
    as_float_array,
    boolean,
    finite_array,
    function,
    integer,
    number,
    probabilities,
    text,
)
from ._validation import labels as _label_array

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "setup",
    "plot_functions",
    "class_cmap",
    "MARKERS",
    "decision_grid",
    "predict_grid",
    "draw_regions",
    "scatter_classes",
    "plot_decision_regions",
]

#: Okabe–Ito パレット（色覚の違いがあっても区別しやすい 8 色）
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: 線やクラスに使う順番（黒と黄色は後ろに回す：黄色は白地で見にくい）
PALETTE = [
    OKABE_ITO["blue"],
    OKABE_ITO["orange"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["sky_blue"],
    OKABE_ITO["yellow"],
    OKABE_ITO["black"],
]


def setup():
    """講座のグラフ設定を適用する（import 時に自動で一度呼ばれる）。"""
    families = list(mpl.rcParams["font.family"])
    if "DejaVu Sans" not in families:
        mpl.rcParams["font.family"] = [*families, "DejaVu Sans"]
    mpl.rcParams.update(
        {
            "axes.prop_cycle": mpl.cycler(color=PALETTE),
            "axes.unicode_minus": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "figure.figsize": (6.0, 4.0),
            "figure.dpi": 80,
            "savefig.dpi": 80,
            "image.cmap": "viridis",
        }
    )


def class_cmap(n_classes):
    """クラス数 n_classes 個の色を持つカラーマップ（決定領域の塗り分け用）。

    Parameters
    ----------
    n_classes : int
        1 以上 len(PALETTE) 以下。

    Returns
    -------
    matplotlib.colors.ListedColormap
    """
    n_classes = integer("n_classes", n_classes, minimum=1, maximum=len(PALETTE))
    return ListedColormap(PALETTE[:n_classes])


def plot_functions(funcs, x, ax=None, title=None, xlabel="x", ylabel="y", ylim=None):
    """いくつかの関数を同じ軸に描く。

    Parameters
    ----------
    funcs : dict[str, callable]
        凡例の名前 → 関数。各関数は shape (M,) の配列を受け取り shape (M,) を返す。
    x : array_like, shape (M,)
        横軸の値。
    ax : matplotlib.axes.Axes, optional
        描く先。省略すると新しい図を作る。
    title, xlabel, ylabel : str, optional
        タイトルと軸ラベル。
    ylim : tuple of float, optional
        縦軸の範囲。

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not isinstance(funcs, dict) or not funcs:
        raise TypeError("funcs は {名前: 関数} の空でない dict である必要があります")
    for label, f in funcs.items():
        function(f"funcs[{label!r}]", f)
    x = finite_array(x, "x", ndim=1)
    ax = _axes(ax)
    ylim = None if ylim is None else _pair("ylim", ylim)
    for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        text(name, value, optional=True)
    curves = {}
    for label, f in funcs.items():
        y = as_float_array(f(x), f"funcs[{label!r}](x) の戻り値")
        if y.shape != x.shape:
            raise ValueError(
                f"funcs[{label!r}](x) の戻り値の形 {y.shape} が x の形 {x.shape} と違います"
            )
        curves[label] = y
    if ax is None:
        _, ax = plt.subplots()
    for label, y in curves.items():
        ax.plot(x, y, label=str(label), linewidth=2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if len(funcs) > 1:
        ax.legend()
    return ax


def _axes(ax, optional=True):
    """ax が matplotlib の Axes（optional なら None も可）かを調べる。"""
    if (ax is None and optional) or isinstance(ax, mpl.axes.Axes):
        return ax
    raise TypeError(f"ax は matplotlib の Axes です（{type(ax).__name__} が渡されました）")


def _pair(name, v):
    """(下限, 上限) の 2 つの有限の数の組にする。"""
    if not isinstance(v, (tuple, list, np.ndarray)) or len(v) != 2:
        raise TypeError(f"{name} は (下限, 上限) の 2 つの数の組です（{v!r}）")
    return tuple(number(f"{name}[{i}]", e) for i, e in enumerate(v))


setup()


# ---------------------------------------------------------------- 第 9 章 決定領域

#: クラスごとの点の形（色だけに頼らない）
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _points(x):
    """2 次元の点の配列 shape (N, 2) にする（数値でなければ TypeError）。"""
    x = as_float_array(x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x は shape (N, 2) の配列である必要があります（shape={x.shape}）")
    return finite_array(x, "x")


def decision_grid(x, resolution=200, margin=0.1):
    """データ x の範囲を少し広げた格子点を作る。

    Parameters
    ----------
    x : array_like, shape (N, 2)
        2 次元のデータ（範囲を決めるためだけに使う）。
    resolution : int
        各軸の格子点の数（2 以上 2000 以下）。
    margin : float
        範囲の幅に対する、両側に足す余白の割合（0 以上の有限の数）。

    Returns
    -------
    xx, yy : ndarray, shape (resolution, resolution)
        ``np.meshgrid`` の結果（xx が横軸 x1、yy が縦軸 x2）。
    """
    x = _points(x)
    resolution = integer("resolution", resolution, minimum=2, maximum=2000)
    margin = number("margin", margin, minimum=0)
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = (hi - lo) * margin + 1e-9
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    return np.meshgrid(g1, g2)


def _to_labels(out, n_points, what="predict の戻り値"):
    """predict の出力（スコア (M, K) かラベル (M,)）をラベル (M,) にする。"""
    if not isinstance(out, np.ndarray):
        raise ValueError(
            f"{what}を配列にできません（{type(out).__name__}。長さのそろわないリストなど）"
        )
    shape = out.shape
    if len(shape) == 2 and shape[0] == n_points and shape[1] > 1:
        return finite_array(out, what).argmax(axis=1)
    if len(shape) == 2 and shape[1] == 1:
        out = out.reshape(-1)
    if np.shape(out) != (n_points,):
        raise ValueError(
            f"{what}の形 {np.shape(out)} が違います（ラベル ({n_points},) かスコア ({n_points}, K)）"
        )
    return _label_array(out, what, hint="1 次元ならクラスの番号を返してください")


def predict_grid(predict, xx, yy):
    """格子点すべてのクラスを 1 回の predict でまとめて求める。

    Parameters
    ----------
    predict : callable
        shape (M, 2) の点を受け取り、ラベル shape (M,) かスコア shape (M, K) を返す。
    xx, yy : ndarray, shape (R, C)
        ``decision_grid`` などで作った格子。

    Returns
    -------
    ndarray, shape (R, C), int
        各格子点のクラス。
    """
    function("predict", predict)
    xx, yy = _grid(xx, yy)
    points = np.column_stack([xx.ravel(), yy.ravel()])  # shape (R*C, 2)
    return _to_labels(_array_or_none(predict(points)), points.shape[0]).reshape(xx.shape)


def _array_or_none(out):
    """predict の戻り値を ndarray にする（リストなども）。配列にできないものはそのまま返す。"""
    try:
        return np.asarray(out)
    except (ValueError, TypeError):
        return out


def _grid(xx, yy):
    """同じ形の 2 次元の有限の格子 xx, yy にする。"""
    xx = finite_array(xx, "xx", ndim=2)
    yy = finite_array(yy, "yy", ndim=2)
    if xx.shape != yy.shape:
        raise ValueError(f"xx と yy は同じ形の 2 次元配列です（{xx.shape}, {yy.shape}）")
    return xx, yy


def _labels_of(t):
    """ラベル shape (N,) か one-hot shape (N, K) の t を、整数のラベル shape (N,) にする。"""
    if np.ndim(t) == 2:
        return probabilities(t, "t", ndim=2).argmax(axis=1)
    return _label_array(t, "t", hint="t は整数のラベル shape (N,) か one-hot shape (N, K) です")


def _n_classes(n_classes, labels_, t):
    """n_classes（省略なら t から決める）が、描ける色の数以内で、すべてのラベルを含むかを調べる。"""
    if n_classes is None:
        n_classes = np.shape(t)[1] if np.ndim(t) == 2 else int(labels_.max()) + 1
        if n_classes > len(PALETTE):
            raise ValueError(
                f"t のクラスが {n_classes} 個あります。描き分けられるのは {len(PALETTE)} クラスまでです"
            )
    n_classes = integer("n_classes", n_classes, minimum=1, maximum=len(PALETTE))
    _label_array(labels_, "t", n_classes, hint=f"n_classes={n_classes} では足りません")
    return n_classes


def _labels_grid(grid, shape, n_classes):
    """格子点のクラス grid が shape の形で、0〜n_classes-1 の整数かを調べる。"""
    grid = _label_array(grid, "labels", n_classes, ndim=2)
    if grid.shape != shape:
        raise ValueError(f"labels の形 {grid.shape} が格子 xx, yy の形 {shape} と違います")
    return grid


def draw_regions(ax, labels, xx, yy, n_classes, alpha=0.3):
    """格子のクラス labels を塗り分けた画像を ax に置く（アニメーションで更新できる）。

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    labels : ndarray, shape (R, C), int
        格子点のクラス（``predict_grid`` の結果）。
    xx, yy : ndarray, shape (R, C)
        格子（``decision_grid`` の結果）。
    n_classes : int
        クラス数（色の数）。
    alpha : float
        塗りの不透明度。

    Returns
    -------
    matplotlib.image.AxesImage
        ``set_data(labels)`` で塗り分けを差し替えられる。
    """
    ax = _axes(ax, optional=False)
    xx, yy = _grid(xx, yy)
    n_classes = integer("n_classes", n_classes, minimum=1, maximum=len(PALETTE))
    labels = _labels_grid(labels, xx.shape, n_classes)
    alpha = number("alpha", alpha, minimum=0, maximum=1)
    extent = (xx.min(), xx.max(), yy.min(), yy.max())
    return ax.imshow(
        labels,
        extent=extent,
        origin="lower",
        cmap=class_cmap(n_classes),
        vmin=-0.5,
        vmax=n_classes - 0.5,
        alpha=alpha,
        interpolation="nearest",
        aspect="auto",
    )


def scatter_classes(ax, x, t, n_classes=None, s=20, legend=True):
    """クラスごとに色と形を変えて点を描く。

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    x : array_like, shape (N, 2)
    t : array_like, shape (N,)（ラベル）または shape (N, K)（one-hot）
    n_classes : int, optional
        クラス数（省略すると t から決める）。
    s : float
        点の大きさ。
    legend : bool
        凡例（クラス 0, 1, …）を描くか。
    """
    ax = _axes(ax, optional=False)
    x = _points(x)
    labels = _labels_of(t)
    if labels.shape != (x.shape[0],):
        raise ValueError(f"x は (N, 2)、t は N 個のラベルです（{x.shape}, {np.shape(t)}）")
    n_classes = _n_classes(n_classes, labels, t)
    s = number("s", s, positive=True)
    legend = boolean("legend", legend)
    for k in range(n_classes):
        m = labels == k
        ax.scatter(
            x[m, 0],
            x[m, 1],
            s=s,
            color=PALETTE[k],
            marker=MARKERS[k % len(MARKERS)],
            edgecolors="black",
            linewidths=0.5,
            label=f"クラス {k}",
        )
    if legend:
        ax.legend(loc="upper right", fontsize="small", framealpha=0.8)


def plot_decision_regions(
    predict, x, t, ax=None, resolution=200, margin=0.1, title=None, n_classes=None, legend=True
):
    """predict が決める決定領域を塗り分け、その上にデータ点を描く。

    Parameters
    ----------
    predict : callable
        shape (M, 2) の点 → ラベル shape (M,) かスコア shape (M, K)。
    x : array_like, shape (N, 2)
        データ点。
    t : array_like, shape (N,)（ラベル）または shape (N, K)（one-hot）
    ax : matplotlib.axes.Axes, optional
    resolution : int
        格子の細かさ。
    margin : float
        データの範囲の外に取る余白の割合。
    title : str, optional
    n_classes : int, optional
        クラス数（省略すると t から決める）。
    legend : bool
        凡例を描くか。

    Returns
    -------
    matplotlib.axes.Axes
    """
    function("predict", predict)
    ax = _axes(ax)
    x = _points(x)
    labels = _labels_of(t)
    if labels.shape != (x.shape[0],):
        raise ValueError(f"x は (N, 2)、t は N 個のラベルです（{x.shape}, {np.shape(t)}）")
    n_classes = _n_classes(n_classes, labels, t)
    text("title", title, optional=True)
    boolean("legend", legend)
    xx, yy = decision_grid(x, resolution, margin)
    grid = predict_grid(predict, xx, yy)
    if ax is None:
        _, ax = plt.subplots()
    draw_regions(ax, grid, xx, yy, n_classes)
    scatter_classes(ax, x, labels, n_classes, legend=legend)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


# ---------------------------------------------------------------- 第 10 章 畳み込みの窓

__all__ += ["plot_sliding_window"]


def _cells(ax, values, offset, pad, fmt, fontsize):
    """格子のマス（パディングは灰色）と値を描く。values は (H, W)、offset は左上の位置。"""
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            is_pad = not (pad <= r < rows - pad and pad <= c < cols - pad)
            ax.add_patch(
                mpl.patches.Rectangle(
                    (offset[1] + c, offset[0] + r),
                    1,
                    1,
                    facecolor="0.88" if is_pad else "white",
                    edgecolor="0.6",
                    linewidth=0.8,
                )
            )
            ax.text(
                offset[1] + c + 0.5,
                offset[0] + r + 0.5,
                fmt.format(values[r, c]),
                ha="center",
                va="center",
                fontsize=fontsize,
                color="0.5" if is_pad else "black",
            )


def _frame(ax, rows, cols, title):
    ax.set_xlim(-0.2, cols + 0.2)
    ax.set_ylim(rows + 0.2, -0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=10)


def plot_sliding_window(
    x, window, stride=1, pad=0, positions=None, out=None, axes=None, fmt="{:g}", fontsize=9
):
    """2 次元の入力 x の上で窓をずらす様子を、いくつかのコマに描く（畳み込みとプーリング）。

    各コマは、上下左右に pad ずつ 0 を足した入力（足した 0 は灰色）と、出力の 1 つの位置 (i, j) に
    対応する窓（左上が (i·stride, j·stride) の色付きの枠）です。``out`` を渡すと、最後のコマに
    出力の格子を描き、描いた位置のマスを同じ色で塗ります。

    Parameters
    ----------
    x : ndarray, shape (H, W)
        入力（1 チャンネル）。
    window : int or tuple of int
        窓の大きさ（``3`` か ``(FH, FW)``）。
    stride, pad : int
        ストライドとパディング。
    positions : list of tuple of int, optional
        描く出力の位置 (i, j) のリスト（1〜8 個）。省略すると 1 行目の最初の 3 つまで。
    out : ndarray, shape (OH, OW), optional
        出力（最後のコマに描く）。
    axes : sequence of matplotlib.axes.Axes, optional
        描く先（コマの数 = len(positions) + （out があれば 1））。省略すると新しい図を作る。
    fmt : str
        マスの値の書式。
    fontsize : float
        マスの値の文字の大きさ。

    Returns
    -------
    list of matplotlib.axes.Axes
    """
    x = finite_array(x, "x", ndim=2)
    if isinstance(window, (tuple, list)) and len(window) == 2:
        fh, fw = (integer(f"window[{i}]", w, minimum=1) for i, w in enumerate(window))
    else:
        fh = fw = integer("window", window, minimum=1)
    stride = integer("stride", stride, minimum=1)
    pad = integer("pad", pad, minimum=0)
    fmt = text("fmt", fmt)
    fontsize = number("fontsize", fontsize, positive=True)
    H, W = x.shape
    if fh > H + 2 * pad or fw > W + 2 * pad:
        raise ValueError(
            f"窓 {fh}×{fw} が、パディング {pad} を足した x の大きさ {H + 2 * pad}×{W + 2 * pad} "
            "より大きいです"
        )
    oh, ow = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    if positions is None:
        positions = [(0, j) for j in range(min(ow, 3))]
    if not isinstance(positions, (list, tuple)) or not 1 <= len(positions) <= len(PALETTE):
        raise TypeError(f"positions は (i, j) の組のリスト（1〜{len(PALETTE)} 個）です")
    checked = []
    for k, pos in enumerate(positions):
        if not isinstance(pos, (tuple, list)) or len(pos) != 2:
            raise TypeError(f"positions[{k}] は出力の位置 (i, j) です（{pos!r}）")
        i = integer(f"positions[{k}][0]", pos[0], minimum=0, maximum=oh - 1)
        j = integer(f"positions[{k}][1]", pos[1], minimum=0, maximum=ow - 1)
        checked.append((i, j))
    if out is not None:
        out = finite_array(out, "out", ndim=2)
        if out.shape != (oh, ow):
            raise ValueError(f"out の形 {out.shape} が出力の大きさ ({oh}, {ow}) と違います")
    n_panels = len(checked) + (out is not None)
    if axes is None:
        _, axes = plt.subplots(1, n_panels, figsize=(2.6 * n_panels, 2.8))
    axes = list(np.ravel(axes)) if not isinstance(axes, mpl.axes.Axes) else [axes]
    for ax in axes:
        _axes(ax, optional=False)
    if len(axes) != n_panels:
        raise ValueError(f"axes の数 {len(axes)} がコマの数 {n_panels} と違います")

    padded = np.pad(x, pad)
    for k, ((i, j), ax) in enumerate(zip(checked, axes)):
        color = PALETTE[k]
        _cells(ax, padded, (0, 0), pad, fmt, fontsize)
        ax.add_patch(
            mpl.patches.Rectangle(
                (j * stride, i * stride), fw, fh, facecolor=color, alpha=0.25, edgecolor="none"
            )
        )
        ax.add_patch(
            mpl.patches.Rectangle(
                (j * stride, i * stride), fw, fh, fill=False, edgecolor=color, linewidth=3
            )
        )
        _frame(ax, *padded.shape, f"出力 [{i}, {j}] の窓")
    if out is not None:
        ax = axes[-1]
        _cells(ax, out, (0, 0), 0, fmt, fontsize)
        for k, (i, j) in enumerate(checked):
            ax.add_patch(
                mpl.patches.Rectangle(
                    (j, i), 1, 1, facecolor=PALETTE[k], alpha=0.35, edgecolor="none"
                )
            )
        _frame(ax, *padded.shape, f"出力（{oh}×{ow}）")
    return axes
