"""第 III 部（第 11〜14 章）の演習のチェッカー：Keras（チェッカーは NumPy だけで確かめる）。"""

import numpy as np

from ._harness import (
    _array,
    _call,
    _close,
    _hint,
    _integer,
    _number,
    _Report,
    _require_callable,
    _same_array,
)

__all__ = [
    "mlp_param_count",
    "conv_output_size",
    "make_windows",
    "high_quality_share",
]

# ---------------------------------------------------------------- 第 11〜13 章 Keras（チェッカーは NumPy だけで確かめる）


# ---------------------------------------------------------------- 第 11 章 Keras で多層パーセプトロン


def mlp_param_count(func):
    """func(sizes) が全結合層だけのネットワークのパラメータ数を返すかを調べる。

    sizes は各層のニューロン数のリスト（入力層から出力層まで、例 ``[784, 512, 10]``）。
    層 a → b の全結合層は重み a × b 個とバイアス b 個を持つ。
    """
    _require_callable(func)
    report = _Report("パラメータ数 mlp_param_count(sizes)")
    cases = [[1, 20, 1], [784, 512, 10], [784, 50, 10], [2, 3], [4, 8, 8, 3]]
    for sizes in cases:
        expected = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
        out, _ = _call(report, func, list(sizes))
        if report.failed and out is None:
            break
        label = f"sizes = {sizes}"
        got = _integer(report, label, out)
        if got is None:
            continue
        if got == expected:
            report.ok(f"{label}: {got:,} 個で正しい値です")
            continue
        report.ng(f"{label}: {got:,} 個になりました")
        weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
        if got == weights:
            _hint(
                report,
                "重みだけを数えています。各層のバイアス（出力のニューロンと同じ数）も足します",
            )
        elif got == weights + sum(sizes):
            _hint(
                report, "入力層にもバイアスを数えています。バイアスを持つのは重みの先の層だけです"
            )
        elif got == sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:])):
            _hint(report, "バイアスの数を入力側で数えています。層 a → b のバイアスは b 個です")
    return report.finish()


# ---------------------------------------------------------------- 第 12 章 畳み込みニューラルネットワーク


def conv_output_size(func):
    """func(input_size, kernel_size, stride, padding) が畳み込みの出力の大きさを返すかを調べる。

    出力の大きさは (input_size + 2 × padding − kernel_size) // stride + 1。
    """
    _require_callable(func)
    report = _Report("出力の大きさ conv_output_size(input_size, kernel_size, stride, padding)")
    cases = [
        (28, 3, 1, 0),
        (28, 3, 1, 1),
        (13, 3, 1, 0),
        (26, 2, 2, 0),
        (11, 2, 2, 0),
        (7, 3, 2, 1),
    ]
    for H, K, S, P in cases:
        expected = (H + 2 * P - K) // S + 1
        out, _ = _call(report, func, H, K, S, P)
        if report.failed and out is None:
            break
        label = f"入力 {H}、フィルタ {K}、ストライド {S}、パディング {P}"
        got = _integer(report, label, out)
        if got is None:
            continue
        if got == expected:
            report.ok(f"{label} → {got}：正しい値です")
            continue
        report.ng(f"{label} → {got} になりました")
        if got == expected - 1:
            _hint(report, "1 少ないです。最初の位置の 1 個（+ 1）を数え忘れていませんか")
        elif got == (H - K) // S + 1:
            _hint(
                report,
                "パディングが入っていません。入力の両側に padding ずつ増えます（2 × padding）",
            )
        elif got == -(-(H + 2 * P - K) // S) + 1:
            _hint(report, "切り上げになっています。はみ出す位置には置けないので切り捨て（//）です")
    return report.finish()


# ---------------------------------------------------------------- 第 13 章 再帰型ニューラルネットワーク


def make_windows(func):
    """func(series, window) が「長さ window の窓 → 直後の値」の組を切り出すかを調べる。

    series は shape (L,)。戻り値は (x, y) で、x は shape (L - window, window, 1)、
    y は shape (L - window,)。i 番目は x[i, :, 0] = series[i : i + window]、y[i] = series[i + window]。
    """
    _require_callable(func)
    report = _Report("窓の切り出し make_windows(series, window)")
    series = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])
    window = 3
    M = len(series) - window
    expected_x = np.stack([series[i : i + window] for i in range(M)])[..., None]
    expected_y = series[window:]
    copy = series.copy()
    out, _ = _call(report, func, copy, window)
    if report.failed:
        return report.finish()
    if not isinstance(out, tuple) or len(out) != 2:
        report.ng("(x, y) の 2 つを return してください")
        return report.finish()
    x_out, y_out = out
    x = _array(x_out)  # ヒント用（配列にできなければ None）
    label = f"series = {series.tolist()}, window = {window} の x"
    if not _same_array(report, label, x_out, expected_x) and x is not None:
        if x.shape == (M, window):
            _hint(
                report,
                "x の形が (M, window) です。RNN の入力は (系列, 時刻, 特徴) なので x[..., None] を付けます",
            )
        elif x.shape[:1] == (M + 1,):
            _hint(
                report, "窓が 1 つ多いです。最後の窓の直後にも目標の値が必要です（M = L - window）"
            )
    if not _same_array(report, "目標 y（窓の直後の値）", y_out, expected_y):
        if _close(y_out, series[window - 1 : -1]):
            _hint(report, "y が窓の最後の値です。目標は窓の「次」の値（答えを入力に含めない）です")
    if not np.array_equal(copy, series):
        report.ng("series を書き換えています。新しい配列を返してください")
    return report.finish()


