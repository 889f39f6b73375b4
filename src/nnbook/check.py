"""演習の自動チェック。

学習者が書いた関数を用意したケースで実行し、何が合っていて何が違うか（形・値・
オーバーフローなど）を日本語で答えます。答えそのものは見せません。

使い方::

    from nnbook import check
    check.sigmoid(my_sigmoid)   # 結果を表示し、すべて合っていれば True を返す

各章の演習で使うチェッカーはこのファイルの章ごとの区切りの下にあります。
"""

import warnings

import numpy as np

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


class CheckResult:
    """チェックの結果。``bool(result)`` で合否がわかる（ノートブックでは何も表示しない）。"""

    def __init__(self, passed, failed):
        self.passed = passed
        self.failed = failed

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckResult(passed={self.passed}, failed={self.failed})"

    def _ipython_display_(self):
        # 結果の説明はすでに print したので、セルの出力に False/True を重ねて出さない
        pass


class _Report:
    """チェック結果を集めて表示する。"""

    def __init__(self, title):
        self.title = title
        self.lines = []
        self.failed = 0

    def ok(self, message):
        self.lines.append(f"  ○ {message}")

    def ng(self, message):
        self.failed += 1
        self.lines.append(f"  × {message}")

    def note(self, message):
        """正解だが改善できる点（失敗には数えない）。"""
        self.lines.append(f"  △ {message}")

    def finish(self):
        print(f"【チェック】{self.title}")
        print("\n".join(self.lines))
        if self.failed:
            print(f"→ {self.failed} 件の問題があります。ヒントを読んで直してみましょう。")
        else:
            print("→ すべて正解です！")
        return CheckResult(self.failed == 0, self.failed)


def _require_callable(func):
    if not callable(func):
        raise TypeError(f"チェックするのは関数です（{type(func).__name__} が渡されました）")


def _call(report, func, *args):
    """func(*args) を呼ぶ。例外や警告が出たら report に記録して None を返す。"""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = func(*args)
    except NotImplementedError:
        report.ng("まだ実装されていません（NotImplementedError）")
        return None, []
    except Exception as exc:  # 学習者のコードの例外はそのまま伝える
        report.ng(f"実行中に {type(exc).__name__} が発生しました: {exc}")
        return None, []
    return out, [str(w.message) for w in caught]


def _same_array(report, label, got, expected, atol=1e-6):
    """got が expected と同じ形・同じ値かを調べて記録する。"""
    if got is None:
        report.ng(f"{label}: 戻り値が None です（return を忘れていませんか）")
        return False
    got = np.asarray(got)
    expected = np.asarray(expected)
    if got.shape != expected.shape:
        report.ng(f"{label}: 形が {got.shape} です。入力と同じ形 {expected.shape} を返してください")
        return False
    if not np.issubdtype(got.dtype, np.number) and got.dtype != bool:
        report.ng(f"{label}: 数値の配列ではありません（dtype={got.dtype}）")
        return False
    if not np.all(np.isfinite(got)):
        report.ng(f"{label}: nan か inf が含まれています")
        return False
    if not np.allclose(got, expected, atol=atol):
        report.ng(f"{label}: 値が違います（得られた値 {np.round(got, 4).tolist()}）")
        return False
    report.ok(f"{label}: 正しい値です")
    return True


# ---------------------------------------------------------------- 第 1 章 パーセプトロン


def _gate(func, name, truth):
    _require_callable(func)
    report = _Report(f"{name} ゲート")
    for (x1, x2), y in zip(_GATE_INPUTS, truth):
        out, _ = _call(report, func, x1, x2)
        if out is None and report.failed:
            break
        if out is None or not np.isscalar(out) and np.asarray(out).shape != ():
            report.ng(f"({x1}, {x2}): 0 か 1 の数を 1 つ返してください（{out!r}）")
        elif out != y:
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
        if out is not None and np.shares_memory(np.asarray(out), x):
            report.ng("入力の配列そのものを書き換えています。新しい配列を返してください")
    return report.finish()


# ---------------------------------------------------------------- 第 3 章 行列の積と順伝播


def _hint(report, message):
    """直前の × に続けて、よくある間違いのヒントを書く（失敗の数には数えない）。"""
    report.lines.append(f"      ヒント: {message}")


def _forward_variants(network, x):
    """第 3 章の順伝播の、よくある間違い方をした結果（ヒント用）。"""
    from .functions import sigmoid as _sig

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
    from .inference import forward as _reference
    from .inference import init_network

    _require_callable(func)
    report = _Report("順伝播 forward(network, x)")
    network = init_network()
    x = np.array([1.0, 0.5])
    out, _ = _call(report, func, network, x)
    if report.failed:
        return report.finish()
    textbook_ok = _same_array(report, "教科書の重み、x = [1.0, 0.5]", out, _reference(network, x))
    if not textbook_ok:
        got = np.asarray(out) if out is not None else None
        for message, wrong in _forward_variants(network, x):
            if got is not None and got.shape == wrong.shape and np.allclose(got, wrong):
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
    elif out is not None and np.asarray(out).shape == a.shape:
        total = float(np.sum(np.asarray(out, dtype=float)))
        if np.isfinite(total) and abs(total - 1.0) > 1e-6:
            _hint(
                report, f"出力の和が {total:.4f} です。確率として、和が 1 になるように割りましょう"
            )
    if not np.array_equal(a, saved):
        report.ng("入力の配列 a そのものを書き換えています。新しい配列を作って返してください")

    rng = np.random.default_rng(4)
    batch = rng.normal(0.0, 3.0, size=(4, 5))
    out, _ = _call(report, func, batch.copy())
    if out is not None:
        got = np.asarray(out)
        ok = _same_array(
            report, "バッチ（形 (4, 5)、1 行が 1 サンプル）", out, _softmax_reference(batch)
        )
        if not ok and got.shape == batch.shape and np.all(np.isfinite(got)):
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
        got = np.asarray(out)
        finite = got.shape == big.shape and np.issubdtype(got.dtype, np.number)
        if finite and not np.all(np.isfinite(got)):
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
        if out is None:
            report.ng(f"{label}: 戻り値が None です（return を忘れていませんか）")
            continue
        value = np.asarray(out)
        if value.shape != () or not np.issubdtype(value.dtype, np.number):
            report.ng(f"{label}: 数を 1 つ返してください（形 {value.shape} が返りました）")
            continue
        value = float(value)
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


# ---------------------------------------------------------------- 第 6 章 学習


# ---------------------------------------------------------------- 第 7 章 決定境界


# ---------------------------------------------------------------- 第 8〜10 章 Keras
