"""nnbook.generative（第 14 章）：リングのデータ、モードの被覆、最近傍の距離、確信の割合。"""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook import animation, generative  # noqa: E402

# ---------------------------------------------------------------- ring_centers / make_ring


def test_ring_centers_known_values():
    c = generative.ring_centers(4, radius=2.0)
    np.testing.assert_allclose(c, [[2, 0], [0, 2], [-2, 0], [0, -2]], atol=1e-12)
    c8 = generative.ring_centers()
    assert c8.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(c8, axis=1), 2.0)
    np.testing.assert_allclose(c8[1], [np.sqrt(2), np.sqrt(2)])


def test_make_ring_shapes_labels_and_spread():
    x, labels = generative.make_ring(4000, n_modes=8, radius=2.0, std=0.05, seed=0)
    assert x.shape == (4000, 2) and labels.shape == (4000,)
    assert set(np.unique(labels)) == set(range(8))
    counts = np.bincount(labels)
    assert counts.min() > 400 and counts.max() < 600, "モードはほぼ等しい割合で選ばれる"
    offsets = x - generative.ring_centers(8, 2.0)[labels]
    assert abs(offsets.std() - 0.05) < 0.003, "中心からのずれの標準偏差は std"
    assert abs(offsets.mean()) < 0.005


def test_make_ring_is_reproducible_and_accepts_a_generator():
    a, _ = generative.make_ring(10, seed=3)
    b, _ = generative.make_ring(10, seed=3)
    c, _ = generative.make_ring(10, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    d, _ = generative.make_ring(10, seed=np.random.default_rng(3))
    np.testing.assert_array_equal(a, d)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"n_samples": 0}, ValueError, "n_samples"),
        ({"n_samples": 2.5}, TypeError, "n_samples"),
        ({"n_samples": True}, TypeError, "n_samples"),
        ({"n_samples": 5, "n_modes": 0}, ValueError, "n_modes"),
        ({"n_samples": 5, "radius": -1.0}, ValueError, "radius"),
        ({"n_samples": 5, "radius": np.inf}, ValueError, "radius"),
        ({"n_samples": 5, "std": 0.0}, ValueError, "std"),
        ({"n_samples": 5, "std": "0.1"}, TypeError, "std"),
        ({"n_samples": 5, "seed": 1.5}, TypeError, "seed"),
    ],
)
def test_make_ring_rejects_bad_input(kwargs, error, name):
    with pytest.raises(error, match=name):
        generative.make_ring(**kwargs)


# ---------------------------------------------------------------- nearest_center / mode_coverage

CENTERS = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])


def test_nearest_center_known_values():
    samples = np.array([[1.0, 0.0], [9.0, 0.0], [0.0, 13.0], [6.0, 1.0]])
    d, idx = generative.nearest_center(samples, CENTERS)
    np.testing.assert_allclose(d, [1.0, 1.0, 3.0, np.hypot(4, 1)])
    assert idx.tolist() == [0, 1, 2, 1]


def test_high_quality_share_counts_the_boundary_as_inside():
    samples = np.array([[0.5, 0.0], [10.0, 0.5], [5.0, 5.0], [0.0, 10.0]])
    # 距離 0.5, 0.5, 7.07, 0 → 0.5 以下は 3 個
    assert generative.high_quality_share(samples, CENTERS, 0.5) == 0.75
    assert generative.high_quality_share(samples, CENTERS, 0.49) == 0.25


def test_mode_coverage_known_values():
    # モード 0 に 6 点、モード 1 に 1 点、どのモードからも遠い点 1 個、モード 2 は 0 点
    samples = np.array([[0.0, 0.1]] * 6 + [[10.0, 0.0], [5.0, 5.0]])
    cov = generative.mode_coverage(samples, CENTERS, threshold=0.5, min_share=0.25)
    assert cov.counts.tolist() == [6, 1, 0]
    assert cov.high_quality_share == 7 / 8
    # 覆われている条件: 0.25 × 8 / 3 = 0.67 点以上 → モード 0 と 1
    assert cov.covered.tolist() == [True, True, False] and cov.n_covered == 2
    strict = generative.mode_coverage(samples, CENTERS, threshold=0.5, min_share=1.0)
    assert strict.covered.tolist() == [True, False, False], "8 / 3 = 2.67 点以上が必要"
    assert cov.n_modes == 3


