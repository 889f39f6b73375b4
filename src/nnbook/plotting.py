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

__all__ = ["OKABE_ITO", "PALETTE", "setup", "plot_functions", "class_cmap"]

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
