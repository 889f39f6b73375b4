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

__all__ = ["and_gate", "nand_gate", "or_gate", "xor_gate", "step_function", "sigmoid", "relu"]

_GATE_INPUTS = [(0, 0), (1, 0), (0, 1), (1, 1)]


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
        return self.failed == 0


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
    if not report.failed:
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
    if not report.failed:
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


# ---------------------------------------------------------------- 第 4 章 出力層とソフトマックス


# ---------------------------------------------------------------- 第 5 章 手書き数字の推論


# ---------------------------------------------------------------- 第 6 章 学習


# ---------------------------------------------------------------- 第 7 章 決定境界


# ---------------------------------------------------------------- 第 8〜10 章 Keras
