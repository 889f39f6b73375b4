"""性質のテスト（Hypothesis）：チェッカーは学習者の関数が何を返しても、何を投げても止まらない。

- 悪い答え（None、NaN・inf、文字列、長さのそろわないリスト、正しい形の文字列の配列、複素数、
  例外、壊れた例外）には passed=False と × の行で答え、関係のない例外を出さない。
- 正しい答えは、NumPy のスカラー型・float32・リストで返しても受け入れる。
"""

import contextlib
import io

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nnbook import check, generative, inference, sequences
from nnbook import functions as F
from nnbook.im2col import im2col as _im2col
from nnbook.layers import Pooling
from nnbook.networks import TwoLayerNet


class BrokenError(Exception):
    """__str__ まで壊れた例外（学習者が自作したもの）。"""

    def __str__(self):
        raise RuntimeError("壊れた __str__")


class NoArray:
    """配列にしようとすると例外を出すもの。"""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("配列にできません")

    def __len__(self):
        raise RuntimeError("長さもありません")


CONSTANTS = [
    None,
    np.nan,
    np.inf,
    -np.inf,
    "abc",
    b"x",
    [[1.0, 2.0], [3.0]],  # 長さのそろわないリスト
    {"a": 1},
    object(),
    NoArray(),
    1 + 2j,
    (),
    np.array([]),
    np.array(["a", "b"]),
    np.array([1, None], dtype=object),
    (x for x in range(3)),
]
EXCEPTIONS = [
    ValueError("x"),
    ZeroDivisionError(),
    KeyError("W1"),
    BrokenError(),
    NotImplementedError(),
]


def _shaped(fill, args):
    """最初の引数と同じ形で、中身が fill の配列（正しい形の間違った答え）。"""
    shape = np.shape(args[0]) if args and isinstance(args[0], np.ndarray) else (3,)
    return np.full(shape, fill, dtype=object if fill is None else None)


@st.composite
def wrong_answers(draw, pair=False):
    """学習者の、正しくない関数。pair=True なら (a, b) の 2 つを返すべき関数の間違い方も含める。"""
    kind = draw(st.sampled_from(["constant", "shaped", "raise", "echo", "pair"]))
    if kind == "constant":
        value = draw(st.sampled_from(CONSTANTS))
        return lambda *args: value
    if kind == "shaped":
        fill = draw(st.sampled_from(["x", np.nan, np.inf, None, 1 + 1j]))
        return lambda *args: _shaped(fill, args)
    if kind == "raise":
        exc = draw(st.sampled_from(EXCEPTIONS))

        def raising(*args):
            raise exc

        return raising
    if kind == "echo":  # 入力をそのまま返す
        return lambda *args: args[0]
    parts = draw(st.lists(st.sampled_from([*CONSTANTS[:9], "shaped"]), min_size=1, max_size=3))
    if pair and len(parts) == 2 and draw(st.booleans()):
        parts = ["shaped", draw(st.sampled_from(CONSTANTS[:9]))]
    return lambda *args: tuple(_shaped("x", args) if p == "shaped" else p for p in parts)


FUNCTION_CHECKERS = [
    check.and_gate,
    check.nand_gate,
    check.or_gate,
    check.xor_gate,
    check.step_function,
    check.sigmoid,
    check.relu,
    check.forward,
    check.softmax,
    check.accuracy,
    check.cross_entropy_error,
    check.numerical_gradient,
    check.softmax_with_loss_grad,
    check.standardize,
    check.square_region,
    check.grid_points,
    check.mlp_param_count,
    check.conv_output_size,
    check.im2col,
    check.max_pool_backward,
    check.make_windows,
    check.high_quality_share,
    check.adam_update,
]


def run_quietly(checker, func):
    """checker(func) を呼び、(結果, 表示された文字列) を返す。"""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = checker(func)
    return result, out.getvalue()


def _raise(exc):
    def raising(*args):
        raise exc

    return raising


#: issue 16 の例：どのチェッカーでも必ず試す答え（NaN・inf・長さのそろわないリスト・
#: 正しい形の文字列の配列・None・例外・__str__ の壊れた例外）
ISSUE_EXAMPLES = [
    lambda *args: np.nan,
    lambda *args: np.inf,
    lambda *args: [[1.0, 2.0], [3.0]],
    lambda *args: _shaped("x", args),
    lambda *args: None,
    _raise(ValueError("x")),
    _raise(BrokenError()),
]


