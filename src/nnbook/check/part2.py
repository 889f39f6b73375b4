"""第 II 部（第 6〜10 章）の演習のチェッカー：NumPy で学習する。"""

import numpy as np

from ._harness import (
    _array,
    _call,
    _close,
    _describe,
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
    "affine_backward",
    "two_layer_gradient",
    "adam_update",
    "standardize",
    "grid_points",
    "square_region",
    "im2col",
    "max_pool_backward",
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


# ---------------------------------------------------------------- 第 7 章 Affine レイヤと 2 層のネットワーク


def _attr(obj, name):
    """obj.name を返す。なければ（または取り出しで例外が出たら）None。"""
    try:
        return getattr(obj, name, None)
    except Exception:  # 学習者の property が壊れていても止まらない
        return None


def _require_class(cls):
    if not isinstance(cls, type):
        raise TypeError(f"cls はチェックするクラスです（{type(cls).__name__} が渡されました）")


def _relative_error(a, b):
    """‖a − b‖ / (‖a‖ + ‖b‖)（両方 0 なら 0）。"""
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denom == 0 else float(np.linalg.norm(a - b) / denom)


def _numerical_grad(f, x, h=1e-4):
    """中心差分による f() の x についての勾配。x の要素をその場で動かし、元に戻す。

    f が例外を出すか数を返さなければ None。
    """
    grad = np.zeros(x.shape)
    flat, out = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        tmp = flat[i]
        try:
            flat[i] = tmp + h
            f1 = float(f())
            flat[i] = tmp - h
            f2 = float(f())
        except Exception:  # 学習者の forward がどこかで失敗したら、勾配は求めない
            return None
        finally:
            flat[i] = tmp
        out[i] = (f1 - f2) / (2 * h)
    return grad


def _array_list(report, label, value, shapes):
    """value が shapes の形の浮動小数点の ndarray を並べたリストかを調べる。違えば × で None。"""
    want = "、".join(str(s) for s in shapes)
    if not isinstance(value, (list, tuple)) or len(value) != len(shapes):
        report.ng(f"{label} は形 {want} の配列を {len(shapes)} つ並べたリストにします")
        return None
    for k, (arr, shape) in enumerate(zip(value, shapes)):
        if not isinstance(arr, np.ndarray) or arr.shape != shape:
            got = arr.shape if isinstance(arr, np.ndarray) else type(arr).__name__
            report.ng(f"{label}[{k}] が {got} です。形 {shape} の ndarray にします")
            return None
        if not np.issubdtype(arr.dtype, np.floating):
            report.ng(f"{label}[{k}] の dtype が {arr.dtype} です。浮動小数点の配列にします")
            return None
    return list(value)


def affine_backward(cls):
    """cls が Affine レイヤ（``cls(W, b)``、``forward(x)``、``backward(dout)``）かを調べる。

    W は shape (D, H)、b は shape (H,)、x は shape (N, D)、dout は shape (N, H)。
    ``backward`` が dx（x と同じ形）を返し、``grads`` の 2 つの配列 dW・db に勾配を書き込むことを、
    数値微分で求めた勾配と比べて確かめる。``grads`` の配列を入れ替えた（書き込まずに
    新しい配列にした）とき、勾配を足し込んだときも × で知らせる。
    """
    _require_class(cls)
    report = _Report("Affine レイヤの逆伝播")
    rng = np.random.default_rng(72)
    N, D, H = 4, 3, 2  # D と H を変えて、転置の間違いが形に出るようにする
    W, b = rng.normal(size=(D, H)), rng.normal(size=H)
    x, dout = rng.normal(size=(N, D)), rng.normal(size=(N, H))
    layer, _ = _call(report, cls, W.copy(), b.copy())
    if layer is None:
        return report.finish()
    for method in ("forward", "backward"):
        if not callable(_attr(layer, method)):
            report.ng(f"メソッド {method} がありません")
    grads = _array_list(report, "grads（作った直後）", _attr(layer, "grads"), [(D, H), (H,)])
    if report.failed:
        return report.finish()
    out, _ = _call(report, layer.forward, x.copy())
    if out is None or not _matches(report, "forward（x W + b）", out, x @ W + b):
        return report.finish()
    dout_in = dout.copy()
    dx, _ = _call(report, layer.backward, dout_in)
    if report.failed:
        return report.finish()

    # 数値微分：L = Σ (x W + b) * dout なら ∂L/∂out = dout
    xs, Ws, bs = x.copy(), W.copy(), b.copy()

    def surrogate():
        return np.sum((xs @ Ws + bs) * dout)

    numerical = {
        "dx": _numerical_grad(surrogate, xs),
        "dW": _numerical_grad(surrogate, Ws),
        "db": _numerical_grad(surrogate, bs),
    }
    if not _matches(report, "dx（数値微分と比べる）", dx, numerical["dx"]):
        got = _array(dx)
        if got is not None and got.shape != x.shape:
            _hint(report, "dx は x と同じ形 (N, D) です。dout (N, H) に Wᵀ (H, D) を右から掛けます")
    after = _attr(layer, "grads")
    new = _array_list(report, "grads（backward のあと）", after, [(D, H), (H,)])
    if new is None:
        got = _array(after[1]) if isinstance(after, (list, tuple)) and len(after) == 2 else None
        if got is not None and got.shape == (N, H):
            _hint(report, "db がサンプルごとのままです。バッチの軸（axis=0）で和をとります")
        elif isinstance(after, (list, tuple)) and len(after) == 2:
            got = _array(after[0])
            if got is not None and got.shape == (H, D):
                _hint(report, "dW が転置になっています。W と同じ形 (D, H) の xᵀ dout にします")
        return report.finish()
    dW_ok = _matches(report, "dW（数値微分と比べる）", new[0], numerical["dW"])
    db_ok = _matches(report, "db（数値微分と比べる）", new[1], numerical["db"])
    if not dW_ok and _close(new[0], 0.0 * W):
        _hint(report, "dW が 0 のままです。self.grads[0][...] = ... で書き込みましょう")
    if not db_ok:
        if _close(new[1], numerical["db"] / N):
            _hint(report, "db が平均になっています。N で割らずに和をとります")
        elif _close(new[1], 0.0 * b):
            _hint(report, "db が 0 のままです。self.grads[1][...] = ... で書き込みましょう")
    if dW_ok and db_ok and not (new[0] is grads[0] and new[1] is grads[1]):
        report.ng(
            "grads の配列を新しいものに入れ替えています。ネットワークの grads は最初の配列を指しているので、"
            "self.grads[0][...] = dW のように、最初からある配列に書き込みましょう"
        )
    if dW_ok and db_ok:
        _call(report, layer.forward, x.copy())
        _call(report, layer.backward, dout.copy())
        again = _attr(layer, "grads")
        if (
            isinstance(again, (list, tuple))
            and len(again) == 2
            and _close(again[0], 2 * numerical["dW"])
        ):
            report.ng(
                "2 回目の backward で勾配が 2 倍になりました。+= で足し込まず、= で書き込みます"
            )
    if not np.array_equal(dout_in, dout):
        report.note(
            "backward が dout を書き換えています。呼び出し側の配列が変わるので、新しい配列を使いましょう"
        )
    return report.finish()


def _two_layer_reference(params, x, t, activation="sigmoid"):
    """Affine → 活性化関数 → Affine → Softmax-with-Loss の損失と勾配 [dW1, db1, dW2, db2]。"""
    W1, b1, W2, b2 = params
    a1 = x @ W1 + b1
    z1 = 1 / (1 + np.exp(-a1)) if activation == "sigmoid" else np.maximum(0, a1)
    y = _softmax_rows(z1 @ W2 + b2)
    n = x.shape[0]
    loss = float(-np.sum(t * np.log(y)) / n)
    da2 = (y - t) / n
    dz1 = da2 @ W2.T
    da1 = dz1 * z1 * (1 - z1) if activation == "sigmoid" else dz1 * (a1 > 0)
    return loss, [x.T @ da1, da1.sum(axis=0), z1.T @ da2, da2.sum(axis=0)]


def two_layer_gradient(cls):
    """cls が 2 層のネットワーク（Affine → Sigmoid → Affine → Softmax-with-Loss）かを調べる。

    ``cls(input_size=D, hidden_size=H, output_size=K)`` を作り、``params`` と ``grads`` が
    ``[W1, b1, W2, b2]``（shape (D, H)、(H,)、(H, K)、(K,)）と並ぶこと、``forward(x, t)``
    （x は shape (N, D)、t は one-hot shape (N, K)）が損失（バッチの平均）を返すこと、
    ``backward()`` のあとの ``grads`` が数値微分で求めた勾配と一致すること（勾配確認）を確かめる。
    """
    _require_class(cls)
    report = _Report("2 層のネットワークの勾配（勾配確認）")
    rng = np.random.default_rng(73)
    D, H, K, N = 3, 5, 4, 6
    shapes = [(D, H), (H,), (H, K), (K,)]
    net, _ = _call(report, lambda: cls(input_size=D, hidden_size=H, output_size=K))
    if net is None:
        return report.finish()
    for method in ("forward", "backward"):
        if not callable(_attr(net, method)):
            report.ng(f"メソッド {method} がありません")
    params = _array_list(report, "params", _attr(net, "params"), shapes)
    if report.failed:
        return report.finish()
    # 小さな初期値のままでは違いが見えにくいので、レイヤの重みそのものに大きめの値を入れる
    try:
        for p in params:
            p[...] = rng.normal(scale=0.8, size=p.shape)
    except Exception as exc:  # 書き込めない配列（読み取り専用など）
        report.ng(f"params の配列に書き込めません（{_describe(exc)}）")
        return report.finish()
    x = rng.normal(size=(N, D))
    t = np.eye(K)[rng.integers(0, K, size=N)]
    values = [p.copy() for p in params]
    loss_ref, grads_ref = _two_layer_reference(values, x, t)
    loss, _ = _call(report, net.forward, x.copy(), t.copy())
    value = None if loss is None else _number(report, "forward の損失", loss)
    if value is None:
        return report.finish()
    if np.isclose(value, loss_ref, atol=1e-5):
        report.ok(f"forward の損失: {value:.4f}")
    else:
        report.ng(f"forward の損失が違います（得られた値 {value:.4f}）")
        if np.isclose(value, loss_ref * N, atol=1e-4):
            _hint(
                report,
                "バッチの和になっています。損失はサンプルの平均です（SoftmaxWithLoss を使いましょう）",
            )
        elif np.isclose(value, _two_layer_reference(values, x, t, "relu")[0], atol=1e-5):
            _hint(
                report,
                "隠れ層の活性化関数が ReLU です。ここではシグモイド関数（Sigmoid）を使います",
            )
        else:
            _hint(
                report,
                "params がレイヤの重みの配列そのものを指しているか、"
                "Affine → Sigmoid → Affine → SoftmaxWithLoss の順か確かめましょう",
            )
        return report.finish()
    _call(report, net.backward)
    if report.failed:
        return report.finish()
    grads = _array_list(report, "grads", _attr(net, "grads"), shapes)
    if grads is None:
        return report.finish()

    def loss_now():
        return net.forward(x.copy(), t.copy())

    hinted = set()
    for name, p, g, g_ref in zip(["W1", "b1", "W2", "b2"], params, grads, grads_ref):
        numerical = _numerical_grad(loss_now, p)
        if numerical is None:
            report.ng(f"{name}: 数値微分の途中で forward が失敗しました")
            continue
        err = _relative_error(g, numerical)
        if err < 1e-6:
            report.ok(f"{name}: 逆伝播と数値微分の相対誤差 {err:.0e}")
            continue
        report.ng(f"{name}: 逆伝播と数値微分が一致しません（相対誤差 {err:.1e}）")
        if np.allclose(g, 0.0) and "zero" not in hinted:
            hinted.add("zero")
            _hint(
                report,
                "勾配が 0 のままです。backward で SoftmaxWithLoss から後ろ向きに各レイヤの backward を呼び、"
                "grads がレイヤの grads の配列そのものを指しているか確かめましょう",
            )
        elif np.allclose(g, N * g_ref) and "sum" not in hinted:
            hinted.add("sum")
            _hint(
                report,
                "勾配が N 倍です。SoftmaxWithLoss の backward（(y − t) / N）から始めましょう",
            )
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


# ---------------------------------------------------------------- 第 10 章 畳み込み（im2col とプーリング）


def _im2col_reference(x, fh, fw, stride, pad):
    N, C, H, W = x.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    oh, ow = (H + 2 * pad - fh) // stride + 1, (W + 2 * pad - fw) // stride + 1
    return np.array(
        [
            xp[n, :, i * stride : i * stride + fh, j * stride : j * stride + fw].ravel()
            for n in range(N)
            for i in range(oh)
            for j in range(ow)
        ]
    )


def im2col(func):
    """func(x, filter_h, filter_w, stride, pad) が im2col の結果を返すかを調べる。

    x は shape (N, C, H, W)。戻り値は shape (N·OH·OW, C·filter_h·filter_w) で、行は (n, i, j)、
    列は (c, p, q) の順（窓の中身を ``window.ravel()`` で並べたもの）。
    """
    _require_callable(func)
    report = _Report("im2col(x, filter_h, filter_w, stride, pad)")
    x3 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    two_channels = np.stack([x3[0, 0], 10 * x3[0, 0]])[None]
    two_images = np.concatenate([x3, -x3])
    x4 = np.arange(1.0, 17.0).reshape(1, 1, 4, 4)
    x2 = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    cases = [
        ("3×3 の画像 1 枚、窓 2×2", x3, 2, 2, 1, 0),
        ("2 チャンネル、窓 2×2", two_channels, 2, 2, 1, 0),
        ("画像 2 枚、窓 2×2", two_images, 2, 2, 1, 0),
        ("4×4、窓 2×2、ストライド 2", x4, 2, 2, 2, 0),
        ("2×2、窓 2×2、ストライド 2、パディング 1", x2, 2, 2, 2, 1),
        ("4×4、窓 3×2、ストライド 1", x4, 3, 2, 1, 0),
    ]
    for label, x, fh, fw, stride, pad in cases:
        copy = x.copy()
        out, _ = _call(report, func, copy, fh, fw, stride, pad)
        if out is None and report.failed:
            break
        expected = _im2col_reference(x, fh, fw, stride, pad)
        got = _array(out)
        if not _same_array(report, label, out, expected):
            if got is not None and got.shape == expected.T.shape:
                _hint(
                    report,
                    "行と列が逆です。1 つの窓が 1 行（列の数は C × filter_h × filter_w）です",
                )
            elif _close(out, _im2col_reference(x, fh, fw, 1, pad)):
                _hint(report, "stride を使っていません。窓の左上は i × stride, j × stride です")
            elif pad and got is not None and got.shape[:1] != expected.shape[:1]:
                _hint(
                    report, "パディングを足していません。np.pad で上下左右に pad ずつ 0 を足します"
                )
            elif (
                got is not None
                and got.shape == expected.shape
                and _close(np.sort(got, axis=1), np.sort(expected, axis=1))
            ):
                _hint(
                    report,
                    "各行の値はそろっていますが、並びが違います。窓 window は shape (C, filter_h, "
                    "filter_w) のまま window.ravel() で並べます（チャンネル → 行 → 列の順）",
                )
            elif (
                got is not None
                and got.shape == expected.shape
                and _close(np.sort(got, axis=0), np.sort(expected, axis=0))
            ):
                _hint(report, "行の順番が違います。画像 n → 出力の行 i → 列 j の順に並べます")
        if not np.array_equal(copy, x):
            report.ng(f"{label}: 入力 x を書き換えています")
    return report.finish()


def _pool_backward_reference(x, dout):
    dx = np.zeros_like(x)
    for i in range(dout.shape[0]):
        for j in range(dout.shape[1]):
            window = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            p, q = np.unravel_index(np.argmax(window), window.shape)
            dx[2 * i + p, 2 * j + q] = dout[i, j]
    return dx


def max_pool_backward(func):
    """func(x, dout) が 2×2・ストライド 2 の最大値プーリングの逆伝播 dx を返すかを調べる。

    x は shape (H, W)（H・W は偶数）、dout は shape (H/2, W/2)。dx は x と同じ形で、各窓の最大値の
    位置にだけ dout の値が入り、ほかは 0。
    """
    _require_callable(func)
    report = _Report("最大値プーリングの逆伝播 max_pool_backward(x, dout)")
    rng = np.random.default_rng(0)
    cases = [
        ("2×2 の入力", np.array([[1.0, 5.0], [3.0, 2.0]]), np.array([[7.0]])),
        (
            "4×4 の入力",
            np.array(
                [
                    [1.0, 2.0, 0.0, -1.0],
                    [4.0, 3.0, -2.0, -3.0],
                    [0.5, 0.0, 6.0, 8.0],
                    [0.0, 0.7, 7.0, 5.0],
                ]
            ),
            np.array([[1.0, -2.0], [3.0, 0.5]]),
        ),
        ("4×6 の入力", rng.permutation(24).reshape(4, 6) / 4.0 - 2.0, rng.normal(size=(2, 3))),
    ]
    for label, x, dout in cases:
        x_in, dout_in = x.copy(), dout.copy()
        out, _ = _call(report, func, x_in, dout_in)
        if out is None and report.failed:
            break
        expected = _pool_backward_reference(x, dout)
        if not _same_array(report, label, out, expected):
            spread = np.kron(dout, np.ones((2, 2)))
            if _close(out, spread / 4):
                _hint(
                    report,
                    "勾配を窓の 4 つに等しく配っています（平均値プーリングの逆伝播）。"
                    "最大値プーリングでは、最大値だった位置にだけ流します",
                )
            elif _close(out, spread):
                _hint(report, "勾配を窓の 4 つすべてに流しています。最大値だった位置にだけ流します")
            elif _close(out, _pool_backward_reference(-x, dout)):
                _hint(report, "最小値の位置に流しています。np.argmax を使います")
            elif _close(
                out,
                (
                    x
                    == np.kron(
                        x.reshape(x.shape[0] // 2, 2, -1, 2).max(axis=(1, 3)), np.ones((2, 2))
                    )
                )
                * 1.0,
            ):
                _hint(
                    report,
                    "dout を掛けていません。最大値の位置に入れるのは 1 ではなく dout[i, j] です",
                )
        if not (np.array_equal(x_in, x) and np.array_equal(dout_in, dout)):
            report.ng(f"{label}: 入力の x か dout を書き換えています")
    return report.finish()
