"""第 I 部（第 1〜5 章）の演習のチェッカー：パーセプトロンから推論まで。"""

import numpy as np

from ._harness import (
    _array,
    _call,
    _close,
    _hint,
    _number,
    _Report,
    _require_callable,
    _result,
    _same_array,
)

__all__ = [
    "and_gate",
    "nand_gate",
    "or_gate",
    "xor_gate",
    "step_function",
    "sigmoid",
    "relu",
    "forward",
    "softmax",
    "accuracy",
]

_GATE_INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


# ---------------------------------------------------------------- 第 1 章 パーセプトロン


def _gate(func, name, truth):
    _require_callable(func)
    report = _Report(f"{name} ゲート")
    for (x1, x2), y in zip(_GATE_INPUTS, truth):
        out, _ = _call(report, func, x1, x2)
        if out is None and report.failed:
            break
        value = _array(out)
        if value is None or value.shape != () or value.dtype.kind not in "biuf":
            report.ng(f"({x1}, {x2}): 0 か 1 の数を 1 つ返してください（{out!r}）")
        elif value != y:
            report.ng(f"({x1}, {x2}) → {out}: 真理値表と違います")
        else:
            report.ok(f"({x1}, {x2}) → {out}")
    return report.finish()


def and_gate(func):
    """func(x1, x2) が AND ゲートの真理値表どおりかを調べる。"""
    return _gate(func, "AND", [0, 0, 0, 1])


def nand_gate(func):
    """func(x1, x2) が NAND ゲートの真理値表どおりかを調べる。"""
    return _gate(func, "NAND", [1, 1, 1, 0])


def or_gate(func):
    """func(x1, x2) が OR ゲートの真理値表どおりかを調べる。"""
    return _gate(func, "OR", [0, 1, 1, 1])


def xor_gate(func):
    """func(x1, x2) が XOR ゲートの真理値表どおりかを調べる。"""
    return _gate(func, "XOR", [0, 1, 1, 0])


# ---------------------------------------------------------------- 第 2 章 活性化関数


def step_function(func):
    """func(x) がステップ関数（NumPy 配列を受け取り同じ形で返す）かを調べる。"""
    _require_callable(func)
    report = _Report("ステップ関数")
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    out, _ = _call(report, func, x)
    if report.failed:
        return report.finish()
    _same_array(report, "x = [-2, -0.5, 0, 0.5, 3]（x = 0 では 0）", out, (x > 0).astype(int))
    out, _ = _call(report, func, np.array([[1.0, -1.0], [0.0, 2.0]]))
    if out is not None:
        _same_array(report, "2 次元の配列", out, np.array([[1, 0], [0, 1]]))
    return report.finish()


def sigmoid(func):
    """func(x) がシグモイド関数で、大きな |x| でもオーバーフローしないかを調べる。"""
    _require_callable(func)
    report = _Report("シグモイド関数")
    x = np.array([-1.0, 1.0, 2.0])
    out, _ = _call(report, func, x)
    if report.failed:
        return report.finish()
    _same_array(report, "x = [-1, 1, 2]", out, 1 / (1 + np.exp(-x)))
    big = np.array([-1000.0, 0.0, 1000.0])
    out, caught = _call(report, func, big)
    if out is not None:
        if _same_array(report, "x = [-1000, 0, 1000]", out, [0.0, 0.5, 1.0]):
            if any("overflow" in m for m in caught):
                report.note(
                    "x = -1000 で exp がオーバーフローの警告（RuntimeWarning）を出しています。"
                    "値は合っていますが、警告の出ない式にできます"
                )
            else:
                report.ok("大きな |x| でも警告が出ません")
    return report.finish()


