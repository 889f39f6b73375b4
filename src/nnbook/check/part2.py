"""第 II 部（第 6〜10 章）の演習のチェッカー：NumPy で学習する。"""

import numpy as np

from ._harness import (
    _array,
    _call,
    _close,
    _hint,
    _matches,
    _number,
    _Report,
    _require_callable,
    _result,
    _same_array,
)

__all__ = [
    "cross_entropy_error",
    "relu_layer",
    "numerical_gradient",
    "softmax_with_loss_grad",
    "adam_update",
    "standardize",
    "grid_points",
    "square_region",
]

# ---------------------------------------------------------------- 第 6〜7 章 学習


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