def test_mode_coverage_sees_collapse_on_the_ring():
    centers = generative.ring_centers()
    x, labels = generative.make_ring(2000, std=0.05, seed=1)
    full = generative.mode_coverage(x, centers, threshold=0.15)
    assert full.n_covered == 8 and full.high_quality_share > 0.98
    collapsed = generative.mode_coverage(x[labels < 3], centers, threshold=0.15)
    assert collapsed.n_covered == 3, "3 つのモードしか作らない生成器は 3 つしか覆わない"


@pytest.mark.parametrize(
    ("samples", "centers", "error", "name"),
    [
        (np.zeros(4), CENTERS, ValueError, "samples"),
        (np.zeros((2, 3)), CENTERS, ValueError, "列の数"),
        ([[0.0, np.nan]], CENTERS, ValueError, "samples"),
        ([["a", "b"]], CENTERS, TypeError, "samples"),
        (np.zeros((2, 2)), np.zeros((0, 2)), ValueError, "centers"),
        (np.zeros((2, 2)), [[np.inf, 0.0]], ValueError, "centers"),
    ],
)
def test_nearest_center_rejects_bad_input(samples, centers, error, name):
    with pytest.raises(error, match=name):
        generative.nearest_center(samples, centers)


def test_coverage_rejects_bad_threshold_and_share():
    with pytest.raises(ValueError, match="threshold"):
        generative.mode_coverage(CENTERS, CENTERS, threshold=0.0)
    with pytest.raises(TypeError, match="threshold"):
        generative.high_quality_share(CENTERS, CENTERS, threshold=None)
    with pytest.raises(ValueError, match="min_share"):
        generative.mode_coverage(CENTERS, CENTERS, threshold=1.0, min_share=1.5)
    with pytest.raises(TypeError, match="min_share"):
        generative.mode_coverage(CENTERS, CENTERS, threshold=1.0, min_share=True)


# ---------------------------------------------------------------- nearest_neighbor_distance


def test_nearest_neighbor_distance_known_values_and_batches():
    refs = np.array([[[0.0, 0.0]], [[3.0, 4.0]], [[10.0, 0.0]]])  # 1 つ分の形 (1, 2)
    queries = np.array([[[0.0, 1.0]], [[3.0, 4.0]], [[9.0, 0.0]], [[6.0, 8.0]]])
    for batch_size in (1, 3, 256):
        d, idx = generative.nearest_neighbor_distance(queries, refs, batch_size=batch_size)
        np.testing.assert_allclose(d, [1.0, 0.0, 1.0, 5.0], atol=1e-7)
        assert idx.tolist() == [0, 1, 2, 1]


def test_nearest_neighbor_distance_matches_brute_force():
    rng = np.random.default_rng(0)
    q, r = rng.uniform(size=(7, 4, 4)), rng.uniform(size=(30, 4, 4))
    d, idx = generative.nearest_neighbor_distance(q, r, batch_size=2)
    brute = np.linalg.norm(q.reshape(7, 1, 16) - r.reshape(1, 30, 16), axis=2)
    np.testing.assert_allclose(d, brute.min(axis=1))
    assert idx.tolist() == brute.argmin(axis=1).tolist()


def test_a_copied_image_has_distance_zero():
    rng = np.random.default_rng(1)
    train = rng.uniform(size=(50, 28, 28)).astype(np.float32)
    d, idx = generative.nearest_neighbor_distance(train[[7, 20]], train)
    np.testing.assert_allclose(d, 0.0, atol=1e-3)
    assert idx.tolist() == [7, 20]


