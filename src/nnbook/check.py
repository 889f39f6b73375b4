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
    "cross_entropy_error",
    "numerical_gradient",
    "relu_layer",
    "softmax_with_loss_grad",
    "standardize",
    "grid_points",
    "square_region",
    "mlp_param_count",
    "conv_output_size",
    "make_windows",
    "high_quality_share",
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
    if arr is None or arr.shape != np.shape(expected):
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


# ---------------------------------------------------------------- 第 6〜7 章 学習


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


def _cee_reference(y, t, delta=1e-7):
    y, t = np.atleast_2d(y), np.atleast_2d(t)
    return float(-np.sum(t * np.log(y + delta)) / y.shape[0])


def cross_entropy_error(func):
    """func(y, t) が交差エントロピー誤差（バッチの平均、log(0) 対策つき）かを調べる。

    y は確率 shape (K,) か (N, K)、t は y と同じ形の one-hot。
    """
    _require_callable(func)
    report = _Report("交差エントロピー誤差 cross_entropy_error(y, t)")
    y1 = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
    t1 = np.eye(10)[2]
    rng = np.random.default_rng(6)
    yb = rng.dirichlet(np.ones(4), size=5)
    tb = np.eye(4)[[0, 3, 1, 1, 2]]
    cases = [
        ("1 サンプル（正解の確率 0.6）", y1, t1),
        ("バッチ（5 サンプル・4 クラス）", yb, tb),
    ]
    for label, y, t in cases:
        y_in, t_in = y.copy(), t.copy()
        before = report.failed
        out, caught = _call(report, func, y_in, t_in)
        if report.failed > before:
            if "NotImplementedError" in report.lines[-1]:
                return report.finish()
            continue
        value = _number(report, label, out)
        if value is None:
            continue
        expected = _cee_reference(y, t)
        n = np.atleast_2d(y).shape[0]
        if np.isclose(value, expected, atol=1e-4):
            report.ok(f"{label}: {value:.4f}")
        else:
            report.ng(f"{label}: 値が違います（得られた値 {value:.4f}）")
            if not np.isfinite(value):
                _hint(
                    report,
                    "y に 0 の要素があると log(0) = -inf になり、0 × (-inf) が nan になります。"
                    "y に小さな値 delta（例えば 1e-7）を足してから log を取りましょう",
                )
            elif np.isclose(value, -expected, atol=1e-4):
                _hint(report, "符号が逆です。log の前にマイナスを付けます（誤差は 0 以上）")
            elif n > 1 and np.isclose(value, expected * n, atol=1e-4):
                _hint(report, "バッチの和のままです。サンプルの数 N で割って平均にしましょう")
            elif np.isclose(value, expected / y.shape[-1], atol=1e-4):
                _hint(report, "np.mean で要素の数 N×K で割っています。割るのはサンプルの数 N です")
        if not (np.array_equal(y_in, y) and np.array_equal(t_in, t)):
            report.ng("入力の配列 y か t を書き換えています。新しい配列で計算してください")
    y0, t0 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    out, caught = _call(report, func, y0, t0)
    value = (
        _number(report, "正解の確率が 0（y = [1, 0], t = [0, 1]）", out)
        if out is not None
        else None
    )
    if value is not None:
        if not np.isfinite(value):
            report.ng(
                f"正解の確率が 0: 結果が {value} です。log(0) = -inf にならないよう、"
                "y に小さな値 delta（例えば 1e-7）を足してから log を取りましょう"
            )
        elif value < 10:
            report.ng(
                f"正解の確率が 0: {value:.4f} は小さすぎます。正解に確率 0 を付けたのだから、"
                "誤差はとても大きい（-log(1e-7) ≈ 16.1）はずです"
            )
        else:
            report.ok(f"正解の確率が 0 でも有限の大きな値です（{value:.4f}）")
            if caught:
                report.note(f"値は有限ですが警告が出ています（{caught[0]}）")
    return report.finish()


