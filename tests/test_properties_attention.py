"""性質のテスト（Hypothesis）：第 IV 部のレイヤと関数（注意機構・マルチヘッド注意・層正規化）。

tests/test_properties.py と同じ規則です。

- 良い入力（NumPy の整数・浮動小数点のスカラー型も含む）は有限の結果を返し、注意の重みは
  各行の和が 1 で、マスクした位置は 0。
- 悪い入力（NaN・inf、数値でない dtype、違う次元、形の食い違い、悪いマスク、整数でない大きさ）は
  TypeError か ValueError だけを出し、そのメッセージに引数の名前が入っている。
  NaN・inf のときは、配列の形と最初の悪い値の位置も入っている。
"""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from test_properties_check import (
    CONVERSIONS,
    ISSUE_EXAMPLES,
    _converted,
    run_quietly,
    wrong_answers,
)

from nnbook import check
from nnbook.layers import (
    LayerNorm,
    MultiHeadAttention,
    ScaledDotProductAttention,
    causal_mask,
    positional_encoding,
)

FINITE = st.floats(-20.0, 20.0, allow_nan=False, allow_infinity=False)
NON_FINITE = st.sampled_from([np.inf, -np.inf, np.nan])
#: 配列が来るべきところに来る、配列でないもの・数値でないもの
JUNK = st.sampled_from(
    [
        "abc",
        {"a": 1},
        object(),
        [[1.0, 2.0], [3.0]],  # 長さのそろわないリスト
        np.array(["a", "b"]),
        np.array([1, None], dtype=object),
        np.array([]),
    ]
)
NOT_INTEGER = st.sampled_from([2.0, 2.5, np.float64(3.0), True, np.bool_(True), "3", None])
INT_TYPES = st.sampled_from([int, np.int32, np.int64, np.uint8])
FLOAT_TYPES = st.sampled_from([float, np.float32, np.float64])
#: N, T_q, T_k, d
SIZES = st.tuples(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(1, 4))


def arrays(shape, elements=FINITE):
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def with_non_finite(draw, shape):
    arr = draw(arrays(shape))
    index = tuple(draw(st.integers(0, n - 1)) for n in arr.shape)
    arr[index] = draw(NON_FINITE)
    return arr


@st.composite
def masks(draw, shape):
    """どの行にも True が 1 つはある bool のマスク。"""
    mask = draw(hnp.arrays(np.bool_, shape))
    rows = draw(hnp.arrays(np.int64, shape[:-1], elements=st.integers(0, shape[-1] - 1)))
    np.put_along_axis(mask, rows[..., None], True, axis=-1)
    return mask


def raises_naming(name, func, *args, **kwargs):
    """func(*args, **kwargs) が TypeError か ValueError を出し、メッセージに name が入っていること。"""
    try:
        func(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        pattern = rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])"
        assert re.search(pattern, str(exc)), f"メッセージに {name!r} がない: {exc}"
        return exc
    pytest.fail(f"{getattr(func, '__qualname__', func)} が悪い {name} を受け付けた")


def raises_non_finite(name, shape, func, *args, **kwargs):
    exc = raises_naming(name, func, *args, **kwargs)
    assert str(tuple(shape)) in str(exc), f"メッセージに {name} の形 {tuple(shape)} がない: {exc}"
    assert re.search(rf"{re.escape(name)}\[\d+(, \d+)*\]", str(exc)), f"最初の位置がない: {exc}"


def finite(*arrays_):
    return all(np.all(np.isfinite(a)) for a in arrays_)


# ---------------------------------------------------------------- causal_mask・positional_encoding


@settings(max_examples=15)
@given(T=st.integers(1, 6), D=st.integers(1, 6), int_type=INT_TYPES)
def test_mask_and_encoding_good_sizes(T, D, int_type):
    mask = causal_mask(int_type(T))
    assert mask.shape == (T, T) and mask.dtype == bool
    assert mask.sum() == T * (T + 1) // 2 and mask.diagonal().all()
    pe = positional_encoding(int_type(T), int_type(D))
    assert pe.shape == (T, D) and finite(pe) and np.all(np.abs(pe) <= 1.0)


@settings(max_examples=15)
@given(which=st.sampled_from(["mask_T", "pe_T", "pe_D"]), bad=st.one_of(NOT_INTEGER, st.just(0)))
def test_mask_and_encoding_reject_bad_sizes(which, bad):
    if which == "mask_T":
        raises_naming("T", causal_mask, bad)
    elif which == "pe_T":
        raises_naming("T", positional_encoding, bad, 4)
    else:
        raises_naming("D", positional_encoding, 4, bad)


# ---------------------------------------------------------------- ScaledDotProductAttention


