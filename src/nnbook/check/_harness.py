"""チェッカーの共通の部品：結果の表示と、学習者の関数の呼び方・戻り値の調べ方。

各部のモジュール（``part1``〜``part4``）のチェッカーは、学習者のコードにここの関数だけで触れます。
"""

import warnings

import numpy as np


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


# ---------------------------------------------------------------- 学習者の関数を呼ぶ・戻り値を調べる
#
# 学習者の関数が何を返しても、何を投げても、チェッカーは × の行を書いて passed=False を返し、
# 関係のない例外では止まりません。新しいチェッカーは次の 2 つだけで学習者のコードに触れます。
#
#     out, warns = _call(report, func, *args)       # 呼ぶ（例外は × の行になり out は None）
#     got = _result(report, label, out, shape=(N, K))  # ndarray にする（合わなければ × で None）
#
# 値を比べるなら _same_array / _matches、数 1 つなら _number / _integer（どれも _result を使う）。
# ヒントのために戻り値を調べ直すときは np.asarray ではなく _array(out)（失敗なら None）。


def _require_callable(func, name="func", what="関数"):
    if not callable(func):
        raise TypeError(f"{name} はチェックする{what}です（{type(func).__name__} が渡されました）")


def _describe(exc):
    """例外を「型名: メッセージ」の 1 行にする（メッセージの取り出しに失敗しても止まらない）。"""
    try:
        message = str(exc)
    except Exception:  # 学習者の例外クラスの __str__ が壊れていても止まらない
        message = "（メッセージを取り出せません）"
    return f"{type(exc).__name__} が発生しました: {message}"


def _call(report, func, *args):
    """func(*args) を呼ぶ。例外が出たら report に × を記録して (None, []) を返す。

    Returns
    -------
    out : object
        func の戻り値（例外なら None）。
    caught : list of str
        呼び出し中に出た警告のメッセージ。
    """
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = func(*args)
    except NotImplementedError:
        report.ng("まだ実装されていません（NotImplementedError）")
        return None, []
    except Exception as exc:  # 学習者のコードの例外はそのまま伝える
        report.ng(f"実行中に {_describe(exc)}")
        return None, []
    return out, [str(w.message) for w in caught]


def _array(out):
    """out を ndarray にする。できなければ（長さのそろわないリストなど）None。"""
    if out is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(out)
    except Exception:  # 配列にできないものは何でも None（ヒントを出さないだけ）
        return None


def _result(
    report,
    label,
    out,
    shape=None,
    wrong_shape="形が {got} です。形 {want} の配列を返してください",
    finite=True,
):
    """学習者の関数の戻り値 out を浮動小数点の ndarray にする。

    None・配列にできないもの・数値でないもの・形の違うもの・（finite なら）NaN や inf を含むものは
    report に × を記録して None を返します。

    Parameters
    ----------
    report : _Report or None
        None なら記録しない（ヒントのために調べ直すとき）。
    label : str
        × の行の先頭に書くケースの名前。
    out : object
        学習者の関数の戻り値。
    shape : tuple of int, optional
        期待する形。
    wrong_shape : str
        形が違うときの文（``{got}`` と ``{want}`` が形に置き換わる）。
    finite : bool
        NaN・inf を × にするか。

    Returns
    -------
    ndarray or None
    """
    ng = report.ng if report is not None else lambda message: None
    if out is None:
        ng(f"{label}: 戻り値が None です（return を忘れていませんか）")
        return None
    got = _array(out)
    if got is None:
        ng(
            f"{label}: 戻り値を配列にできません（{type(out).__name__}。"
            "長さのそろわないリストではありませんか）"
        )
        return None
    if shape is not None and got.shape != tuple(shape):
        ng(f"{label}: " + wrong_shape.format(got=got.shape, want=tuple(shape)))
        return None
    if got.dtype == object or not (
        np.issubdtype(got.dtype, np.number) or np.issubdtype(got.dtype, np.bool_)
    ):
        ng(f"{label}: 数値の配列ではありません（{type(out).__name__}、dtype={got.dtype}）")
        return None
    if np.issubdtype(got.dtype, np.complexfloating):
        ng(f"{label}: 複素数になっています（dtype={got.dtype}）。実数を返してください")
        return None
    got = got.astype(float)
    if finite and not np.all(np.isfinite(got)):
        ng(f"{label}: nan か inf が含まれています")
        return None
    return got


def _close(got, expected, **kwargs):
    """ヒント用：got が expected と同じ形で値も近いか（比べられないものは False）。"""
    arr = _array(got)
    if arr is None or arr.shape != np.shape(expected) or np.iscomplexobj(arr):
        return False
    try:
        return bool(np.allclose(arr.astype(float), expected, **kwargs))
    except Exception:  # 数値にできないものは「近くない」
        return False


def _same_array(report, label, got, expected, atol=1e-6):
    """got が expected と同じ形・同じ値かを調べて記録する。"""
    expected = np.asarray(expected)
    got = _result(
        report, label, got, expected.shape, "形が {got} です。入力と同じ形 {want} を返してください"
    )
    if got is None:
        return False
    if not np.allclose(got, expected, atol=atol):
        report.ng(f"{label}: 値が違います（得られた値 {np.round(got, 4).tolist()}）")
        return False
    report.ok(f"{label}: 正しい値です")
    return True


def _hint(report, message):
    """直前の × に続けて、よくある間違いのヒントを書く（失敗の数には数えない）。"""
    report.lines.append(f"      ヒント: {message}")


def _number(report, label, out):
    """out が数 1 つなら float にして返す。そうでなければ report に記録して None。"""
    value = _result(
        report, label, out, (), "数を 1 つ返してください（形 {got} が返りました）", finite=False
    )
    return None if value is None else float(value)


def _matches(report, label, got, expected, atol=1e-6):
    """got が expected と同じ形・同じ値かを記録する（値の全体は表示しない）。"""
    got = _result(report, label, got, expected.shape)
    if got is None:
        return False
    if not np.allclose(got, expected, atol=atol):
        first = np.round(got.reshape(len(got), -1)[0], 4).tolist()
        report.ng(f"{label}: 値が違います（1 行目は {first}）")
        return False
    report.ok(f"{label}: 正しい値です")
    return True


def _integer(report, label, out):
    """out が整数 1 つなら int にして返す。そうでなければ report に記録して None。"""
    value = _result(
        report, label, out, (), "整数を 1 つ返してください（形 {got} が返りました）", finite=False
    )
    if value is None:
        return None
    value = float(value)
    if not np.isfinite(value):
        report.ng(f"{label}: 整数ではありません（{value}）。nan か inf になっています")
        return None
    if value != round(value):
        report.ng(f"{label}: 整数ではありません（{value}）。割り算は // を使います")
        return None
    return int(value)