def relu(func):
    """func(x) が ReLU 関数かを調べる。"""
    _require_callable(func)
    report = _Report("ReLU 関数")
    x = np.array([[-3.0, -0.1, 0.0], [0.1, 2.0, 5.0]])
    out, _ = _call(report, func, x)
    if not report.failed:
        _same_array(report, "2×3 の配列", out, np.maximum(0, x))
        if isinstance(out, np.ndarray) and np.shares_memory(out, x):
            report.ng("入力の配列そのものを書き換えています。新しい配列を返してください")
    return report.finish()


# ---------------------------------------------------------------- 第 3 章 行列の積と順伝播


def _forward_variants(network, x):
    """第 3 章の順伝播の、よくある間違い方をした結果（ヒント用）。"""
    from ..functions import sigmoid as _sig

    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    z2 = _sig(_sig(x @ W1 + b1) @ W2 + b2)
    linear = ((x @ W1 + b1) @ W2 + b2) @ W3 + b3
    forgot_layer3 = "第 3 層（W3, b3）の計算を忘れていないか確かめましょう"
    return [
        ("中間層の出力に活性化関数（シグモイド関数）を通していないようです", linear),
        (
            "出力層にもシグモイド関数を使っているようです。この章の出力層は恒等関数です",
            _sig(z2 @ W3 + b3),
        ),
        ("バイアス b を足していないようです", _sig(_sig(x @ W1) @ W2) @ W3),
        (forgot_layer3, _sig(x @ W1 + b1) @ W2 + b2),
        (forgot_layer3, z2),
    ]


def forward(func):
    """func(network, x) が第 3 章の 3 層ネットワークの順伝播かを調べる。

    中間層はシグモイド関数、出力層は恒等関数。network は W1, b1, W2, b2, W3, b3 の dict、
    x は shape (2,) か (N, 2)。
    """
    from ..inference import forward as _reference
    from ..inference import init_network

    _require_callable(func)
    report = _Report("順伝播 forward(network, x)")
    network = init_network()
    x = np.array([1.0, 0.5])
    out, _ = _call(report, func, network, x)
    if report.failed:
        return report.finish()
    textbook_ok = _same_array(report, "教科書の重み、x = [1.0, 0.5]", out, _reference(network, x))
    if not textbook_ok:
        for message, wrong in _forward_variants(network, x):
            if _close(out, wrong):
                _hint(report, message)
                break
    xb = np.array([[1.0, 0.5], [0.0, 0.0], [-1.0, 2.0]])
    out, _ = _call(report, func, network, xb)
    if out is not None:
        _same_array(report, "3 つの入力をまとめたバッチ（形 (3, 2)）", out, _reference(network, xb))
    rng = np.random.default_rng(3)
    other = {key: rng.standard_normal(value.shape) for key, value in network.items()}
    out, _ = _call(report, func, other, x)
    if out is not None:
        label = "別の重みの network（渡された network の値を使っているか）"
        if not _same_array(report, label, out, _reference(other, x)) and textbook_ok:
            _hint(
                report,
                "重みやバイアスを関数の中に書き込まず、network['W1'] などから取り出しましょう",
            )
    return report.finish()


# ---------------------------------------------------------------- 第 4 章 出力層とソフトマックス