@settings(max_examples=25)
@given(sizes=SIZES, use_mask=st.booleans(), data=st.data())
def test_attention_good_input(sizes, use_mask, data):
    n, t_q, t_k, d = sizes
    Q, K, V = (data.draw(arrays(s)) for s in [(n, t_q, d), (n, t_k, d), (n, t_k, d + 1)])
    mask = data.draw(masks((n, t_q, t_k))) if use_mask else None
    layer = ScaledDotProductAttention()
    out = layer.forward(Q, K, V, mask=mask)
    A = layer.attention_weights
    assert out.shape == (n, t_q, d + 1) and finite(out, A)
    np.testing.assert_allclose(A.sum(axis=-1), 1.0)
    assert np.all(A >= 0)
    if use_mask:
        assert np.all(A[~mask] == 0.0), "マスクした位置の重みは 0"
    grads = layer.backward(np.ones_like(out))
    assert [g.shape for g in grads] == [Q.shape, K.shape, V.shape] and finite(*grads)


@settings(max_examples=20)
@given(sizes=SIZES, which=st.sampled_from(["Q", "K", "V", "dout"]), data=st.data())
def test_attention_rejects_non_finite(sizes, which, data):
    n, t_q, t_k, d = sizes
    shapes = {"Q": (n, t_q, d), "K": (n, t_k, d), "V": (n, t_k, d), "dout": (n, t_q, d)}
    args = {k: np.ones(s) for k, s in shapes.items() if k != "dout"}
    layer = ScaledDotProductAttention()
    if which == "dout":
        layer.forward(**args)
        raises_non_finite(
            "dout", shapes["dout"], layer.backward, data.draw(with_non_finite(shapes["dout"]))
        )
    else:
        args[which] = data.draw(with_non_finite(shapes[which]))
        raises_non_finite(which, shapes[which], layer.forward, **args)


@settings(max_examples=25)
@given(
    sizes=SIZES,
    case=st.sampled_from(
        [
            "junk",
            "rank",
            "length",
            "width",
            "batch",
            "mask_junk",
            "mask_shape",
            "mask_empty",
            "mask_value",
        ]
    ),
    junk=JUNK,
)
def test_attention_rejects_bad_shapes_dtypes_and_masks(sizes, case, junk):
    n, t_q, t_k, d = sizes
    Q, K, V = np.ones((n, t_q, d)), np.ones((n, t_k, d)), np.ones((n, t_k, d))
    forward = ScaledDotProductAttention().forward
    if case == "junk":
        raises_naming("K", forward, Q, junk, V)
    elif case == "rank":
        raises_naming("Q", forward, Q[0], K, V)
    elif case == "length":
        raises_naming("V", forward, Q, K, np.ones((n, t_k + 1, d)))
    elif case == "width":
        raises_naming("K", forward, Q, np.ones((n, t_k, d + 1)), V)
    elif case == "batch":
        raises_naming("K", forward, Q, np.ones((n + 1, t_k, d)), np.ones((n + 1, t_k, d)))
    elif case == "mask_junk":
        raises_naming("mask", forward, Q, K, V, mask=junk)
    elif case == "mask_shape":
        raises_naming("mask", forward, Q, K, V, mask=np.ones((t_q, t_k + 1), dtype=bool))
    elif case == "mask_empty":
        raises_naming("mask", forward, Q, K, V, mask=np.zeros((t_q, t_k), dtype=bool))
    else:
        raises_naming("mask", forward, Q, K, V, mask=np.full((t_q, t_k), 2))


# ---------------------------------------------------------------- MultiHeadAttention


def _mha_args(rng, D, h, d):
    shapes = [(D, h * d), (h * d,)] * 3 + [(h * d, D), (D,)]
    return [rng.uniform(-1, 1, size=s) for s in shapes]


@settings(max_examples=20)
@given(
    sizes=SIZES,
    h=st.integers(1, 3),
    int_type=INT_TYPES,
    cross=st.booleans(),
    causal=st.booleans(),
    data=st.data(),
)
def test_mha_good_input(sizes, h, int_type, cross, causal, data):
    n, t_q, t_k, d = sizes
    D = 3
    layer = MultiHeadAttention(*_mha_args(np.random.default_rng(0), D, h, d), num_heads=int_type(h))
    query = data.draw(arrays((n, t_q, D)))
    inputs = [query, data.draw(arrays((n, t_k, D)))] if cross else [query]
    mask = causal_mask(t_q) if causal and not cross else None
    out = layer.forward(*inputs, mask=mask)
    assert out.shape == (n, t_q, D) and finite(out)
    np.testing.assert_allclose(layer.attention_weights.sum(axis=-1), 1.0)
    dx = layer.backward(np.ones_like(out))
    dx = dx if cross else (dx,)
    assert [g.shape for g in dx] == [x.shape for x in inputs]
    assert finite(*dx, *layer.grads)


@settings(max_examples=20)
@given(which=st.sampled_from(["W_Q", "b_K", "W_V", "b_O", "query", "value"]), data=st.data())
def test_mha_rejects_non_finite(which, data):
    names = ["W_Q", "b_Q", "W_K", "b_K", "W_V", "b_V", "W_O", "b_O"]
    args = dict(zip(names, _mha_args(np.random.default_rng(0), 4, 2, 2)))
    if which in args:
        args[which] = data.draw(with_non_finite(args[which].shape))
        raises_non_finite(which, args[which].shape, MultiHeadAttention, **args, num_heads=2)
    else:
        layer = MultiHeadAttention(**args, num_heads=2)
        x = {"query": np.ones((2, 3, 4)), "value": np.ones((2, 2, 4))}
        x[which] = data.draw(with_non_finite(x[which].shape))
        raises_non_finite(which, x[which].shape, layer.forward, **x)


