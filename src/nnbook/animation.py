"""学習中の決定領域の変化をアニメーションにする。

学習と描画を分けています。

1. ``record_regions`` が、1 コマごとに学習を少し進める関数 ``step`` を呼び、
   そのときの決定領域（格子点のクラス）を記録する。モデルの種類は問わない
   （scikit-learn でも nnbook の TwoLayerNet でも、予測する関数 ``predict`` があればよい）。
2. ``animate_regions`` が、記録をコマ送りの ``FuncAnimation`` にする。
3. ``to_html_video`` が、H.264 の動画（ffmpeg が必要）を埋め込んだ HTML にする。
   ノートブックでもビルドしたサイトでも Colab でも再生でき、60 コマで数十 KB に収まる。

``animate_training`` は 1 と 2 を続けて呼ぶ近道です。

決定領域ではなく点の動き（例えば GAN の生成器が作る点）を見せるときは、
記録した点の座標を ``animate_points`` でアニメーションにします（動画にするのは同じ ``to_html_video``）。
"""

import base64
import inspect
import re
from dataclasses import dataclass, field
from html import escape

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import Animation, FuncAnimation, writers

from ._validation import (
    boolean,
    check_ndim,
    finite_array,
    function,
    integer,
    keywords,
    number_tuple,
    positive_int,
)
from ._validation import text as _text
from .plotting import (
    OKABE_ITO,
    _grid,
    _labels_of,
    _n_classes,
    _points,
    decision_grid,
    draw_regions,
    predict_grid,
    scatter_classes,
)

__all__ = [
    "RegionHistory",
    "record_regions",
    "animate_regions",
    "animate_training",
    "animate_points",
    "to_html_video",
    "video_frame_count",
]


@dataclass
class RegionHistory:
    """学習中の決定領域の記録。

    Attributes
    ----------
    xx, yy : ndarray, shape (R, R)
        格子点。
    frames : list of ndarray, 各 shape (R, R), int64
        コマごとの格子点のクラス。
    titles : list of str
        コマごとの見出し。
    """

    xx: np.ndarray
    yy: np.ndarray
    frames: list = field(default_factory=list)
    titles: list = field(default_factory=list)

    def __post_init__(self):
        self.xx, self.yy = _grid(self.xx, self.yy)
        for name in ("frames", "titles"):
            value = getattr(self, name)
            if not isinstance(value, list):
                raise TypeError(
                    f"{name} はコマごとの記録の list です（{type(value).__name__} の {value!r}）"
                )


def record_regions(
    step, predict, x, n_frames, resolution=100, margin=0.1, initial=True, first_title="学習前"
):
    """学習を少しずつ進め、コマごとの決定領域を記録する。

    ``initial=True`` なら 1 コマ目は学習前の状態で、2 コマ目からは ``step(i)`` を 1 回
    呼んでから記録します（``step`` は n_frames - 1 回呼ばれる）。学習前には予測できない
    モデル（scikit-learn など）では ``initial=False`` にすると、どのコマも ``step(i)`` の後に
    記録します（``step`` は n_frames 回呼ばれる）。

    Parameters
    ----------
    step : callable
        ``step(i)``（i = 1, 2, …）で学習を少し進める関数。戻り値の文字列
        （例: "エポック 10 / 損失 0.52"）をそのコマの見出しにする（None なら "i 回目"）。
    predict : callable
        shape (M, 2) の点 → ラベル shape (M,) かスコア shape (M, K)。
    x : array_like, shape (N, 2)
        描く範囲を決めるデータ。
    n_frames : int
        コマの数（1 以上）。
    resolution : int
        格子の各軸の点の数。
    margin : float
        データの範囲の外に取る余白の割合。
    initial : bool
        学習前の状態を 1 コマ目にするか。
    first_title : str
        学習前のコマの見出し（``initial=True`` のとき）。

    Returns
    -------
    RegionHistory
    """
    function("step", step)
    function("predict", predict)
    n_frames = positive_int("n_frames", n_frames)
    initial = boolean("initial", initial)
    _text("first_title", first_title)
    xx, yy = decision_grid(x, resolution, margin)
    history = RegionHistory(xx, yy)
    for frame in range(n_frames):
        i = frame if initial else frame + 1  # それまでに step を呼んだ回数
        title = first_title
        if i > 0:
            info = step(i)
            title = f"{i} 回目" if info is None else str(info)
        history.frames.append(predict_grid(predict, xx, yy).astype(np.int64))
        history.titles.append(title)
    return history


