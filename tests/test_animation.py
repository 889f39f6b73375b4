import base64

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import animation  # noqa: E402


def _discard(anim):
    """描画せずに捨てる（matplotlib の「描画されなかった」という注意はここでは意図どおり）。"""
    anim._draw_was_started = True


X = np.array([[-1.0, -1.0], [1.0, 1.0], [-1.0, 1.0], [1.0, -1.0]])
T = np.array([0, 1, 1, 0])


class _Threshold:
    """x1 > c ならクラス 1。step で c を動かす（学習の代わり）。"""

    def __init__(self):
        self.c = -2.0

    def step(self, i):
        self.c += 1.0
        return f"c = {self.c:.1f}"

    def predict(self, points):
        return (points[:, 0] > self.c).astype(int)


def test_record_regions_calls_step_between_frames():
    model = _Threshold()
    history = animation.record_regions(model.step, model.predict, X, n_frames=4, resolution=9)
    assert len(history.frames) == 4
    assert history.titles == ["学習前", "c = -1.0", "c = 0.0", "c = 1.0"]
    assert history.frames[0].shape == (9, 9)
    # 境界が右へ動くので、クラス 1 の格子点は減っていく
    counts = [int(f.sum()) for f in history.frames]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


def test_without_initial_frame_every_frame_follows_a_step():
    calls = []

    def predict(points):
        if not calls:
            raise RuntimeError("学習前には予測できないモデル")
        return np.zeros(len(points), dtype=int)

    history = animation.record_regions(calls.append, predict, X, n_frames=3, initial=False)
    assert calls == [1, 2, 3]
    assert history.titles == ["1 回目", "2 回目", "3 回目"]


def test_step_returning_none_gives_numbered_titles():
    history = animation.record_regions(lambda i: None, lambda p: np.zeros(len(p), int), X, 3)
    assert history.titles == ["学習前", "1 回目", "2 回目"]


def test_animate_regions_has_one_frame_per_record_and_closes_its_figure():
    model = _Threshold()
    history = animation.record_regions(model.step, model.predict, X, n_frames=3, resolution=8)
    before = plt.get_fignums()
    anim = animation.animate_regions(history, X, T, title="テスト: ")
    assert plt.get_fignums() == before
    frames = list(anim.new_frame_seq())
    _discard(anim)
    assert frames == [0, 1, 2]


def test_html_video_plays_and_has_every_frame():
    model = _Threshold()
    anim, history = animation.animate_training(
        model.step, model.predict, X, T, n_frames=5, resolution=20
    )
    video = animation.to_html_video(anim, "境界が右へ動く動画")
    assert '<source type="video/mp4" src="data:video/mp4;base64,' in video.data
    assert 'aria-label="境界が右へ動く動画"' in video.data
    assert "autoplay" not in video.data
    assert animation.video_frame_count(video) == len(history.frames) == 5
    assert len(video.data) < 100_000


def test_to_html_video_needs_a_description():
    model = _Threshold()
    anim, _ = animation.animate_training(model.step, model.predict, X, T, 2, resolution=5)
    _discard(anim)
    with pytest.raises(ValueError, match="説明"):
        animation.to_html_video(anim, "  ")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((3, lambda p: p, X, 2), TypeError),
        ((lambda i: None, lambda p: np.zeros(len(p), int), X, 0), ValueError),
        ((lambda i: None, lambda p: np.zeros(len(p), int), X, 2.0), TypeError),
        ((lambda i: None, lambda p: np.zeros(len(p), int), np.ones(4), 2), ValueError),
    ],
)
def test_record_regions_rejects_bad_input(args, error):
    with pytest.raises(error):
        animation.record_regions(*args)


def test_animate_regions_rejects_empty_history():
    with pytest.raises(ValueError, match="record_regions"):
        animation.animate_regions(animation.RegionHistory(np.zeros((2, 2)), np.zeros((2, 2))), X, T)


@pytest.mark.parametrize(("html", "error"), [(3, TypeError), ("<video></video>", ValueError)])
def test_video_frame_count_rejects_html_without_video(html, error):
    with pytest.raises(error):
        animation.video_frame_count(html)


def _with_video_bytes(video, change):
    """to_html_video の HTML の MP4 のバイト列を change(bytes) に置き換えた HTML。"""
    head, rest = video.data.split("base64,", 1)
    encoded, tail = rest.split('"', 1)
    data = change(base64.b64decode("".join(encoded.split())))
    return f'{head}base64,{base64.b64encode(data).decode()}"{tail}'


def test_video_frame_count_rejects_a_truncated_video_and_broken_base64():
    model = _Threshold()
    anim, _ = animation.animate_training(model.step, model.predict, X, T, 3, resolution=10)
    video = animation.to_html_video(anim, "境界が右へ動く動画")
    assert animation.video_frame_count(video) == 3
    # stsz の見出しの途中で切れた動画（以前は 0 コマと答えていた）
    cut = _with_video_bytes(video, lambda d: d[: d.find(b"stsz") + 10])
    with pytest.raises(ValueError, match="html の MP4 動画が途中で切れています"):
        animation.video_frame_count(cut)
    with pytest.raises(ValueError, match="html の MP4 動画の base64 が壊れています"):
        animation.video_frame_count(video.data.replace("base64,", "base64,@@", 1))


def test_record_regions_keeps_labels_that_do_not_fit_in_int8():
    history = animation.record_regions(
        lambda i: None, lambda p: np.full(len(p), 300), X, 1, resolution=4
    )
    assert np.all(history.frames[0] == 300)  # int8 では 44 になっていた


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((None, None), TypeError, "xx は数値の配列"),
        ((np.zeros((2, 2)), np.zeros((3, 2))), ValueError, "xx と yy"),
        ((np.zeros((2, 2)), np.zeros((2, 2)), "frames"), TypeError, "frames は"),
    ],
)
def test_region_history_rejects_what_is_not_a_grid(args, error, match):
    with pytest.raises(error, match=match):
        animation.RegionHistory(*args)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"limits": "abcd"}, TypeError, "limits は"),
        ({"limits": (0,)}, ValueError, "limits は"),
        ({"limits": (1, 0, 0, 1)}, ValueError, "xmin < xmax"),
        ({"dpi": 0}, ValueError, "dpi は 10 以上"),
        ({"figsize": "4x4"}, TypeError, "figsize は"),
        ({"title": 3}, TypeError, "title は文字列"),
        ({"frames": [np.array([[0.0, np.nan]])]}, ValueError, r"frames\[0\] には有限の値"),
        ({"frames": [np.zeros((2, 2)), np.array([[np.inf, 0.0]])]}, ValueError, r"frames\[1\]"),
    ],
)
def test_animate_points_rejects_bad_input_by_name(kwargs, error, match):
    args = {"frames": [np.zeros((2, 2)), np.ones((2, 2))], "titles": ["a", "b"]}
    args.update(kwargs)
    args["titles"] = ["a"] * len(args["frames"])
    with pytest.raises(error, match=match):
        animation.animate_points(**args)


def test_animate_training_names_an_unknown_keyword_before_recording():
    calls = []
    with pytest.raises(TypeError, match="animate_training に知らない引数 fps が渡されました"):
        animation.animate_training(calls.append, lambda p: np.zeros(len(p), int), X, T, 3, fps=10)
    assert calls == []