# ---------------------------------------------------------------- 第 14 章 生成モデル


def high_quality_share(func):
    """func(samples, centers, threshold) が「質の高い点」の割合を返すかを調べる。

    samples は shape (N, 2)、centers は shape (K, 2)。点がいちばん近い中心から
    threshold 以下の距離にあれば質の高い点で、その数の N に対する割合（0〜1 の小数）を返す。
    """
    _require_callable(func)
    report = _Report("質の高い点の割合 high_quality_share(samples, centers, threshold)")
    centers = np.array([[2.0, 0.0], [0.0, 2.0], [-2.0, 0.0], [0.0, -2.0]])
    samples = np.array(
        [
            [2.25, 0.0],  # 中心 0 から 0.25
            [0.0, 1.5],  # 中心 1 から 0.5
            [-2.0, 0.3],  # 中心 2 から 0.3
            [0.0, -2.0625],  # 中心 3 から 0.0625
            [1.0, 1.0],  # どの中心からも遠い
        ]
    )
    cases = [
        (samples, centers, 0.25),  # 0.25 ちょうどの点は境目
        (samples, centers, 0.5),  # 0.5 ちょうどの点は境目
        (samples[:2], centers, 0.01),
        (samples[[1, 3, 4]], centers[::-1], 0.15),
    ]
    for x, c, r in cases:
        d = np.linalg.norm(x[:, None, :] - c[None, :, :], axis=2)
        expected = float(np.mean(d.min(axis=1) <= r))
        x_in, c_in = x.copy(), c.copy()
        out, _ = _call(report, func, x_in, c_in, r)
        if report.failed and out is None:
            break
        label = f"点 {len(x)} 個、threshold = {r}"
        got = _number(report, label, out)
        if got is None:
            continue
        if np.isclose(got, expected, atol=1e-9):
            report.ok(f"{label}: {got:.2f} で正しい値です")
        else:
            report.ng(f"{label}: {got:.4g} になりました")
            d0 = np.linalg.norm(x - c[0], axis=1)
            if np.isclose(got, expected * len(x)):
                _hint(report, "個数を返しています。点の数 N で割って割合にします")
            elif np.isclose(got, np.mean(d.min(axis=1) < r)):
                _hint(report, "境目の点が入っていません。「threshold 以下」なので <= を使います")
            elif np.isclose(got, np.mean(d0 <= r)):
                _hint(report, "最初の中心までの距離だけを見ています。いちばん近い中心を選びます")
            elif np.isclose(got, np.mean(d.min(axis=1) ** 2 <= r)):
                _hint(
                    report, "距離の 2 乗と threshold を比べています。平方根を取った距離で比べます"
                )
            elif np.isclose(got, np.mean(d.max(axis=1) <= r)):
                _hint(report, "いちばん遠い中心までの距離を見ています。min を使います")
        if not (np.array_equal(x_in, x) and np.array_equal(c_in, c)):
            report.ng("samples か centers を書き換えています。入力は変えずに計算してください")
    return report.finish()