def _figure_args(figsize, dpi, title):
    """アニメーションの図の大きさ・解像度・見出しを調べる（animate_regions・animate_points 共通）。"""
    figsize = number_tuple("figsize", figsize, 2, "(幅, 高さ)", positive=True)
    dpi = integer("dpi", dpi, minimum=10, maximum=600)
    _text("title", title)
    return figsize, dpi


def animate_regions(history, x, t, n_classes=None, interval=100, figsize=(4, 3), dpi=80, title=""):
    """記録した決定領域をコマ送りのアニメーションにする。

    図はすぐに閉じるので、セルの最後に静止画が余分に表示されることはありません
    （閉じた図でも動画には書き出せる）。

    Parameters
    ----------
    history : RegionHistory
        ``record_regions`` の結果。
    x : array_like, shape (N, 2)
        重ねて描くデータ点。
    t : array_like, shape (N,)（ラベル）または shape (N, K)（one-hot）
    n_classes : int, optional
        クラス数（省略すると t から決める）。
    interval : int
        コマの間隔（ミリ秒）。
    figsize, dpi :
        図の大きさ（既定の 4×3 インチ・80 dpi で 320×240 画素）。
    title : str
        各コマの見出しの前に付ける文字列（例: "MLP（隠れ層 5）: "）。

    Returns
    -------
    matplotlib.animation.FuncAnimation
        コマの数は ``len(history.frames)``。
    """
    if not isinstance(history, RegionHistory) or not history.frames:
        raise ValueError("history は record_regions が返した、1 コマ以上の記録です")
    interval = positive_int("interval", interval)
    x = _points(x)
    labels = _labels_of(t)
    if labels.shape != (x.shape[0],):
        raise ValueError(f"x は (N, 2)、t は N 個のラベルです（{x.shape}, {np.shape(t)}）")
    n_classes = _n_classes(n_classes, labels, t)
    figsize, dpi = _figure_args(figsize, dpi, title)
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi, layout="constrained")
    image = draw_regions(ax, history.frames[0], history.xx, history.yy, n_classes)
    scatter_classes(ax, x, labels, n_classes, s=10, legend=False)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    text = ax.set_title(title + history.titles[0], fontsize=10)

    def update(i):
        image.set_data(history.frames[i])
        text.set_text(title + history.titles[i])
        return image, text

    anim = FuncAnimation(fig, update, frames=len(history.frames), interval=interval, blit=False)
    plt.close(fig)
    return anim


#: animate_training が animate_regions に渡せる引数
_ANIMATE_KEYWORDS = [
    name
    for name, p in inspect.signature(animate_regions).parameters.items()
    if p.default is not inspect.Parameter.empty
]


def animate_training(
    step, predict, x, t, n_frames, resolution=100, margin=0.1, initial=True, **kwargs
):
    """``record_regions`` と ``animate_regions`` を続けて呼ぶ。

    Parameters
    ----------
    step, predict, x, n_frames, resolution, margin, initial :
        ``record_regions`` と同じ。
    t : array_like, shape (N,) または (N, K)
        重ねて描く点のラベル。
    **kwargs :
        ``animate_regions`` に渡す（``interval``, ``title`` など）。

    Returns
    -------
    anim : matplotlib.animation.FuncAnimation
    history : RegionHistory
    """
    # 時間のかかる記録の前に、animate_regions に渡す引数の名前を調べる
    keywords("animate_training", kwargs, _ANIMATE_KEYWORDS)
    history = record_regions(
        step, predict, x, n_frames, resolution=resolution, margin=margin, initial=initial
    )
    return animate_regions(history, x, t, **kwargs), history


