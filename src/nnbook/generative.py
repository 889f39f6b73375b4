"""生成モデルの章（第 14 章）で使うデータと評価の道具（NumPy だけで書いています）。

- ``ring_centers`` / ``make_ring``：円周上に並んだ 8 つのガウス分布の混合（GAN の練習用の 2 次元データ）
- ``nearest_center`` / ``high_quality_share`` / ``mode_coverage``：生成した点が、どのモード
  （分布の山）の近くにあるか、いくつのモードを覆っているか
- ``nearest_neighbor_distance``：生成した画像にいちばん近い訓練画像までの距離（丸写しの確認）
- ``confident_share``：分類器が確信をもって分類した割合

TensorFlow は import しません。
"""

import numbers
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_ndim, positive_int, random_seed

__all__ = [
    "ring_centers",
    "make_ring",
    "nearest_center",
    "high_quality_share",
    "ModeCoverage",
    "mode_coverage",
    "nearest_neighbor_distance",
    "confident_share",
]


def _finite_array(x, name, ndim):
    """数値の有限な配列に変換し、次元の数を確かめる。"""
    arr = as_float_array(x, name)
    check_ndim(arr, ndim, name)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} に nan か inf が含まれています")
    return arr


def _positive_number(name, v):
    """v が正の有限な実数なら float を返す。"""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} は実数である必要があります（{v!r}）")
    if not np.isfinite(v) or v <= 0:
        raise ValueError(f"{name} は正の有限な数である必要があります（{v}）")
    return float(v)


def _unit_interval(name, v):
    """v が 0 以上 1 以下の実数なら float を返す。"""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise TypeError(f"{name} は実数である必要があります（{v!r}）")
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{name} は 0 以上 1 以下である必要があります（{v}）")
    return float(v)


def ring_centers(n_modes=8, radius=2.0):
    """円周上に等間隔に並んだ n_modes 個の中心（モード）の座標。

    k 番目の中心は角度 2πk / n_modes の点 (radius cos θ, radius sin θ) です。

    Parameters
    ----------
    n_modes : int
        モードの数（1 以上）。
    radius : float
        円の半径（正）。

    Returns
    -------
    ndarray, shape (n_modes, 2)
    """
    n_modes = positive_int("n_modes", n_modes)
    radius = _positive_number("radius", radius)
    theta = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.stack([np.cos(theta), np.sin(theta)], axis=1)


def make_ring(n_samples, n_modes=8, radius=2.0, std=0.05, seed=0):
    """円周上の n_modes 個のガウス分布を等しい割合で混ぜた分布から点を取り出す。

    各点は、モード k を等確率で選び、中心 ``ring_centers(n_modes, radius)[k]`` に
    標準偏差 std の正規分布の雑音を x・y それぞれに足したものです。

    Parameters
    ----------
    n_samples : int
        点の数 N（1 以上）。
    n_modes : int
        モードの数 K。
    radius : float
        円の半径。
    std : float
        各ガウス分布の標準偏差（正）。
    seed : int or numpy.random.Generator
        乱数の種（0 以上の整数）または乱数生成器。

    Returns
    -------
    x : ndarray, shape (N, 2)
        点の座標。
    labels : ndarray, shape (N,), int64
        どのモードから取り出したか（0〜K-1）。
    """
    n_samples = positive_int("n_samples", n_samples)
    std = _positive_number("std", std)
    centers = ring_centers(n_modes, radius)
    rng = np.random.default_rng(random_seed("seed", seed))
    labels = rng.integers(0, len(centers), size=n_samples)
    x = centers[labels] + std * rng.standard_normal((n_samples, 2))
    return x, labels


def nearest_center(samples, centers):
    """各点にいちばん近い中心と、そこまでのユークリッド距離。

    Parameters
    ----------
    samples : array_like, shape (N, 2)
        点（2 次元に限らず shape (N, D) でもよい）。
    centers : array_like, shape (K, 2)
        中心（samples と同じ D）。

    Returns
    -------
    distances : ndarray, shape (N,)
        いちばん近い中心までの距離。
    indices : ndarray, shape (N,), int64
        いちばん近い中心の番号（0〜K-1）。
    """
    samples = _finite_array(samples, "samples", (2,))
    centers = _finite_array(centers, "centers", (2,))
    if samples.shape[1] != centers.shape[1]:
        raise ValueError(
            f"samples の列の数 {samples.shape[1]} と centers の列の数 {centers.shape[1]} が違います"
        )
    d = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)  # (N, K)
    indices = d.argmin(axis=1)
    return d[np.arange(len(samples)), indices], indices


def high_quality_share(samples, centers, threshold):
    """いちばん近い中心までの距離が threshold 以下の点（質の高い点）の割合。

    Parameters
    ----------
    samples : array_like, shape (N, 2)
    centers : array_like, shape (K, 2)
    threshold : float
        質の高い点とみなす距離の上限（正。例えば各ガウス分布の標準偏差の 3 倍）。

    Returns
    -------
    float
        0 以上 1 以下。
    """
    threshold = _positive_number("threshold", threshold)
    distances, _ = nearest_center(samples, centers)
    return float(np.mean(distances <= threshold))