def relu_layer(cls):
    """cls が ReLU レイヤ（forward(x) と backward(dout) を持つクラス）かを調べる。

    forward の値、backward が x > 0 の要素だけ dout を通すこと（x = 0 では 0）、
    入力 x を書き換えないことを確かめる。dout を書き換えていたら △ で知らせる。
    """
    if not isinstance(cls, type):
        raise TypeError(f"cls はチェックするクラスです（{type(cls).__name__} が渡されました）")
    report = _Report("ReLU レイヤ")
    layer, _ = _call(report, cls)
    if layer is None:
        return report.finish()
    for method in ("forward", "backward"):
        if not callable(getattr(layer, method, None)):
            report.ng(f"メソッド {method} がありません")
    if report.failed:
        return report.finish()
    x = np.array([[-2.0, 0.0, 1.5], [3.0, -0.5, 0.0]])
    x_in = x.copy()
    out, _ = _call(report, layer.forward, x_in)
    if report.failed:
        return report.finish()
    _same_array(report, "forward（x = [[-2, 0, 1.5], [3, -0.5, 0]]）", out, np.maximum(0, x))
    if not np.array_equal(x_in, x):
        report.ng("forward が入力 x を書き換えています。x.copy() などで新しい配列を作りましょう")
    dout = np.array([[1.0, 2.0, -3.0], [-4.0, 5.0, 6.0]])
    dout_in = dout.copy()
    dx, _ = _call(report, layer.backward, dout_in)
    if dx is not None:
        expected = np.where(x > 0, dout, 0.0)
        if not _same_array(report, "backward（x > 0 の要素だけ dout を通す）", dx, expected):
            if _close(dx, np.where(x >= 0, dout, 0.0)):
                _hint(report, "x = 0 の要素にも勾配を通しています。x <= 0 の要素を 0 にします")
            elif _close(dx, np.maximum(0, dout)):
                _hint(
                    report, "dout の正負で決めています。順伝播の x が正だったところを覚えて使います"
                )
        if not np.array_equal(dout_in, dout):
            report.note(
                "backward が dout をその場で書き換えています。値は合っていますが、"
                "呼び出し側の配列が変わるので、新しい配列を返す書き方が安全です"
            )
    return report.finish()


def _numerical_gradient_cases():
    """(説明, f, x, 式で求めた勾配) の組。2 つ目は 3 次の項があり、前方差分だと誤差が目立つ。"""
    return [
        ("f = x0² + x1²、点 (3, 4)", lambda x: x[0] ** 2 + x[1] ** 2, [3.0, 4.0], [6.0, 8.0]),
        (
            "f = x0³ + 2 x0 x1、点 (2, -1)",
            lambda x: x[0] ** 3 + 2 * x[0] * x[1],
            [2.0, -1.0],
            [10.0, 4.0],
        ),
    ]


def _one_sided(f, x, h):
    """前方差分 (f(x + h) - f(x)) / h（ヒントのための比較用）。"""
    grad = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x)) / h
    return grad


def numerical_gradient(func):
    """func(f, x) が中心差分による勾配（x と同じ形）を返し、x を元に戻すかを調べる。

    f は shape (D,) の配列を受け取って数を返す関数、x は shape (D,) の浮動小数点の配列。
    中心差分（h = 1e-4 程度）なら 1e-6 より正確に合う。前方差分だと 3 次の項で 1e-4 程度ずれる。
    """
    _require_callable(func)
    report = _Report("数値微分による勾配 numerical_gradient(f, x)")
    for label, f, point, expected in _numerical_gradient_cases():
        x = np.array(point)
        before = report.failed
        out, _ = _call(report, func, f, x)
        if report.failed > before:
            if "NotImplementedError" in report.lines[-1]:
                return report.finish()
            continue
        expected = np.array(expected)
        if not _same_array(report, label, out, expected, atol=1e-6):
            got = _result(None, "", out, expected.shape)  # ヒント用（記録しない）
            if got is not None:
                base = np.array(point)
                forward = [_one_sided(f, base, h) for h in (1e-4, 1e-5, 1e-3)]
                backward = [-_one_sided(f, base, -h) for h in (1e-4, 1e-5, 1e-3)]
                if np.allclose(got, 2 * expected, atol=1e-5):
                    _hint(report, "2 倍になっています。中心差分では 2h で割ります")
                elif np.allclose(got, 0.5 * expected, atol=1e-5):
                    _hint(report, "半分になっています。f(x + h) - f(x - h) の幅は 2h です")
                elif np.allclose(got, 0.0, atol=1e-3):
                    _hint(
                        report,
                        "ほとんど 0 です。h が小さすぎると、x + h が丸められて x と同じになります。"
                        "h = 1e-4 くらいを使いましょう",
                    )
                elif any(np.allclose(got, g, atol=1e-6) for g in forward + backward):
                    _hint(
                        report,
                        "前方差分（または後方差分）になっています。誤差が h に比例するので、"
                        "(f(x + h) - f(x - h)) / 2h の中心差分にしましょう",
                    )
        if not np.array_equal(x, np.array(point)):
            report.ng(
                f"{label}: 呼び出したあと x が {x.tolist()} に変わっています。"
                "書き換えた要素を元の値に戻しましょう"
            )
    return report.finish()