def _with_examples(test):
    for func in ISSUE_EXAMPLES:
        test = example(func=func)(test)
    return test


@pytest.mark.parametrize("checker", FUNCTION_CHECKERS, ids=lambda c: c.__name__)
@settings(max_examples=12)
@_with_examples
@given(func=wrong_answers(pair=True))
def test_checkers_answer_any_wrong_function_with_a_cross(checker, func):
    result, printed = run_quietly(checker, func)
    assert result.passed is False and not result, printed
    assert "  × " in printed, printed


@settings(max_examples=50)
@given(
    init=st.sampled_from(["ok", "raise"]),
    forward=wrong_answers(),
    backward=wrong_answers(),
    missing=st.sampled_from([None, "forward", "backward"]),
)
def test_relu_layer_checker_answers_any_wrong_class_with_a_cross(init, forward, backward, missing):
    def __init__(self):
        if init == "raise":
            raise ValueError("init")

    body = {
        "__init__": __init__,
        "forward": lambda self, x: forward(x),
        "backward": lambda self, d: backward(d),
    }
    if missing:
        del body[missing]
    cls = type("MyReLU", (), body)
    result, printed = run_quietly(check.relu_layer, cls)
    assert result.passed is False, printed
    assert "  × " in printed, printed


GRADS_LIKE = [None, "grads", [], [None, None], [np.zeros((3, 2))], (np.zeros(2), np.zeros(2))]


@settings(max_examples=50)
@given(
    init=st.sampled_from(["ok", "raise"]),
    grads=st.sampled_from(GRADS_LIKE),
    forward=wrong_answers(),
    backward=wrong_answers(),
    missing=st.sampled_from([None, "forward", "backward"]),
)
def test_affine_backward_checker_answers_any_wrong_class_with_a_cross(
    init, grads, forward, backward, missing
):
    def __init__(self, W, b):
        if init == "raise":
            raise ValueError("init")
        self.grads = grads

    body = {
        "__init__": __init__,
        "forward": lambda self, x: forward(x),
        "backward": lambda self, d: backward(d),
    }
    if missing:
        del body[missing]
    cls = type("MyAffine", (), body)
    result, printed = run_quietly(check.affine_backward, cls)
    assert result.passed is False, printed
    assert "  × " in printed, printed


@settings(max_examples=50)
@given(
    init=st.sampled_from(["ok", "raise", "no-args"]),
    params=st.sampled_from([*GRADS_LIKE, "right-shapes"]),
    forward=wrong_answers(),
    backward=wrong_answers(),
    missing=st.sampled_from([None, "forward", "backward"]),
)
def test_two_layer_gradient_checker_answers_any_wrong_class_with_a_cross(
    init, params, forward, backward, missing
):
    def __init__(self, input_size, hidden_size, output_size):
        if init == "raise":
            raise KeyError("W1")
        shapes = [(input_size, hidden_size), (hidden_size,), (hidden_size, output_size)]
        shapes.append((output_size,))
        self.params = [np.zeros(s) for s in shapes] if params == "right-shapes" else params
        self.grads = [np.zeros(s) for s in shapes]

    body = {
        "__init__": __init__ if init != "no-args" else (lambda self: None),
        "forward": lambda self, x, t: forward(x, t),
        "backward": lambda self: backward(0.0),
    }
    if missing:
        del body[missing]
    cls = type("MyTwoLayerNet", (), body)
    result, printed = run_quietly(check.two_layer_gradient, cls)
    assert result.passed is False, printed
    assert "  × " in printed, printed


# ---------------------------------------------------------------- 正しい答えは、どの数値型で返しても通る


class ReLULayer:
    def forward(self, x):
        self.mask = x <= 0
        return np.where(self.mask, 0.0, x)

    def backward(self, dout):
        return np.where(self.mask, 0.0, dout)


def _standardize(a, b):
    mean, std = a.mean(axis=0), a.std(axis=0)
    return (a - mean) / std, (b - mean) / std


