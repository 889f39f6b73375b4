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
    "relu_layer",
    "standardize",
    "grid_points",
    "mlp_param_count",
    "conv_output_size",
    "make_windows",
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


# ---------------------------------------------------------------- 第 6〜7 章 学習


def _number(report, label, out):
    """out が数 1 つなら float にして返す。そうでなければ report に記録して None。"""
    if out is None:
        report.ng(f"{label}: 戻り値が None です（return を忘れていませんか）")
        return None
    value = np.asarray(out)
    if value.shape != () or not np.issubdtype(value.dtype, np.number):
        report.ng(f"{label}: 数を 1 つ返してください（形 {value.shape} が返りました）")
        return None
    return float(value)


def _matches(report, label, got, expected, atol=1e-6):
    """got が expected と同じ形・同じ値かを記録する（値の全体は表示しない）。"""
    if got is None:
        report.ng(f"{label}: 戻り値が None です（return を忘れていませんか）")
        return False
    got = np.asarray(got)
    if got.shape != expected.shape:
        report.ng(f"{label}: 形が {got.shape} です。形 {expected.shape} の配列を返してください")
        return False
    if not np.issubdtype(got.dtype, np.number) or not np.all(np.isfinite(got)):
        report.ng(f"{label}: 数値の配列ではないか、nan か inf が含まれています")
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
        raise TypeError(f"チェックするのはクラスです（{type(cls).__name__} が渡されました）")
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
            got = np.asarray(dx)
            if got.shape == x.shape and np.allclose(got, np.where(x >= 0, dout, 0.0)):
                _hint(report, "x = 0 の要素にも勾配を通しています。x <= 0 の要素を 0 にします")
            elif got.shape == x.shape and np.allclose(got, np.maximum(0, dout)):
                _hint(
                    report, "dout の正負で決めています。順伝播の x が正だったところを覚えて使います"
                )
        if not np.array_equal(dout_in, dout):
            report.note(
                "backward が dout をその場で書き換えています。値は合っていますが、"
                "呼び出し側の配列が変わるので、新しい配列を返す書き方が安全です"
            )
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
        got = np.asarray(got_test) if got_test is not None else None
        own = (x_test - x_test.mean(axis=0)) / x_test.std(axis=0)
        both = np.vstack([x_train, x_test])
        pooled = (x_test - both.mean(axis=0)) / both.std(axis=0)
        if got is not None and got.shape == x_test.shape:
            if np.allclose(got, own):
                _hint(
                    report,
                    "テストデータを自分の平均と標準偏差で標準化しています。"
                    "テストデータの統計は学習に使えないので、訓練データの値を使います",
                )
            elif np.allclose(got, pooled):
                _hint(
                    report, "訓練とテストを合わせた統計を使っています。訓練データだけの値を使います"
                )
            elif np.allclose(got, (x_test - x_train.mean()) / x_train.std()):
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
        got = np.asarray(out) if out is not None else None
        if got is not None and got.shape == (2, xx.size):
            _hint(
                report, "形が (2, M) です。1 行が 1 点になるよう np.column_stack か .T を使います"
            )
        elif got is not None and got.shape == expected.shape:
            if np.allclose(got, expected[:, ::-1]):
                _hint(report, "列の順番が逆です。1 列目が横軸 x1（xx）、2 列目が縦軸 x2（yy）です")
            elif np.allclose(np.sort(got, axis=0), np.sort(expected, axis=0)):
                _hint(report, "点の並び順が違います。xx.ravel() と yy.ravel() を同じ順番で並べます")
    return report.finish()


# ---------------------------------------------------------------- 第 10〜12 章 Keras（チェッカーは NumPy だけで確かめる）


def _integer(report, label, out):
    """out が整数 1 つなら int にして返す。そうでなければ report に記録して None。"""
    if out is None:
        report.ng(f"{label}: 戻り値が None です（return を忘れていませんか）")
        return None
    value = np.asarray(out)
    if value.shape != () or not np.issubdtype(value.dtype, np.number):
        report.ng(f"{label}: 整数を 1 つ返してください（形 {value.shape} が返りました）")
        return None
    if float(value) != int(value):
        report.ng(f"{label}: 整数ではありません（{float(value)}）。割り算は // を使います")
        return None
    return int(value)


# ---------------------------------------------------------------- 第 10 章 Keras で多層パーセプトロン


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


# ---------------------------------------------------------------- 第 11 章 畳み込みニューラルネットワーク


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


# ---------------------------------------------------------------- 第 12 章 再帰型ニューラルネットワーク


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
    x, y = (None if v is None else np.asarray(v) for v in out)
    label = f"series = {series.tolist()}, window = {window} の x"
    if not _same_array(report, label, x, expected_x) and x is not None:
        if x.shape == (M, window):
            _hint(
                report,
                "x の形が (M, window) です。RNN の入力は (系列, 時刻, 特徴) なので x[..., None] を付けます",
            )
        elif x.shape[:1] == (M + 1,):
            _hint(
                report, "窓が 1 つ多いです。最後の窓の直後にも目標の値が必要です（M = L - window）"
            )
    if not _same_array(report, "目標 y（窓の直後の値）", y, expected_y):
        if (
            y is not None
            and y.shape == expected_y.shape
            and np.allclose(y, series[window - 1 : -1])
        ):
            _hint(report, "y が窓の最後の値です。目標は窓の「次」の値（答えを入力に含めない）です")
    if not np.array_equal(copy, series):
        report.ng("series を書き換えています。新しい配列を返してください")
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
        W, m, v = (np.asarray(a, dtype=float) for a in res)
        if W.shape != (2, 2) or m.shape != (2, 2) or v.shape != (2, 2):
            report.ng(f"W, m, v は入力と同じ形 (2, 2) で返してください（W の形 {W.shape}）")
            return None
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