def _softmax_rows(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_with_loss_grad(func):
    """func(a, t) が L = 交差エントロピー誤差(softmax(a), t)（バッチの平均）の a についての勾配かを調べる。

    a はスコア shape (N, K)、t は one-hot shape (N, K)。正しい答えは (softmax(a) - t) / N。
    答えの式は見せず、よくある間違い（N で割らない、符号、softmax を通さない）を指摘する。
    """
    _require_callable(func)
    report = _Report("Softmax-with-Loss の勾配 softmax_with_loss_grad(a, t)")
    rng = np.random.default_rng(67)
    a_batch = rng.normal(scale=2.0, size=(4, 3))
    t_batch = np.eye(3)[[2, 0, 1, 2]]
    cases = [
        (
            "1 サンプル（a = [0.3, 2.9, 4.0]、正解はクラス 1）",
            np.array([[0.3, 2.9, 4.0]]),
            np.eye(3)[[1]],
        ),
        ("バッチ（4 サンプル・3 クラス）", a_batch, t_batch),
    ]
    for label, a, t in cases:
        a_in, t_in = a.copy(), t.copy()
        before = report.failed
        out, _ = _call(report, func, a_in, t_in)
        if report.failed > before:
            if "NotImplementedError" in report.lines[-1]:
                return report.finish()
            continue
        n = a.shape[0]
        y = _softmax_rows(a)
        expected = (y - t) / n
        if not _matches(report, label, out, expected):
            got = _result(None, "", out, expected.shape)  # ヒント用（記録しない）
            if got is not None:
                if n > 1 and np.allclose(got, y - t):
                    _hint(
                        report, "N で割っていません。損失がバッチの平均なので、勾配も N で割ります"
                    )
                elif np.allclose(got, -expected) or (n > 1 and np.allclose(got, t - y)):
                    _hint(
                        report,
                        "符号が逆です。正解のクラスの勾配は負（スコアを上げる向き）になります",
                    )
                elif np.allclose(got, (a - t) / n) or np.allclose(got, a - t):
                    _hint(
                        report,
                        "スコア a をそのまま使っています。ソフトマックス関数に通した y を使います",
                    )
                elif np.allclose(got, -t / (y * n)) or np.allclose(got, -t / y):
                    _hint(
                        report,
                        "それは ∂L/∂y（ソフトマックスの出力についての勾配）です。"
                        "ソフトマックス関数の逆伝播も通して a まで戻りましょう",
                    )
        if not (np.array_equal(a_in, a) and np.array_equal(t_in, t)):
            report.ng("入力の配列 a か t を書き換えています。新しい配列で計算してください")
    return report.finish()


# ---------------------------------------------------------------- 第 8 章 学習のテクニック

__all__ += ["adam_update"]


def _adam_reference(W, g, m, v, t, lr, beta1, beta2, eps, correct=True, eps_inside=False):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t) if correct else m
    v_hat = v / (1 - beta2**t) if correct else v
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return W - lr * m_hat / denom, m, v