@pytest.mark.parametrize(
    ("queries", "references", "kwargs", "error", "name"),
    [
        (np.zeros(3), np.zeros((2, 3)), {}, ValueError, "queries"),
        (np.zeros((2, 3)), np.zeros((2, 4)), {}, ValueError, "形"),
        (np.full((2, 3), np.nan), np.zeros((2, 3)), {}, ValueError, "nan"),
        (np.zeros((2, 3)), np.zeros((2, 3)), {"batch_size": 0}, ValueError, "batch_size"),
        ("abc", np.zeros((2, 3)), {}, TypeError, "queries"),
    ],
)
def test_nearest_neighbor_distance_rejects_bad_input(queries, references, kwargs, error, name):
    with pytest.raises(error, match=name):
        generative.nearest_neighbor_distance(queries, references, **kwargs)


# ---------------------------------------------------------------- confident_share


def test_confident_share_known_values():
    proba = np.array([[0.95, 0.05], [0.5, 0.5], [0.1, 0.9], [0.3, 0.7]])
    assert generative.confident_share(proba, 0.9) == 0.5, "0.9 ちょうども確信に数える"
    assert generative.confident_share(proba, 0.5) == 1.0
    assert generative.confident_share(proba, 0.96) == 0.0


@pytest.mark.parametrize(
    ("proba", "threshold", "error", "name"),
    [
        (np.array([0.5, 0.5]), 0.9, ValueError, "proba"),
        (np.array([[0.5, 0.6]]), 0.9, ValueError, "proba"),
        (np.array([[1.5, -0.5]]), 0.9, ValueError, "proba"),
        (np.array([[np.nan, 1.0]]), 0.9, ValueError, "proba"),
        (np.array([[0.5, 0.5]]), 1.2, ValueError, "threshold"),
        (np.array([[0.5, 0.5]]), "0.9", TypeError, "threshold"),
    ],
)
def test_confident_share_rejects_bad_input(proba, threshold, error, name):
    with pytest.raises(error, match=name):
        generative.confident_share(proba, threshold)


# ---------------------------------------------------------------- animation.animate_points


def _discard(anim):
    anim._draw_was_started = True


def test_animate_points_has_one_frame_per_record_and_moves_the_points():
    import matplotlib.pyplot as plt

    x, _ = generative.make_ring(100, seed=0)
    frames = [np.zeros((20, 2)), np.ones((20, 2)), x[:30]]
    before = plt.get_fignums()
    anim = animation.animate_points(frames, ["a", "b", "c"], reference=x, title="GAN: ")
    assert plt.get_fignums() == before, "図はすぐ閉じる"
    assert list(anim.new_frame_seq()) == [0, 1, 2]
    scat, text = anim._func(2)
    np.testing.assert_allclose(scat.get_offsets(), x[:30])
    assert text.get_text() == "GAN: c"
    _discard(anim)


def test_animate_points_video_has_every_frame():
    x, _ = generative.make_ring(50, seed=0)
    anim = animation.animate_points([x, x * 0.5, x * 0.2, x * 0.1], list("abcd"), reference=x)
    video = animation.to_html_video(anim, "点が中心へ縮む動画")
    assert animation.video_frame_count(video) == 4


@pytest.mark.parametrize(
    ("frames", "titles", "match"),
    [
        ([], [], "空"),
        ([np.zeros((3, 2))], ["a", "b"], "titles"),
        ([np.zeros((3, 3))], ["a"], r"frames\[0\]"),
        (np.zeros((3, 2)), ["a"], "list"),
    ],
)
def test_animate_points_rejects_bad_input(frames, titles, match):
    with pytest.raises(ValueError, match=match):
        animation.animate_points(frames, titles)


@pytest.mark.parametrize(("seed", "error"), [(-1, ValueError), (1.5, TypeError), ("0", TypeError)])
def test_make_ring_checks_the_seed_like_every_other_function(seed, error):
    with pytest.raises(error, match="seed は"):
        generative.make_ring(10, seed=seed)