def _softmax_reference(a):
    c = np.max(a, axis=-1, keepdims=True)
    e = np.exp(a - c)
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax(func):
    """func(a) がソフトマックス関数かを調べる。

    値、和が 1 になること、バッチ（shape (N, K)）を最後の軸で正規化すること、
    大きな値 [1010, 1000, 990] でオーバーフローしないこと、入力を書き換えないこと。
    """
    _require_callable(func)
    report = _Report("ソフトマックス関数")
    a = np.array([0.3, 2.9, 4.0])
    saved = a.copy()
    out, _ = _call(report, func, a)
    if report.failed:
        return report.finish()
    if _same_array(report, "a = [0.3, 2.9, 4.0]", out, _softmax_reference(saved)):
        report.ok(f"出力の和が 1 です（{float(np.sum(out)):.4f}）")
    elif (got := _result(None, "", out, a.shape)) is not None:
        total = float(np.sum(got))
        if abs(total - 1.0) > 1e-6:
            _hint(
                report, f"出力の和が {total:.4f} です。確率として、和が 1 になるように割りましょう"
            )
    if not np.array_equal(a, saved):
        report.ng("入力の配列 a そのものを書き換えています。新しい配列を作って返してください")

    rng = np.random.default_rng(4)
    batch = rng.normal(0.0, 3.0, size=(4, 5))
    out, _ = _call(report, func, batch.copy())
    if out is not None:
        ok = _same_array(
            report, "バッチ（形 (4, 5)、1 行が 1 サンプル）", out, _softmax_reference(batch)
        )
        got = _result(None, "", out, batch.shape)  # ヒント用（記録しない）
        if not ok and got is not None:
            if np.isclose(got.sum(), 1.0):
                _hint(report, "配列全体の和で割っています。行ごと（最後の軸）に和が 1 になるように")
            elif np.allclose(got.sum(axis=0), 1.0):
                _hint(
                    report,
                    "列ごと（axis=0）に正規化しています。行ごと（axis=-1）に和をとりましょう",
                )

    big = np.array([1010.0, 1000.0, 990.0])
    out, caught = _call(report, func, big)
    if out is not None:
        got = _result(None, "", out, big.shape, finite=False)  # ヒント用（記録しない）
        if got is not None and not np.all(np.isfinite(got)):
            report.ng(
                "a = [1010, 1000, 990]: 結果に nan が出ました。exp(1010) がオーバーフローしています"
                "（本文のオーバーフロー対策を見直しましょう）"
            )
        elif _same_array(report, "a = [1010, 1000, 990]（大きな値）", out, _softmax_reference(big)):
            if any("overflow" in m for m in caught):
                report.note(
                    "値は合っていますが、exp がオーバーフローの警告（RuntimeWarning）を出しています"
                )
            else:
                report.ok("大きな値でもオーバーフローしません")
    return report.finish()


# ---------------------------------------------------------------- 第 5 章 手書き数字の推論


def accuracy(func):
    """func(y, t) が正解率を返すかを調べる。

    y は shape (N, K) のネットワークの出力（各クラスの確率）、t は shape (N,) の正解ラベル。
    戻り値は 0 以上 1 以下の数 1 つ。
    """
    _require_callable(func)
    report = _Report("正解率 accuracy(y, t)")
    y = np.array(
        [[0.1, 0.7, 0.2], [0.8, 0.1, 0.1], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1], [0.3, 0.3, 0.4]]
    )
    t = np.array([1, 0, 2, 1, 0])
    rng = np.random.default_rng(5)
    big_y = rng.random((200, 10))
    big_t = rng.integers(0, 10, size=200)
    cases = [
        ("5 サンプル・3 クラス（3 つ正解）", y, t),
        ("すべて正解", y, np.argmax(y, axis=1)),
        ("200 サンプル・10 クラス", big_y, big_t),
    ]
    for label, yy, tt in cases:
        expected = float(np.mean(np.argmax(yy, axis=1) == tt))
        before = report.failed
        out, _ = _call(report, func, yy.copy(), tt.copy())
        if report.failed > before:  # 例外が出た
            if "NotImplementedError" in report.lines[-1]:
                break
            if "broadcast" in report.lines[-1]:
                _hint(report, "np.argmax の axis を確かめましょう（各行＝各サンプルで最大の番号）")
            continue
        value = _number(report, label, out)
        if value is None:
            continue
        correct = int(round(expected * len(tt)))
        if np.isclose(value, expected):
            report.ok(f"{label}: {value:.4f}")
        elif np.isclose(value, correct) and correct != expected:
            report.ng(
                f"{label}: {value:g} は正解の数です。割合（0〜1）にするにはサンプルの数で割ります"
            )
        else:
            report.ng(f"{label}: 値が違います（得られた値 {value:.4f}）")
    return report.finish()
