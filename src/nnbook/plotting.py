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

from ._validation import as_float_array

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
    if not isinstance(n_classes, (int, np.integer)) or isinstance(n_classes, bool):
        raise TypeError(f"n_classes は整数である必要があります（{type(n_classes).__name__}）")
    if not 1 <= n_classes <= len(PALETTE):
        raise ValueError(f"n_classes は 1〜{len(PALETTE)} である必要があります（{n_classes}）")
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
    x = np.asarray(x, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"x は 1 次元の配列である必要があります（shape={x.shape}）")
    if ax is None:
        _, ax = plt.subplots()
    for label, f in funcs.items():
        if not callable(f):
            raise TypeError(f"funcs['{label}'] が関数ではありません")
        ax.plot(x, f(x), label=label, linewidth=2)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if len(funcs) > 1:
        ax.legend()
    return ax


setup()


# ---------------------------------------------------------------- 第 9 章 決定領域

#: クラスごとの点の形（色だけに頼らない）
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]


def _points(x):
    """2 次元の点の配列 shape (N, 2) にする（数値でなければ TypeError）。"""
    x = as_float_array(x)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(f"x は shape (N, 2) の配列である必要があります（shape={x.shape}）")
    if not np.all(np.isfinite(x)):
        raise ValueError("x に nan か inf が含まれています")
    return x


def decision_grid(x, resolution=200, margin=0.1):
    """データ x の範囲を少し広げた格子点を作る。

    Parameters
    ----------
    x : array_like, shape (N, 2)
        2 次元のデータ（範囲を決めるためだけに使う）。
    resolution : int
        各軸の格子点の数（2 以上）。
    margin : float
        範囲の幅に対する、両側に足す余白の割合。

    Returns
    -------
    xx, yy : ndarray, shape (resolution, resolution)
        ``np.meshgrid`` の結果（xx が横軸 x1、yy が縦軸 x2）。
    """
    x = _points(x)
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)):
        raise TypeError(f"resolution は整数である必要があります（{resolution!r}）")
    if resolution < 2:
        raise ValueError(f"resolution は 2 以上である必要があります（{resolution}）")
    if not margin >= 0:
        raise ValueError(f"margin は 0 以上である必要があります（{margin}）")
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = (hi - lo) * margin + 1e-9
    g1 = np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution)
    g2 = np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution)
    return np.meshgrid(g1, g2)


def _to_labels(out, n_points, what="predict の戻り値"):
    """predict の出力（スコア (M, K) かラベル (M,)）をラベル (M,) にする。"""
    out = np.asarray(out)
    if out.ndim == 2 and out.shape[0] == n_points and out.shape[1] > 1:
        return out.argmax(axis=1)
    out = out.reshape(-1) if out.ndim == 2 and out.shape[1] == 1 else out
    if out.shape != (n_points,):
        raise ValueError(
            f"{what}の形 {out.shape} が違います（ラベル ({n_points},) かスコア ({n_points}, K)）"
        )
    if not np.issubdtype(out.dtype, np.integer) and not np.issubdtype(out.dtype, np.bool_):
        if not np.all(np.isfinite(out)) or not np.array_equal(out, np.round(out)):
            raise ValueError(f"{what}が整数のラベルではありません（1 次元ならラベルを返す）")
    return out.astype(np.int64)


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
    if not callable(predict):
        raise TypeError(f"predict は関数である必要があります（{type(predict).__name__}）")
    xx, yy = np.asarray(xx, dtype=float), np.asarray(yy, dtype=float)
    if xx.shape != yy.shape or xx.ndim != 2:
        raise ValueError(f"xx と yy は同じ形の 2 次元配列です（{xx.shape}, {yy.shape}）")
    points = np.column_stack([xx.ravel(), yy.ravel()])  # shape (R*C, 2)
    return _to_labels(predict(points), points.shape[0]).reshape(xx.shape)


def _labels_of(t):
    """ラベル shape (N,) か one-hot shape (N, K) の t を、整数のラベル shape (N,) にする。"""
    t = as_float_array(t, "t")
    if t.ndim == 2:
        return t.argmax(axis=1)
    if (
        t.ndim != 1
        or not np.all(np.isfinite(t))
        or not np.array_equal(t, np.round(t))
        or t.min() < 0
    ):
        raise ValueError(
            f"t は 0 以上の整数のラベル shape (N,) か one-hot shape (N, K) です（shape={t.shape}）"
        )
    return t.astype(np.int64)


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
    x = _points(x)
    labels = _labels_of(t)
    if labels.shape != (x.shape[0],):
        raise ValueError(f"x は (N, 2)、t は N 個のラベルです（{x.shape}, {np.shape(t)}）")
    n_classes = n_classes or int(labels.max()) + 1
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
    x = _points(x)
    labels = _labels_of(t)
    n_classes = n_classes or (np.shape(t)[1] if np.ndim(t) == 2 else int(labels.max()) + 1)
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
