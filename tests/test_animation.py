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