@settings(max_examples=20)
@given(
    case=st.sampled_from(["num_heads", "heads_divide", "W_junk", "query_junk", "query_rank"]),
    bad=NOT_INTEGER,
    junk=JUNK,
)
def test_mha_rejects_bad_arguments(case, bad, junk):
    args = _mha_args(np.random.default_rng(0), 4, 2, 2)
    if case == "num_heads":
        raises_naming("num_heads", MultiHeadAttention, *args, num_heads=bad)
    elif case == "heads_divide":
        raises_naming("num_heads", MultiHeadAttention, *args, num_heads=3)
    elif case == "W_junk":
        raises_naming("W_K", MultiHeadAttention, *args[:2], junk, *args[3:], num_heads=2)
    elif case == "query_junk":
        raises_naming("query", MultiHeadAttention(*args, num_heads=2).forward, junk)
    else:
        raises_naming("query", MultiHeadAttention(*args, num_heads=2).forward, np.ones((3, 4)))


# ---------------------------------------------------------------- LayerNorm


@settings(max_examples=20)
@given(
    shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4),
    eps=st.floats(1e-8, 1e-1).flatmap(lambda v: FLOAT_TYPES.map(lambda f: f(v))),
    data=st.data(),
)
def test_layer_norm_good_input(shape, eps, data):
    D = shape[-1]
    layer = LayerNorm(data.draw(arrays((D,))), data.draw(arrays((D,))), eps=eps)
    x = data.draw(arrays(shape))
    out = layer.forward(x)
    assert out.shape == shape and finite(out)
    assert finite(layer.backward(np.ones(shape)), *layer.grads)


@settings(max_examples=20)
@given(which=st.sampled_from(["gamma", "beta", "x", "dout"]), data=st.data())
def test_layer_norm_rejects_non_finite(which, data):
    if which in ("gamma", "beta"):
        args = {"gamma": np.ones(3), "beta": np.zeros(3)}
        args[which] = data.draw(with_non_finite((3,)))
        raises_non_finite(which, (3,), LayerNorm, **args)
        return
    layer = LayerNorm(np.ones(3), np.zeros(3))
    if which == "x":
        raises_non_finite("x", (2, 3), layer.forward, data.draw(with_non_finite((2, 3))))
    else:
        layer.forward(np.ones((2, 3)))
        raises_non_finite("dout", (2, 3), layer.backward, data.draw(with_non_finite((2, 3))))


@settings(max_examples=20)
@given(
    case=st.sampled_from(["eps", "gamma_junk", "x_junk", "x_width"]),
    bad=st.sampled_from([0.0, -1.0, np.nan, np.inf, True, "1e-5", None]),
    junk=JUNK,
)
def test_layer_norm_rejects_bad_arguments(case, bad, junk):
    if case == "eps":
        raises_naming("eps", LayerNorm, np.ones(3), np.zeros(3), eps=bad)
    elif case == "gamma_junk":
        raises_naming("gamma", LayerNorm, junk, np.zeros(3))
    elif case == "x_junk":
        raises_naming("x", LayerNorm(np.ones(3), np.zeros(3)).forward, junk)
    else:
        raises_naming("x", LayerNorm(np.ones(3), np.zeros(3)).forward, np.ones((2, 4)))


# ---------------------------------------------------------------- 第 IV 部のチェッカー
# tests/test_properties_check.py と同じ規則：どんな間違った関数にも × と passed=False で答え、
# 正しい答えはどの数値型・リストで返しても受け入れる。


def _attention_answer(Q, K, V, mask):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    E = np.exp(S - S.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True) @ V


PART4_RIGHT_ANSWERS = {
    check.scaled_dot_product_attention: _attention_answer,
    check.causal_mask: causal_mask,
    check.perplexity: lambda losses: np.exp(np.mean(losses)),
}


@pytest.mark.parametrize("checker", list(PART4_RIGHT_ANSWERS), ids=lambda c: c.__name__)
@settings(max_examples=12)
@given(func=wrong_answers(pair=True))
def test_part4_checkers_answer_any_wrong_function_with_a_cross(checker, func):
    for candidate in (func, *ISSUE_EXAMPLES):
        result, printed = run_quietly(checker, candidate)
        assert result.passed is False and not result, printed
        assert "  × " in printed, printed


@settings(max_examples=15)
@given(checker=st.sampled_from(list(PART4_RIGHT_ANSWERS)), how=st.sampled_from(list(CONVERSIONS)))
def test_part4_checkers_accept_right_answers_of_any_numeric_type(checker, how):
    result, printed = run_quietly(
        checker, _converted(PART4_RIGHT_ANSWERS[checker], CONVERSIONS[how])
    )
    assert result.passed, printed
