"""第 IV 部（言葉と注意）の演習チェッカー：正しい答えを受け入れ、よくある間違いを見つける。"""

import re

import numpy as np
import pytest

from nnbook import check
from nnbook.layers import ScaledDotProductAttention, causal_mask


def _todo(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- scaled_dot_product_attention


def _softmax(S, axis=-1):
    E = np.exp(S - S.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def _attention(Q, K, V, mask=None):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return _softmax(S) @ V


def _attention_big_negative(Q, K, V, mask=None):
    """-∞ の代わりに -1e9 を使う（Keras と同じ。これも正しい）。"""
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = S + (1.0 - mask) * -1e9
    return _softmax(S) @ V


def _attention_layer(Q, K, V, mask=None):
    """nnbook の ScaledDotProductAttention（バッチの軸を 1 つ付けて呼ぶ）。"""
    return ScaledDotProductAttention().forward(Q[None], K[None], V[None], mask)[0]


def _no_scale(Q, K, V, mask=None):
    S = Q @ K.T
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return _softmax(S) @ V


def _scale_by_d(Q, K, V, mask=None):
    S = Q @ K.T / Q.shape[-1]
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return _softmax(S) @ V


def _mask_after_softmax(Q, K, V, mask=None):
    A = _softmax(Q @ K.T / np.sqrt(Q.shape[-1]))
    if mask is not None:
        A = A * mask
    return A @ V


def _mask_transposed(Q, K, V, mask=None):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = (
            np.where(mask.T, S, -np.inf)
            if mask.shape[0] == mask.shape[1]
            else np.where(mask, S, -np.inf)
        )
    return _softmax(S) @ V


def _mask_inverted(Q, K, V, mask=None):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, -np.inf, S)
    return _softmax(S) @ V


def _softmax_axis0(Q, K, V, mask=None):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return _softmax(S, axis=0) @ V


def _naive_exp(Q, K, V, mask=None):
    S = Q @ K.T / np.sqrt(Q.shape[-1])
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    E = np.exp(S)
    return E / E.sum(axis=-1, keepdims=True) @ V


def _ignores_none(Q, K, V, mask=None):
    S = np.where(mask, Q @ K.T / np.sqrt(Q.shape[-1]), -np.inf)
    return _softmax(S) @ V


def _modifies_q(Q, K, V, mask=None):
    Q /= np.sqrt(Q.shape[-1])
    S = Q @ K.T
    if mask is not None:
        S = np.where(mask, S, -np.inf)
    return _softmax(S) @ V


@pytest.mark.parametrize("func", [_attention, _attention_big_negative, _attention_layer])
def test_attention_checker_accepts_correct_solutions(capsys, func):
    assert check.scaled_dot_product_attention(func)
    out = capsys.readouterr().out
    assert "すべて正解" in out and out.count("○") == 4


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (_no_scale, "√d_k で割っていません"),
        (_scale_by_d, "d_k で割っています"),
        (_mask_after_softmax, "ソフトマックス関数の後に掛けています"),
        (_mask_transposed, "転置されています"),
        (_mask_inverted, "逆にしていませんか"),
        (_softmax_axis0, "軸が違います"),
        (_naive_exp, "最大値を引いて"),
        (_ignores_none, "None のときは"),
        (_modifies_q, "書き換えています"),
    ],
    ids=lambda v: getattr(v, "__name__", "hint"),
)
def test_attention_checker_hints(capsys, wrong, hint):
    assert not check.scaled_dot_product_attention(wrong)
    out = capsys.readouterr().out
    assert "×" in out and hint in out, out


def test_attention_checker_unimplemented_and_bad_returns(capsys):
    assert not check.scaled_dot_product_attention(_todo)
    out = capsys.readouterr().out
    assert out.count("まだ実装されていません") == 1
    assert not check.scaled_dot_product_attention(lambda Q, K, V, mask: None)
    assert "return を忘れて" in capsys.readouterr().out
    assert not check.scaled_dot_product_attention(lambda Q, K, V: _attention(Q, K, V))
    assert "TypeError" in capsys.readouterr().out
    assert not check.scaled_dot_product_attention(
        lambda Q, K, V, mask: _attention(Q, K, V, mask)[:, :1]
    )
    assert "形が" in capsys.readouterr().out


# ---------------------------------------------------------------- causal_mask


def test_causal_mask_checker_accepts_correct_solutions(capsys):
    assert check.causal_mask(causal_mask)
    out = capsys.readouterr().out
    assert "すべて正解" in out and out.count("○") == 4 and "△" not in out
    assert check.causal_mask(lambda T: np.tril(np.ones((T, T))))
    assert capsys.readouterr().out.count("dtype=bool") == 1, (
        "0/1 の数も通し、bool を 1 回だけ勧める"
    )


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda T: np.triu(np.ones((T, T), dtype=bool)), "上三角"),
        (lambda T: ~np.tril(np.ones((T, T), dtype=bool)), "逆です"),
        (lambda T: np.tril(np.ones((T, T), dtype=bool), -1), "対角"),
        (lambda T: np.triu(np.full((T, T), -np.inf), 1), "0 と -∞"),
    ],
    ids=["upper", "inverted", "no-diagonal", "additive"],
)
def test_causal_mask_checker_hints(capsys, wrong, hint):
    assert not check.causal_mask(wrong)
    out = capsys.readouterr().out
    assert "×" in out and hint in out, out