def animate_points(
    frames, titles, reference=None, limits=None, interval=150, figsize=(4, 4), dpi=80, title=""
):
    """記録した点の座標の列を、コマ送りの散布図のアニメーションにする。

    ``reference``（例えば本物のデータ）は薄い灰色で全部のコマに描き、その上に各コマの点を描きます。
    図はすぐに閉じるので、セルの最後に静止画が余分に表示されることはありません。

    Parameters
    ----------
    frames : sequence of array_like, 各 shape (M, 2)
        コマごとの点（コマによって点の数が違ってもよい）。1 コマ以上。
    titles : sequence of str
        コマごとの見出し（frames と同じ数）。
    reference : array_like, shape (R, 2), optional
        全部のコマに背景として描く点。
    limits : tuple of float, optional
        (xmin, xmax, ymin, ymax)。省略すると reference（なければ最初のコマ）の範囲に余白を付ける。
    interval : int
        コマの間隔（ミリ秒）。
    figsize, dpi :
        図の大きさ（既定の 4×4 インチ・80 dpi で 320×320 画素）。
    title : str
        各コマの見出しの前に付ける文字列。

    Returns
    -------
    matplotlib.animation.FuncAnimation
        コマの数は ``len(frames)``。
    """
    if isinstance(frames, np.ndarray) and frames.ndim == 2:
        raise ValueError(
            "frames はコマごとの点の配列の列（list）です。1 コマでも [points] と渡します"
        )
    if isinstance(frames, (str, bytes)) or not hasattr(frames, "__iter__"):
        raise TypeError(
            f"frames はコマごとの点の配列の列（list）です（{type(frames).__name__} の {frames!r}）"
        )
    points = []
    for i, f in enumerate(frames):
        arr = finite_array(f, f"frames[{i}]")
        check_ndim(arr, (2,), f"frames[{i}]")
        if arr.shape[1] != 2:
            raise ValueError(f"frames[{i}] の形は (M, 2) である必要があります（shape={arr.shape}）")
        points.append(arr)
    if not points:
        raise ValueError("frames が空です（1 コマ以上必要です）")
    titles = [str(t) for t in titles]
    if len(titles) != len(points):
        raise ValueError(f"titles の数 {len(titles)} が frames の数 {len(points)} と違います")
    interval = positive_int("interval", interval)
    figsize, dpi = _figure_args(figsize, dpi, title)
    base = points[0]
    if reference is not None:
        base = finite_array(reference, "reference", ndim=2)
        if base.shape[1] != 2:
            raise ValueError(f"reference の形は (R, 2) である必要があります（shape={base.shape}）")
    if limits is not None:
        limits = number_tuple("limits", limits, 4, "(xmin, xmax, ymin, ymax)")
        if not (limits[0] < limits[1] and limits[2] < limits[3]):
            raise ValueError(
                f"limits は xmin < xmax、ymin < ymax の (xmin, xmax, ymin, ymax) です（{limits}）"
            )
    else:
        lo, hi = base.min(axis=0), base.max(axis=0)
        pad = 0.15 * (hi - lo).max() + 1e-9
        limits = (lo[0] - pad, hi[0] + pad, lo[1] - pad, hi[1] + pad)
    fig, ax = plt.subplots(figsize=figsize, dpi=dpi, layout="constrained")
    if reference is not None:
        ax.scatter(base[:, 0], base[:, 1], s=4, color="#BBBBBB", label="本物のデータ")
    scat = ax.scatter(points[0][:, 0], points[0][:, 1], s=4, color=OKABE_ITO["vermillion"])
    ax.set(xlim=limits[:2], ylim=limits[2:], aspect="equal")
    ax.set_xticks([])
    ax.set_yticks([])
    text = ax.set_title(title + titles[0], fontsize=10)

    def update(i):
        scat.set_offsets(points[i])
        text.set_text(title + titles[i])
        return scat, text

    anim = FuncAnimation(fig, update, frames=len(points), interval=interval, blit=False)
    plt.close(fig)
    return anim