def _adam_run(func, report, grads, hp):
    """func で 3 回更新し、各回の (W, m, v) を返す。失敗したら None。"""
    W, m, v = np.array([[0.5, -1.0], [2.0, 0.0]]), np.zeros((2, 2)), np.zeros((2, 2))
    out = []
    for t, g in enumerate(grads, start=1):
        args = (W.copy(), g.copy(), m.copy(), v.copy(), t, *hp)
        res, _ = _call(report, func, *args)
        if res is None:
            if not report.failed:
                report.ng("戻り値が None です（return W, m, v を忘れていませんか）")
            return None
        if not isinstance(res, tuple) or len(res) != 3:
            report.ng("(W, m, v) の 3 つを return してください")
            return None
        arrays = [
            _result(
                report,
                f"{t} 回目の {name}",
                a,
                (2, 2),
                "形が {got} です。入力と同じ形 {want} で返してください",
                finite=False,  # nan・inf はこのあとの比較とヒントで答える
            )
            for name, a in zip("Wmv", res)
        ]
        if any(a is None for a in arrays):
            return None
        W, m, v = arrays
        out.append((W, m, v))
    return out


def adam_update(func):
    """func(W, grad, m, v, t, lr, beta1, beta2, eps) が Adam の 1 回の更新かを調べる。

    t は 1 から数えた更新の回数。戻り値は新しい (W, m, v)（どれも W と同じ形）。
    m ← β1 m + (1-β1) g、v ← β2 v + (1-β2) g²、m̂ = m/(1-β1^t)、v̂ = v/(1-β2^t)、
    W ← W - lr · m̂ / (√v̂ + eps)。3 回続けて更新し、よくある間違いにはヒントを出す。
    """
    _require_callable(func)
    report = _Report("Adam の更新 adam_update(W, grad, m, v, t, lr, beta1, beta2, eps)")
    grads = [
        np.array([[1.0, -2.0], [0.5, 3.0]]),
        np.array([[0.5, -1.0], [-0.5, 1.0]]),
        np.array([[0.1, 0.0], [2.0, -1.0]]),
    ]
    hp = (0.1, 0.9, 0.999, 1e-7)
    got = _adam_run(func, report, grads, hp)
    if got is None:
        return report.finish()
    W, m, v = np.array([[0.5, -1.0], [2.0, 0.0]]), np.zeros((2, 2)), np.zeros((2, 2))
    expected = []
    for t, g in enumerate(grads, start=1):
        W, m, v = _adam_reference(W, g, m, v, t, *hp)
        expected.append((W, m, v))
    all_ok = True
    for t, ((gW, gm, gv), (eW, em, ev)) in enumerate(zip(got, expected), start=1):
        ok_m = np.allclose(gm, em, atol=1e-9)
        ok_v = np.allclose(gv, ev, atol=1e-9)
        ok_W = np.allclose(gW, eW, atol=1e-7)
        if ok_m and ok_v and ok_W:
            continue
        all_ok = False
        if not ok_m:
            report.ng(f"{t} 回目の m が違います")
        if not ok_v:
            report.ng(f"{t} 回目の v が違います")
        if not ok_W:
            report.ng(
                f"{t} 回目の W が違います（得られた値の 1 行目 {np.round(gW[0], 4).tolist()}）"
            )
        break
    if all_ok:
        report.ok("3 回続けた更新の W, m, v が正しい値です")
        return report.finish()
    # よくある間違いを見分ける（最初の 1 回の更新で比べる）
    W0, m0, v0 = np.array([[0.5, -1.0], [2.0, 0.0]]), np.zeros((2, 2)), np.zeros((2, 2))
    gW1, gm1, gv1 = got[0]
    first_ok = np.allclose(gW1, expected[0][0], atol=1e-7)
    g = grads[0]
    lr, beta1, beta2, eps = hp
    if np.allclose(gm1, beta1 * g, atol=1e-9):
        _hint(report, "m の式で β1 と 1 - β1 が入れ替わっています：m ← β1 m + (1 - β1) g")
    elif np.allclose(gv1, (1 - beta2) * np.abs(g), atol=1e-9):
        _hint(report, "v には勾配の 2 乗 g * g を足します")
    elif np.allclose(gW1, _adam_reference(W0, g, m0, v0, 1, *hp, correct=False)[0], atol=1e-7):
        _hint(
            report,
            "バイアス補正がありません。m̂ = m / (1 - β1**t)、v̂ = v / (1 - β2**t) を使います"
            "（m と v は 0 から始まるので、最初は小さすぎる）",
        )
    elif not np.all(np.isfinite(gW1)):
        _hint(report, "nan か inf が出ました。t は 1 から数えます（1 - β1**0 = 0 で割らない）")
    elif first_ok:
        _hint(
            report,
            "1 回目は合っています。2 回目以降は前回の m と v を使い、補正には"
            "その回の t を使います（β1**t、β2**t）",
        )
    elif np.allclose(gW1, _adam_reference(W0, g, m0, v0, 2, *hp)[0], atol=1e-7):
        _hint(report, "t が 1 つずれています。最初の更新が t = 1 です（β1**t の t）")
    elif np.allclose(gW1, W0 - lr * g, atol=1e-7):
        _hint(report, "SGD の更新になっています。m̂ / (√v̂ + eps) で割った向きに動かします")
    return report.finish()