def test_causal_mask_checker_wrong_shape_and_unimplemented(capsys):
    assert not check.causal_mask(lambda T: np.tril(np.ones((T, T + 1), dtype=bool)))
    assert "形が" in capsys.readouterr().out
    assert not check.causal_mask(_todo)
    assert capsys.readouterr().out.count("まだ実装されていません") == 1


# ---------------------------------------------------------------- perplexity


def test_perplexity_checker_accepts_correct_solution(capsys):
    assert check.perplexity(lambda losses: np.exp(np.mean(losses)))
    out = capsys.readouterr().out
    assert "すべて正解" in out and "50.0000" in out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda losses: np.mean(np.exp(losses)), "exp の平均"),
        (lambda losses: 2.0 ** np.mean(losses), "2 を底"),
        (lambda losses: np.exp(np.sum(losses)), "和を使っています"),
        (lambda losses: np.mean(losses), "exp を取ると"),
        (lambda losses: np.exp(-np.mean(losses)), "符号が逆"),
    ],
    ids=["mean-of-exp", "base-2", "sum", "no-exp", "sign"],
)
def test_perplexity_checker_hints(capsys, wrong, hint):
    assert not check.perplexity(wrong)
    out = capsys.readouterr().out
    assert "×" in out and hint in out, out


def test_perplexity_checker_catches_modified_input(capsys):
    def in_place(losses):
        losses -= 0.0
        np.exp(losses, out=losses)
        return np.exp(np.mean(np.log(losses)))

    assert not check.perplexity(in_place)
    assert "書き換えています" in capsys.readouterr().out


def test_part4_checkers_need_a_function():
    for checker in (check.scaled_dot_product_attention, check.causal_mask, check.perplexity):
        with pytest.raises(TypeError, match="func"):
            checker("not a function")


# ---------------------------------------------------------------- bpe_merge（第 15 章）


def _merge(seq, pair, new):
    out, i = [], 0
    while i < len(seq):
        if tuple(seq[i : i + 2]) == pair:
            out.append(new)
            i += 2
        else:
            out.append(seq[i])
            i += 1
    return out


def test_bpe_merge_checker_accepts_correct_solution(capsys):
    assert check.bpe_merge(_merge)
    assert check.bpe_merge(lambda *args: tuple(_merge(*args)))  # タプルでもよい
    out = capsys.readouterr().out
    assert "すべて正解" in out and "['ーー', 'ー']" in out


def _overlapping(seq, pair, new):
    return [new if tuple(seq[i : i + 2]) == pair else seq[i] for i in range(len(seq) - 1)] + seq[
        -1:
    ]


def _in_place(seq, pair, new):
    merged = _merge(seq, pair, new)
    seq[:] = merged
    return merged


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (_overlapping, "重なった組も置き換えています"),
        (lambda seq, pair, new: [t for t in _merge(seq, pair, new) if t != new], "落としたり"),
        (lambda seq, pair, new: "".join(_merge(seq, pair, new)), "str が返りました"),
        (lambda seq, pair, new: None, "None が返りました"),
        (lambda seq, pair, new: 3, "int が返りました"),
        (lambda seq, pair, new: [1, 2], "list が返りました"),
        (_in_place, "seq を書き換えています"),
    ],
)
def test_bpe_merge_checker_hints(capsys, wrong, hint):
    assert not check.bpe_merge(wrong)
    out = capsys.readouterr().out
    assert "×" in out and hint in out, out


def test_bpe_merge_checker_reports_an_exception_once(capsys):
    def broken(seq, pair, new):
        raise IndexError("list index out of range")

    assert not check.bpe_merge(broken)
    out = capsys.readouterr().out
    assert out.count("IndexError") == 1, out


def test_bpe_merge_checker_needs_a_function():
    with pytest.raises(TypeError, match="func"):
        check.bpe_merge("not a function")


# ---------------------------------------------------------------- top_k_probs（第 17 章）


def _top_k(logits, k, temperature):
    s = logits / temperature
    keep = np.argsort(-s)[:k]
    p = np.zeros_like(s)
    e = np.exp(s[keep] - s[keep].max())
    p[keep] = e / e.sum()
    return p


def test_top_k_probs_checker_accepts_correct_solution(capsys):
    assert check.top_k_probs(_top_k)
    assert "すべて正解" in capsys.readouterr().out


def _no_renormalise(logits, k, temperature):
    s = logits / temperature
    p = np.exp(s - s.max())
    p /= p.sum()
    p[np.argsort(-s)[k:]] = 0.0
    return p


def _smallest(logits, k, temperature):
    return _top_k(-logits, k, temperature)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda logits, k, temperature: _top_k(logits * temperature, k, 1.0), "温度を掛けています"),
        (_no_renormalise, "割り直します"),
        (_smallest, "0 でない確率|小さい順"),
        (lambda logits, k, temperature: _top_k(logits, k + 1, temperature), "0 でない確率が"),
    ],
    ids=["times-temperature", "no-renormalise", "smallest", "k-plus-one"],
)
def test_top_k_probs_checker_hints(capsys, wrong, hint):
    assert not check.top_k_probs(wrong)
    out = capsys.readouterr().out
    assert "×" in out and re.search(hint, out), out


def test_top_k_probs_checker_catches_modified_input(capsys):
    def in_place(logits, k, temperature):
        logits /= temperature
        return _top_k(logits, k, 1.0)

    assert not check.top_k_probs(in_place)
    assert "書き換えています" in capsys.readouterr().out


def test_top_k_probs_checker_needs_a_function():
    with pytest.raises(TypeError, match="func"):
        check.top_k_probs("not a function")