def _square_region(points):
    # 4 つの tanh の直線で正方形 |x|, |y| < 1 を囲む（正方形の内側がクラス 0）
    x, y = points[:, 0], points[:, 1]
    inside = (np.abs(x) < 1) & (np.abs(y) < 1)
    return np.where(inside, 0, 1)


def _adam(W, g, m, v, t, lr, beta1, beta2, eps):
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return W - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _pool_backward(x, dout):
    layer = Pooling(2, 2, stride=2)
    layer.forward(np.asarray(x)[None, None])
    return layer.backward(np.asarray(dout)[None, None])[0, 0]


RIGHT_ANSWERS = {
    check.and_gate: lambda a, b: int(a and b),
    check.nand_gate: lambda a, b: int(not (a and b)),
    check.or_gate: lambda a, b: int(a or b),
    check.xor_gate: lambda a, b: int(a != b),
    check.step_function: lambda x: (x > 0).astype(int),
    check.sigmoid: lambda x: np.exp(-np.logaddexp(0.0, -x)),
    check.relu: lambda x: np.maximum(0.0, x),
    check.forward: inference.forward,
    check.softmax: F.softmax,
    check.accuracy: lambda y, t: np.mean(np.argmax(y, axis=1) == t),
    check.cross_entropy_error: lambda y, t: (
        -np.sum(t * np.log(y + 1e-7)) / np.atleast_2d(y).shape[0]
    ),
    check.numerical_gradient: F.numerical_gradient,
    check.softmax_with_loss_grad: lambda a, t: (F.softmax(a) - t) / np.atleast_2d(a).shape[0],
    check.standardize: _standardize,
    check.square_region: _square_region,
    check.grid_points: lambda xx, yy: np.column_stack([xx.ravel(), yy.ravel()]),
    check.mlp_param_count: lambda sizes: sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:])),
    check.conv_output_size: lambda h, k, s, p: (h + 2 * p - k) // s + 1,
    check.im2col: _im2col,
    check.max_pool_backward: _pool_backward,
    check.make_windows: lambda series, window: sequences.make_windows(series, window),
    check.high_quality_share: generative.high_quality_share,
    check.adam_update: _adam,
}

#: 正しい値の返し方の違い（NumPy のスカラー型・float32・リスト）
CONVERSIONS = {
    "そのまま": lambda v: v,
    "NumPy 型": lambda v: np.asarray(v)[()] if np.ndim(v) == 0 else np.asarray(v),
    "int64": lambda v: np.int64(v) if np.ndim(v) == 0 and float(v) == int(v) else v,
    "float32": lambda v: (
        np.float32(v) if np.ndim(v) == 0 and not isinstance(v, (int, np.integer)) else v
    ),
    "リスト": lambda v: np.asarray(v).tolist(),
}


def _converted(func, convert):
    def learner(*args):
        out = func(*args)
        if isinstance(out, tuple):
            return tuple(convert(v) for v in out)
        return convert(out)

    return learner


@settings(max_examples=25)
@given(checker=st.sampled_from(list(RIGHT_ANSWERS)), how=st.sampled_from(list(CONVERSIONS)))
def test_checkers_accept_right_answers_of_any_numeric_type(checker, how):
    result, printed = run_quietly(checker, _converted(RIGHT_ANSWERS[checker], CONVERSIONS[how]))
    assert result.passed, printed


def test_relu_layer_checker_accepts_a_right_class():
    result, printed = run_quietly(check.relu_layer, ReLULayer)
    assert result.passed, printed


class AffineLayer:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]

    def forward(self, x):
        self.x = x
        return x @ self.params[0] + self.params[1]

    def backward(self, dout):
        self.grads[0][...] = self.x.T @ dout
        self.grads[1][...] = dout.sum(axis=0)
        return (dout @ self.params[0].T).tolist()  # リストで返しても通る


def test_affine_backward_checker_accepts_a_right_class():
    result, printed = run_quietly(check.affine_backward, AffineLayer)
    assert result.passed, printed


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_two_layer_gradient_checker_accepts_twolayernet_for_any_seed(seed):
    def __init__(self, input_size, hidden_size, output_size):
        TwoLayerNet.__init__(self, input_size, hidden_size, output_size, seed=seed)

    cls = type("SeededNet", (TwoLayerNet,), {"__init__": __init__})
    result, printed = run_quietly(check.two_layer_gradient, cls)
    assert result.passed, printed