def to_html_video(anim, description):
    """アニメーションを H.264 の動画にして、説明付きの HTML を返す。

    動画は base64 で HTML に埋め込まれるので、ノートブックでも Jupyter Book のサイトでも
    Colab でも、ファイルを別に置かずに再生できます。自動再生はせず、再生ボタンで始めます。

    Parameters
    ----------
    anim : matplotlib.animation.Animation
    description : str
        動画の内容の説明（``<video>`` の aria-label と title になる）。

    Returns
    -------
    IPython.display.HTML
        ノートブックで表示すると動画が再生できる。中身の文字列は ``.data``。
    """
    from IPython.display import HTML

    if not isinstance(anim, Animation):
        raise TypeError(f"anim は matplotlib のアニメーションです（{type(anim).__name__}）")
    if not isinstance(description, str) or not description.strip():
        raise ValueError("description には動画の内容を説明する文を渡してください")
    if not writers.is_available("ffmpeg") and _in_browser():
        return _to_jshtml(anim, description)
    if not writers.is_available("ffmpeg"):
        raise RuntimeError(
            "動画を作るには ffmpeg が必要です（Debian/Ubuntu: sudo apt-get install ffmpeg。"
            "Colab には入っています）"
        )
    html = anim.to_html5_video()
    label = escape(" ".join(description.split()), quote=True)
    html = re.sub(
        r"<video ([^>]*?)controls autoplay loop>",
        rf'<video \1controls loop muted playsinline aria-label="{label}" title="{label}">',
        html,
        count=1,
    )
    html = html.replace(
        "Your browser does not support the video tag.", "このブラウザーでは動画を再生できません。"
    )
    return HTML(html)


def video_frame_count(html):
    """``to_html_video`` の HTML に埋め込まれた MP4 のコマ数を数える。

    MP4 の ``stsz`` ボックス（コマごとの大きさの表）に書かれたコマの数を読みます。

    Parameters
    ----------
    html : str or IPython.display.HTML

    Returns
    -------
    int
    """
    text = getattr(html, "data", html)
    if not isinstance(text, str):
        raise TypeError(f"html は文字列か IPython.display.HTML です（{type(html).__name__}）")
    match = re.search(r'src="data:video/mp4;base64,([^"]+)"', text)
    if match is None and _JSHTML_FRAME.search(text):
        return _jshtml_frame_count(text)
    if match is None:
        raise ValueError("html に base64 の MP4 動画（data:video/mp4）がありません")
    try:
        # matplotlib は base64 を改行で区切る
        data = base64.b64decode("".join(match.group(1).split()), validate=True)
    except ValueError as exc:  # binascii.Error（壊れた base64）と ASCII でない文字
        raise ValueError(f"html の MP4 動画の base64 が壊れています（{exc}）") from None
    i = data.find(b"stsz")
    if i < 4:
        raise ValueError("html の MP4 動画に stsz ボックス（コマの大きさの表）がありません")
    # ボックス: 大きさ (4 バイト), "stsz", version/flags (4), sample_size (4), sample_count (4),
    # sample_size が 0 ならコマごとの大きさ (4 × sample_count)
    size = int.from_bytes(data[i - 4 : i], "big")
    count = int.from_bytes(data[i + 12 : i + 16], "big")
    sample_size = int.from_bytes(data[i + 8 : i + 12], "big")
    want = 20 + (4 * count if sample_size == 0 else 0)
    if i + 16 > len(data) or i - 4 + size > len(data) or size < want:
        raise ValueError(
            "html の MP4 動画が途中で切れています（stsz ボックスが最後まで入っていません）"
        )
    return count


# ---- ブラウザの中の Python（JupyterLite の Pyodide）：ffmpeg がないのでコマ送りの JavaScript にする ----

#: to_jshtml がコマの画像を書く行（frames[0] = "data:image/png;base64,..."）
_JSHTML_FRAME = re.compile(r'frames\[(\d+)\] = "data:image/')


def _in_browser():
    """ブラウザの中の Python（Pyodide。``sys.platform == "emscripten"``）で動いているか。"""
    import sys

    return sys.platform == "emscripten"


def _to_jshtml(anim, description):
    """ffmpeg のないブラウザ用：matplotlib の JavaScript のプレーヤー（PNG のコマ）にする。"""
    from IPython.display import HTML

    label = escape(" ".join(description.split()), quote=True)
    html = anim.to_jshtml(default_mode="loop")
    return HTML(f'<div role="group" aria-label="{label}" title="{label}">{html}</div>')


def _jshtml_frame_count(text):
    """``to_jshtml`` の HTML に埋め込まれたコマの数。"""
    return len({int(i) for i in _JSHTML_FRAME.findall(text)})