@dataclass
class ModeCoverage:
    """``mode_coverage`` の結果。

    Attributes
    ----------
    n_covered : int
        覆われたモードの数。
    n_modes : int
        モードの数 K。
    high_quality_share : float
        質の高い点の割合。
    counts : ndarray, shape (K,), int64
        モードごとの、質の高い点の数。
    covered : ndarray, shape (K,), bool
        モードごとに、覆われたかどうか。
    """

    n_covered: int
    n_modes: int
    high_quality_share: float
    counts: np.ndarray
    covered: np.ndarray


def mode_coverage(samples, centers, threshold, min_share=0.25):
    """生成した点がいくつのモードを覆っているかと、質の高い点の割合を数える。

    定義（この講座での約束）：

    - 点が **質の高い点** であるとは、いちばん近い中心までの距離が threshold 以下であること。
    - モード k が **覆われている** とは、モード k の近くにある質の高い点の数が
      min_share × N / K 以上であること（N は点の数、K はモードの数。N / K は、すべての
      モードを等しく作る生成器なら 1 つのモードに来る点の数）。

    Parameters
    ----------
    samples : array_like, shape (N, 2)
        生成した点。
    centers : array_like, shape (K, 2)
        モードの中心。
    threshold : float
        質の高い点とみなす距離の上限（正）。
    min_share : float
        覆われているとみなす割合（0 以上 1 以下。N / K に対する割合）。

    Returns
    -------
    ModeCoverage
    """
    threshold = _positive_number("threshold", threshold)
    min_share = _unit_interval("min_share", min_share)
    distances, indices = nearest_center(samples, centers)
    n_modes = len(np.asarray(centers))
    good = distances <= threshold
    counts = np.bincount(indices[good], minlength=n_modes)
    covered = counts >= min_share * len(distances) / n_modes
    return ModeCoverage(
        n_covered=int(covered.sum()),
        n_modes=n_modes,
        high_quality_share=float(good.mean()),
        counts=counts,
        covered=covered,
    )


def nearest_neighbor_distance(queries, references, batch_size=256):
    """各 query にいちばん近い reference（ユークリッド距離）と、その距離。

    画像は 1 枚を 1 行に並べ直して比べます（shape (M, 28, 28) なら (M, 784) として扱う）。
    メモリを使いすぎないように、queries を batch_size 個ずつ計算します。

    Parameters
    ----------
    queries : array_like, shape (M, ...)
        調べるもの（例えば生成した画像）。
    references : array_like, shape (R, ...)
        比べる相手（例えば訓練画像）。1 つ分の形は queries と同じ。
    batch_size : int
        一度に計算する queries の数。

    Returns
    -------
    distances : ndarray, shape (M,)
        いちばん近い reference までの距離。
    indices : ndarray, shape (M,), int64
        いちばん近い reference の番号。
    """
    q = as_float_array(queries, "queries")
    r = as_float_array(references, "references")
    if q.ndim < 2 or r.ndim < 2:
        raise ValueError(
            f"queries と references は (個数, ...) の 2 次元以上の配列です"
            f"（queries.shape={q.shape}, references.shape={r.shape}）"
        )
    if q.shape[1:] != r.shape[1:]:
        raise ValueError(
            f"queries の 1 つ分の形 {q.shape[1:]} と references の 1 つ分の形 {r.shape[1:]} が違います"
        )
    if not (np.all(np.isfinite(q)) and np.all(np.isfinite(r))):
        raise ValueError("queries か references に nan か inf が含まれています")
    batch_size = positive_int("batch_size", batch_size)
    q = q.reshape(len(q), -1).astype(np.float64)
    r = r.reshape(len(r), -1).astype(np.float64)
    r_sq = np.sum(r**2, axis=1)
    distances = np.empty(len(q))
    indices = np.empty(len(q), dtype=np.int64)
    for start in range(0, len(q), batch_size):
        qb = q[start : start + batch_size]
        # |q - r|^2 = |q|^2 - 2 q·r + |r|^2
        d2 = np.sum(qb**2, axis=1)[:, None] - 2 * qb @ r.T + r_sq[None, :]
        idx = d2.argmin(axis=1)
        indices[start : start + len(qb)] = idx
        distances[start : start + len(qb)] = np.sqrt(np.maximum(d2[np.arange(len(qb)), idx], 0.0))
    return distances, indices


def confident_share(proba, threshold=0.9):
    """分類器の確率の最大値が threshold 以上の行（確信をもって分類された入力）の割合。

    Parameters
    ----------
    proba : array_like, shape (N, C)
        各行がクラスの確率（0 以上 1 以下、行の和が 1）。
    threshold : float
        確信とみなす確率の下限（0 以上 1 以下）。

    Returns
    -------
    float
        0 以上 1 以下。
    """
    p = _finite_array(proba, "proba", (2,))
    threshold = _unit_interval("threshold", threshold)
    if p.min() < 0 or p.max() > 1 or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError("proba の各行は 0〜1 の確率で、和が 1 である必要があります")
    return float(np.mean(p.max(axis=1) >= threshold))