# ---------------------------------------------------------------- 第 9 章 決定境界


def standardize(func):
    """func(x_train, x_test) が訓練データの平均と標準偏差で両方を標準化するかを調べる。

    x_train は shape (N, D)、x_test は shape (M, D)。戻り値は (x_train_std, x_test_std)。
    """
    _require_callable(func)
    report = _Report("標準化 standardize(x_train, x_test)")
    rng = np.random.default_rng(7)
    x_train = rng.normal([5.0, -2.0], [2.0, 0.5], size=(20, 2))
    x_test = rng.normal([6.0, -1.0], [3.0, 1.0], size=(8, 2))
    a, b = x_train.copy(), x_test.copy()
    out, _ = _call(report, func, a, b)
    if report.failed:
        return report.finish()
    if not isinstance(out, tuple) or len(out) != 2:
        report.ng("(x_train_std, x_test_std) の 2 つを return してください")
        return report.finish()
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    got_train, got_test = out
    _matches(report, "訓練データ", got_train, (x_train - mean) / std)
    if not _matches(
        report, "テストデータ（訓練データの平均と標準偏差を使う）", got_test, (x_test - mean) / std
    ):
        own = (x_test - x_test.mean(axis=0)) / x_test.std(axis=0)
        both = np.vstack([x_train, x_test])
        pooled = (x_test - both.mean(axis=0)) / both.std(axis=0)
        if _close(got_test, own):
            _hint(
                report,
                "テストデータを自分の平均と標準偏差で標準化しています。"
                "テストデータの統計は学習に使えないので、訓練データの値を使います",
            )
        elif _close(got_test, pooled):
            _hint(report, "訓練とテストを合わせた統計を使っています。訓練データだけの値を使います")
        elif _close(got_test, (x_test - x_train.mean()) / x_train.std()):
            _hint(report, "配列全体の平均・標準偏差になっています。axis=0 で特徴ごとに求めます")
    if not (np.array_equal(a, x_train) and np.array_equal(b, x_test)):
        report.ng("入力の配列を書き換えています。新しい配列を返してください")
    return report.finish()


def grid_points(func):
    """func(xx, yy) が格子を、1 行が 1 点 (x1, x2) の shape (M, 2) の配列に並べ直すかを調べる。

    xx, yy は ``np.meshgrid`` の結果 shape (R, C)、M = R × C。点の順番は ``xx.ravel()`` と同じ。
    """
    _require_callable(func)
    report = _Report("格子点 grid_points(xx, yy)")
    xx, yy = np.meshgrid(np.linspace(-1.0, 1.0, 4), np.linspace(0.0, 2.0, 3))
    out, _ = _call(report, func, xx.copy(), yy.copy())
    if report.failed:
        return report.finish()
    expected = np.column_stack([xx.ravel(), yy.ravel()])
    if not _matches(report, "3×4 の格子（12 点）", out, expected):
        got = _array(out)
        if got is not None and got.shape == (2, xx.size):
            _hint(
                report, "形が (2, M) です。1 行が 1 点になるよう np.column_stack か .T を使います"
            )
        elif (got := _result(None, "", out, expected.shape)) is not None:
            if np.allclose(got, expected[:, ::-1]):
                _hint(report, "列の順番が逆です。1 列目が横軸 x1（xx）、2 列目が縦軸 x2（yy）です")
            elif np.allclose(np.sort(got, axis=0), np.sort(expected, axis=0)):
                _hint(report, "点の並び順が違います。xx.ravel() と yy.ravel() を同じ順番で並べます")
    return report.finish()


