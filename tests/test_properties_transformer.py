"""性質のテスト（Hypothesis）：nnbook.transformer と第 17 章のチェッカー。

tests/test_properties.py と同じ規則です。良い入力（NumPy の整数型も含む）は有限の結果を返し、
悪い入力は引数の名前を書いた TypeError か ValueError だけを出す。チェッカーはどんな間違った関数にも
× と passed=False で答え、正しい答えはどの数値型・リストで返しても受け入れる。
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties_attention import (
    INT_TYPES,
    JUNK,
    NOT_INTEGER,
    arrays,
    finite,
    raises_naming,
    raises_non_finite,
    with_non_finite,
)
from test_properties_check import (
    CONVERSIONS,
    ISSUE_EXAMPLES,
    _converted,
    run_quietly,
    wrong_answers,
)

from nnbook import check
from nnbook.transformer import FeedForward, gpt_param_count, transformer_block

#: N, T, h, d_k, d_ff
SIZES = st.tuples(
    st.integers(1, 2), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3), st.integers(1, 5)
)


@settings(max_examples=15, deadline=None)
@given(sizes=SIZES, int_type=INT_TYPES, seed=st.integers(0, 2**16), data=st.data())
def test_block_good_input_gives_finite_output_and_gradients(sizes, int_type, seed, data):
    N, T, h, d_k, d_ff = sizes
    D = h * d_k
    block = transformer_block(int_type(D), int_type(h), int_type(d_ff), seed=seed)
    x = data.draw(arrays((N, T, D)))
    out = block.forward(x)
    dx = block.backward(data.draw(arrays((N, T, D))))
    assert out.shape == dx.shape == (N, T, D) and finite(out, dx, *block.grads)
    A = block.attention_weights
    assert np.allclose(A.sum(axis=-1), 1.0) and np.all(np.triu(A, k=1) == 0.0)


@settings(max_examples=15, deadline=None)
@given(
    which=st.sampled_from(["x_nonfinite", "x_junk", "x_width", "dout_nonfinite"]),
    junk=JUNK,
    data=st.data(),
)
def test_block_and_ffn_reject_bad_input(which, junk, data):
    block = transformer_block(4, 2, 3, seed=0)
    ffn = block.ffn
    if which == "x_nonfinite":
        layer = data.draw(st.sampled_from([block, ffn]))
        raises_non_finite("x", (1, 2, 4), layer.forward, data.draw(with_non_finite((1, 2, 4))))
    elif which == "x_junk":
        raises_naming("x", data.draw(st.sampled_from([block.forward, ffn.forward])), junk)
    elif which == "x_width":
        raises_naming("x", block.forward, np.ones((1, 2, 5)))
    else:
        block.forward(np.ones((1, 2, 4)))
        raises_non_finite("dout", (1, 2, 4), block.backward, data.draw(with_non_finite((1, 2, 4))))


@settings(max_examples=15)
@given(
    name=st.sampled_from(["d_model", "num_heads", "d_ff"]),
    bad=st.one_of(NOT_INTEGER, st.just(0), st.just(-1)),
)
def test_transformer_block_rejects_bad_sizes(name, bad):
    args = {"d_model": 4, "num_heads": 2, "d_ff": 3} | {name: bad}
    raises_naming(name, transformer_block, **args)


@settings(max_examples=10)
@given(bad=JUNK, which=st.sampled_from(["W1", "b1", "W2", "b2"]))
def test_feed_forward_rejects_junk_weights(bad, which):
    args = {"W1": np.ones((2, 3)), "b1": np.ones(3), "W2": np.ones((3, 2)), "b2": np.ones(2)}
    args[which] = bad
    # Affine に渡す前の名前は W と b（どちらの層か）なので、W か b の名前が入っていること
    try:
        FeedForward(**args)
    except (TypeError, ValueError) as exc:
        assert which[0] in str(exc), exc
    else:
        raise AssertionError("悪い重みを受け付けた")


@settings(max_examples=20)
@given(
    V=st.integers(1, 1000),
    D=st.integers(1, 128),
    L=st.integers(0, 4),
    d_ff=st.integers(1, 512),
    T=st.one_of(st.none(), st.integers(1, 256)),
    int_type=INT_TYPES,
)
def test_gpt_param_count_is_a_positive_int_and_grows(V, D, L, d_ff, T, int_type):
    args = [int_type(a) if a < 256 or int_type is not np.uint8 else a for a in (V, D, L, d_ff)]
    n = gpt_param_count(*args, context=T)
    assert isinstance(n, int) and n >= 2 * V * D
    assert gpt_param_count(V, D, L + 1, d_ff, context=T) > n


@settings(max_examples=15)
@given(
    name=st.sampled_from(["vocab_size", "d_model", "n_layers", "d_ff", "context"]),
    bad=st.one_of(NOT_INTEGER.filter(lambda v: v is not None), st.just(-1)),
)
def test_gpt_param_count_rejects_bad_sizes(name, bad):
    args = {"vocab_size": 10, "d_model": 4, "n_layers": 1, "d_ff": 8, "context": 5} | {name: bad}
    raises_naming(name, gpt_param_count, **args)


# ---------------------------------------------------------------- チェッカー top_k_probs


def _top_k(logits, k, temperature):
    s = np.asarray(logits) / temperature
    keep = np.argsort(-s)[:k]
    p = np.zeros_like(s)
    e = np.exp(s[keep] - s[keep].max())
    p[keep] = e / e.sum()
    return p


@settings(max_examples=12)
@given(func=wrong_answers(pair=True))
def test_top_k_probs_checker_answers_any_wrong_function_with_a_cross(func):
    for candidate in (func, *ISSUE_EXAMPLES):
        result, printed = run_quietly(check.top_k_probs, candidate)
        assert result.passed is False and not result, printed
        assert "  × " in printed, printed


@settings(max_examples=10)
@given(how=st.sampled_from(list(CONVERSIONS)))
def test_top_k_probs_checker_accepts_right_answers_of_any_numeric_type(how):
    result, printed = run_quietly(check.top_k_probs, _converted(_top_k, CONVERSIONS[how]))
    assert result.passed, printed
