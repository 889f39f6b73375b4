"""第 6・7 章の演習チェッカー：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check
from nnbook.functions import cross_entropy_error as reference_cee
from nnbook.layers import Affine, ReLU, Sigmoid, SoftmaxWithLoss
from nnbook.networks import TwoLayerNet


def _todo(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- 第 6 章 交差エントロピー誤差


def _cee(y, t, delta=1e-7, divide=True, sign=-1.0):
    y, t = np.atleast_2d(y), np.atleast_2d(t)
    total = sign * np.sum(t * np.log(y + delta))
    return total / y.shape[0] if divide else total


def test_cross_entropy_checker_accepts_the_textbook_answer(capsys):
    assert check.cross_entropy_error(_cee)
    assert check.cross_entropy_error(reference_cee)
    assert "すべて正解" in capsys.readouterr().out


def test_cross_entropy_checker_reports_unimplemented(capsys):
    assert not check.cross_entropy_error(_todo)
    assert "まだ実装されていません" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda y, t: _cee(y, t, sign=1.0), "符号が逆"),
        (lambda y, t: _cee(y, t, divide=False), "N で割って"),
        (lambda y, t: -np.mean(t * np.log(y + 1e-7)), "np.mean"),
        (lambda y, t: None, "None"),
    ],
)
def test_cross_entropy_checker_explains_typical_mistakes(capsys, wrong, message):
    assert not check.cross_entropy_error(wrong)
    assert message in capsys.readouterr().out


def test_cross_entropy_checker_requires_the_log_zero_guard(capsys):
    def no_guard(y, t):
        with np.errstate(divide="ignore", invalid="ignore"):
            y, t = np.atleast_2d(y), np.atleast_2d(t)
            return -np.sum(t * np.log(y)) / y.shape[0]

    assert not check.cross_entropy_error(no_guard)
    assert "delta" in capsys.readouterr().out


def test_cross_entropy_checker_rejects_in_place_changes(capsys):
    def in_place(y, t):
        y += 1e-7
        return _cee(y, t, delta=0.0)

    assert not check.cross_entropy_error(in_place)
    assert "書き換えて" in capsys.readouterr().out


# ---------------------------------------------------------------- 第 6 章 ReLU レイヤ


class _TextbookReLU:
    """『ゼロから作る Deep Learning』と同じ書き方（dout をその場で書き換える）。"""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


def test_relu_layer_checker_accepts_correct_layers(capsys):
    assert check.relu_layer(ReLU)
    assert "すべて正解" in capsys.readouterr().out
    assert check.relu_layer(_TextbookReLU)
    assert "dout をその場で書き換えて" in capsys.readouterr().out


class _StrictMask(_TextbookReLU):
    def forward(self, x):
        self.mask = x < 0
        return np.maximum(0, x)


class _DoutSign(_TextbookReLU):
    def backward(self, dout):
        return np.maximum(0, dout)


class _InPlaceForward(_TextbookReLU):
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x


class _NoBackward:
    def forward(self, x):
        return np.maximum(0, x)


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (_StrictMask, "x <= 0"),
        (_DoutSign, "順伝播の x が正"),
        (_InPlaceForward, "x を書き換えて"),
        (_NoBackward, "backward がありません"),
    ],
)
def test_relu_layer_checker_explains_typical_mistakes(capsys, cls, message):
    assert not check.relu_layer(cls)
    assert message in capsys.readouterr().out


def test_relu_layer_checker_reports_unimplemented(capsys):
    class Todo:
        def forward(self, x):
            raise NotImplementedError

        def backward(self, dout):
            raise NotImplementedError

    assert not check.relu_layer(Todo)
    assert "まだ実装されていません" in capsys.readouterr().out


def test_relu_layer_checker_wants_a_class():
    with pytest.raises(TypeError, match="クラス"):
        check.relu_layer(ReLU())


# ---------------------------------------------------------------- 第 9 章 標準化


def _standardize(x_train, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, (x_test - mean) / std


def test_standardize_checker_accepts_training_statistics(capsys):
    assert check.standardize(_standardize)
    assert "すべて正解" in capsys.readouterr().out


def test_standardize_checker_accepts_scikit_learn(capsys):
    from sklearn.preprocessing import StandardScaler

    def with_sklearn(x_train, x_test):
        scaler = StandardScaler().fit(x_train)
        return scaler.transform(x_train), scaler.transform(x_test)

    assert check.standardize(with_sklearn)


def _own_stats(x_train, x_test):
    return _standardize(x_train, x_train)[0], _standardize(x_test, x_test)[0]


def _pooled(x_train, x_test):
    both = np.vstack([x_train, x_test])
    mean, std = both.mean(axis=0), both.std(axis=0)
    return (x_train - mean) / std, (x_test - mean) / std


def _no_axis(x_train, x_test):
    mean, std = x_train.mean(), x_train.std()
    return (x_train - mean) / std, (x_test - mean) / std


def _in_place(x_train, x_test):
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    x_test -= mean
    x_test /= std
    return (x_train - mean) / std, x_test


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_own_stats, "自分の平均と標準偏差"),
        (_pooled, "合わせた統計"),
        (_no_axis, "axis=0"),
        (_in_place, "書き換えて"),
        (lambda a, b: _standardize(a, b)[0], "2 つを return"),
        (_todo, "まだ実装されていません"),
    ],
)
def test_standardize_checker_explains_typical_mistakes(capsys, wrong, message):
    assert not check.standardize(wrong)
    assert message in capsys.readouterr().out


# ---------------------------------------------------------------- 第 9 章 格子点


def test_grid_points_checker_accepts_column_stack(capsys):
    assert check.grid_points(lambda xx, yy: np.column_stack([xx.ravel(), yy.ravel()]))
    assert check.grid_points(lambda xx, yy: np.c_[xx.ravel(), yy.ravel()])
    assert "すべて正解" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda xx, yy: np.vstack([xx.ravel(), yy.ravel()]), "(2, M)"),
        (lambda xx, yy: np.column_stack([yy.ravel(), xx.ravel()]), "列の順番が逆"),
        (
            lambda xx, yy: np.column_stack([xx.ravel(order="F"), yy.ravel(order="F")]),
            "並び順",
        ),
        (_todo, "まだ実装されていません"),
    ],
)
def test_grid_points_checker_explains_typical_mistakes(capsys, wrong, message):
    assert not check.grid_points(wrong)
    assert message in capsys.readouterr().out


# ---------------------------------------------------------------- 第 6 章 数値微分による勾配


def _central(f, x, h=1e-4):
    grad = np.zeros_like(x)
    for i in range(x.size):
        tmp = x[i]
        x[i] = tmp + h
        fxh1 = f(x)
        x[i] = tmp - h
        fxh2 = f(x)
        grad[i] = (fxh1 - fxh2) / (2 * h)
        x[i] = tmp
    return grad


def _forward_difference(f, x, h=1e-4):
    grad = np.zeros_like(x)
    fx = f(x)
    for i in range(x.size):
        tmp = x[i]
        x[i] = tmp + h
        grad[i] = (f(x) - fx) / h
        x[i] = tmp
    return grad


def _no_restore(f, x, h=1e-4):
    grad = np.zeros_like(x)
    for i in range(x.size):
        tmp = x[i]
        x[i] = tmp + h
        fxh1 = f(x)
        x[i] = tmp - h
        grad[i] = (fxh1 - f(x)) / (2 * h)
    return grad


def test_numerical_gradient_checker_accepts_central_difference(capsys):
    from nnbook.functions import numerical_gradient

    assert check.numerical_gradient(_central)
    assert check.numerical_gradient(numerical_gradient)
    assert "すべて正解" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_forward_difference, "前方差分"),
        (lambda f, x: 2 * _central(f, x), "2h で割ります"),
        (lambda f, x: 0.5 * _central(f, x), "幅は 2h"),
        (lambda f, x: _central(f, x, h=1e-50), "h が小さすぎる"),
        (_no_restore, "元の値に戻しましょう"),
        (lambda f, x: None, "None"),
        (lambda f, x: _central(f, x)[:1], "形が"),
        (_todo, "まだ実装されていません"),
    ],
)
def test_numerical_gradient_checker_explains_typical_mistakes(capsys, wrong, message):
    assert not check.numerical_gradient(wrong)
    assert message in capsys.readouterr().out


# ---------------------------------------------------------------- 第 7 章 Softmax-with-Loss の勾配


def _softmax(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_softmax_with_loss_grad_checker_accepts_y_minus_t_over_n(capsys):
    from nnbook.layers import SoftmaxWithLoss

    def with_layer(a, t):
        layer = SoftmaxWithLoss()
        layer.forward(a, t)
        return layer.backward()

    assert check.softmax_with_loss_grad(lambda a, t: (_softmax(a) - t) / a.shape[0])
    assert check.softmax_with_loss_grad(with_layer)
    assert "すべて正解" in capsys.readouterr().out


def _in_place_grad(a, t):
    a -= a.max(axis=1, keepdims=True)
    y = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    return (y - t) / a.shape[0]


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda a, t: _softmax(a) - t, "N で割っていません"),
        (lambda a, t: (t - _softmax(a)) / a.shape[0], "符号が逆"),
        (lambda a, t: (a - t) / a.shape[0], "ソフトマックス関数に通した"),
        (lambda a, t: -t / _softmax(a) / a.shape[0], "∂L/∂y"),
        (lambda a, t: (_softmax(a) - t)[0], "形が"),
        (_in_place_grad, "書き換えて"),
        (lambda a, t: None, "None"),
        (_todo, "まだ実装されていません"),
    ],
)
def test_softmax_with_loss_grad_checker_explains_typical_mistakes(capsys, wrong, message):
    assert not check.softmax_with_loss_grad(wrong)
    assert message in capsys.readouterr().out


# ---------------------------------------------------------------- 第 7 章 Affine レイヤの逆伝播


class _Affine:
    """本文の解答と同じ Affine レイヤ。"""

    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return x @ W + b

    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = np.sum(dout, axis=0)
        return dout @ W.T


def test_affine_backward_checker_accepts_the_solution_and_nnbook(capsys):
    assert check.affine_backward(_Affine)
    assert "すべて正解" in capsys.readouterr().out
    assert check.affine_backward(Affine)


class _ReplacesGrads(_Affine):
    def backward(self, dout):
        W, _ = self.params
        self.grads = [self.x.T @ dout, dout.sum(axis=0)]
        return dout @ W.T


class _BiasNotSummed(_Affine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1] = dout
        return dout @ W.T


class _BiasMean(_Affine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.mean(axis=0)
        return dout @ W.T


class _Accumulates(_Affine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] += self.x.T @ dout
        self.grads[1][...] += dout.sum(axis=0)
        return dout @ W.T


class _TransposedDW(_Affine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0] = dout.T @ self.x
        self.grads[1][...] = dout.sum(axis=0)
        return dout @ W.T


class _WrongDx(_Affine):
    def backward(self, dout):
        W, _ = self.params
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(axis=0)
        return dout @ W.T @ W @ W.T  # 形は合うが値が違う


class _NotWritten(_Affine):
    def backward(self, dout):
        return dout @ self.params[0].T


class _NoGrads:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return x @ self.W + self.b

    def backward(self, dout):
        return dout @ self.W.T


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (_ReplacesGrads, "入れ替えて"),
        (_BiasNotSummed, "axis=0"),
        (_BiasMean, "平均"),
        (_Accumulates, "足し込まず"),
        (_TransposedDW, "転置"),
        (_WrongDx, "dx（数値微分と比べる）: 値が違います"),
        (_NotWritten, "0 のまま"),
        (_NoGrads, "grads"),
    ],
)
def test_affine_backward_checker_explains_typical_mistakes(capsys, cls, message):
    assert not check.affine_backward(cls)
    assert message in capsys.readouterr().out


def test_affine_backward_checker_reports_unimplemented(capsys):
    class Todo(_Affine):
        def backward(self, dout):
            raise NotImplementedError

    assert not check.affine_backward(Todo)
    assert "まだ実装されていません" in capsys.readouterr().out


def test_affine_backward_checker_wants_a_class():
    with pytest.raises(TypeError, match="クラス"):
        check.affine_backward(_Affine(np.ones((2, 2)), np.zeros(2)))


# ---------------------------------------------------------------- 第 7 章 2 層のネットワークの勾配


class _Net:
    """本文の解答と同じ 2 層のネットワーク。"""

    affine = _Affine
    activation = Sigmoid

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, seed=0):
        rng = np.random.default_rng(seed)
        W1 = weight_init_std * rng.standard_normal((input_size, hidden_size))
        W2 = weight_init_std * rng.standard_normal((hidden_size, output_size))
        self.layers = [
            self.affine(W1, np.zeros(hidden_size)),
            self.activation(),
            self.affine(W2, np.zeros(output_size)),
        ]
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        return self.loss_layer.forward(self.predict(x), t)

    def backward(self, dout=1.0):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


def test_two_layer_gradient_checker_accepts_the_solution_and_nnbook(capsys):
    assert check.two_layer_gradient(_Net)
    assert "すべて正解" in capsys.readouterr().out
    assert check.two_layer_gradient(TwoLayerNet)


class _ReLUNet(_Net):
    activation = ReLU


class _CopiedParams(_Net):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.params = [p.copy() for p in self.params]


class _NoBackward(_Net):
    def backward(self, dout=1.0):
        return None


class _SummedLoss(_Net):
    def forward(self, x, t):
        return len(x) * super().forward(x, t)


class _GradsTimesN(_Net):
    def backward(self, dout=1.0):
        n = self.loss_layer.y.shape[0]
        return super().backward(dout * n)


class _ReplacingLayers(_Net):
    affine = _ReplacesGrads


@pytest.mark.parametrize(
    ("cls", "message"),
    [
        (_ReLUNet, "ReLU"),
        (_CopiedParams, "配列そのもの"),
        (_NoBackward, "0 のまま"),
        (_SummedLoss, "平均"),
        (_GradsTimesN, "N 倍"),
        (_ReplacingLayers, "0 のまま"),
    ],
)
def test_two_layer_gradient_checker_explains_typical_mistakes(capsys, cls, message):
    assert not check.two_layer_gradient(cls)
    assert message in capsys.readouterr().out


def test_two_layer_gradient_checker_reports_unimplemented(capsys):
    class Todo:
        def __init__(self, input_size, hidden_size, output_size):
            raise NotImplementedError

    assert not check.two_layer_gradient(Todo)
    assert "まだ実装されていません" in capsys.readouterr().out


def test_two_layer_gradient_checker_wants_a_class():
    with pytest.raises(TypeError, match="クラス"):
        check.two_layer_gradient(TwoLayerNet(2, 3, 2))


# ---------------------------------------------------------------- 第 9 章 正方形を囲む


def _square(x, k=5.0, sign=1.0, bias=3.0):
    theta = np.deg2rad([0, 90, 180, 270])
    W1 = -k * np.stack([np.cos(theta), np.sin(theta)])  # shape (2, 4)
    s = bias - np.tanh(x @ W1 + k).sum(axis=1)
    return (sign * s > 0).astype(int)


def test_square_region_checker_accepts_four_tanh_units(capsys):
    assert check.square_region(_square)
    assert check.square_region(lambda x: _square(x, k=20.0) == 1)  # bool のラベルでもよい
    assert "すべて正解" in capsys.readouterr().out


def test_square_region_checker_accepts_the_exact_rule():
    assert check.square_region(lambda x: (np.abs(x).max(axis=1) >= 1).astype(int))


def _triangle(x):
    theta = np.deg2rad([90, 210, 330])
    W1 = -5.0 * np.stack([np.cos(theta), np.sin(theta)])
    return (2.0 - np.tanh(x @ W1 + 5.0).sum(axis=1) > 0).astype(int)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda x: _square(x, sign=-1.0), "クラスが逆"),
        (lambda x: _square(x, bias=5.0), "どこもクラス 1"),
        (lambda x: _square(x, bias=-1.0), "どこもクラス 0"),
        (lambda x: (np.abs(x[:, 0]) > 1).astype(int), "閉じていません"),
        (_triangle, "クラス 1 になっていません"),
        (lambda x: 2.0 - np.tanh(x).sum(axis=1), "0 か 1"),
        (lambda x: _square(x)[:, None], "形が"),
        (lambda x: None, "None"),
        (_todo, "まだ実装されていません"),
    ],
)
def test_square_region_checker_explains_typical_mistakes(capsys, wrong, message):
    assert not check.square_region(wrong)
    assert message in capsys.readouterr().out


def test_square_region_checker_wants_a_function():
    with pytest.raises(TypeError, match="関数"):
        check.square_region(np.zeros(3))