def _square_points():
    """正方形 |x1| < 1, |x2| < 1 の内側・外側・遠くの点（境界から 0.2 以内は除く）。"""
    g = np.linspace(-3.0, 3.0, 31)
    grid = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])  # shape (961, 2)
    size = np.abs(grid).max(axis=1)
    angles = np.linspace(0.0, 2.0 * np.pi, 24, endpoint=False)
    ring = np.column_stack([np.cos(angles), np.sin(angles)])
    far = np.vstack([10.0 * ring, 100.0 * ring])  # shape (48, 2)
    return grid[size < 0.8], grid[size > 1.2], far


def _labels_or_report(report, label, out, n):
    """out が 0/1 のラベル shape (n,) なら int の配列にして返す。違えば report に記録して None。"""
    got = _result(
        report,
        label,
        out,
        (n,),
        wrong_shape="形が {got} です。点の数と同じ長さ {want} のラベルを返してください",
    )
    if got is None:
        return None
    if not np.all(np.isin(got, [0, 1])):
        report.ng(f"{label}: ラベルは 0 か 1 です（s > 0 なら 1）")
        return None
    return got.astype(int)


def square_region(func):
    """func(x) が正方形 |x1| < 1, |x2| < 1 の内側をクラス 0、外側をクラス 1 に分けるかを調べる。

    x は shape (N, 2)、戻り値はラベル shape (N,)（0 か 1）。正方形の辺から 0.2 以内の点は問わず、
    原点から 10 と 100 の遠くの点も調べる（閉じた領域なら、遠くはすべてクラス 1）。
    """
    _require_callable(func)
    report = _Report("正方形を囲む square_region(x)")
    inside, outside, far = _square_points()
    results = {}
    for label, points, expected in [
        (f"正方形の内側 {len(inside)} 点", inside, 0),
        (f"正方形の外側 {len(outside)} 点", outside, 1),
        (f"原点から 10 と 100 の遠くの {len(far)} 点", far, 1),
    ]:
        out, _ = _call(report, func, points.copy())
        if report.failed and out is None:
            break
        got = _labels_or_report(report, label, out, len(points))
        if got is None:
            continue
        wrong = int(np.sum(got != expected))
        results[expected, len(points)] = got
        if wrong == 0:
            report.ok(f"{label}: すべてクラス {expected} です")
        else:
            report.ng(f"{label}: {wrong} 点がクラス {expected} になっていません")
    got_in = results.get((0, len(inside)))
    got_out = results.get((1, len(outside)))
    got_far = results.get((1, len(far)))
    if got_far is not None and np.any(got_far == 0) and got_in is not None and np.all(got_in == 0):
        _hint(
            report, "遠くにクラス 0 が残っていて、領域が閉じていません。4 本の直線で四方を囲みます"
        )
    if got_in is not None and got_out is not None:
        if np.all(got_in == 1) and np.all(got_out == 0):
            _hint(report, "クラスが逆です。内側で s < 0、外側で s > 0 になるように符号を変えます")
        elif np.all(got_in == 1) and np.all(got_out == 1):
            _hint(
                report,
                "どこもクラス 1 です。内側で 4 つの h がどれも +1 に近いか、"
                "s = c - (h1 + h2 + h3 + h4) の c が 2 と 4 のあいだにあるかを確かめます",
            )
        elif np.all(got_in == 0) and np.all(got_out == 0):
            _hint(report, "どこもクラス 0 です。出力のバイアスを確かめます")
    return report.finish()


# ---------------------------------------------------------------- 第 11〜13 章 Keras（チェッカーは NumPy だけで確かめる）


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
