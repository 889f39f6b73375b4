"""性質のテスト（Hypothesis）：第 15 章の nnbook.text・layers.Embedding・check.bpe_merge。

tests/test_properties.py と同じ規則です。良い入力（NumPy の整数型も含む）は有限の結果を返し、
悪い入力は引数の名前を書いた TypeError か ValueError だけを出し、チェッカーはどんな間違った関数にも
× と passed=False で答えます。
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties_check import ISSUE_EXAMPLES, run_quietly, wrong_answers

from nnbook import check, text
from nnbook.layers import Embedding

#: ひらがな・カタカナ・漢字・英数字・記号・改行の混ざった文章
CHARS = st.sampled_from(list("あいうアイウ漢字ab01、。 \n"))
TEXTS = st.text(CHARS, min_size=1, max_size=40)
INT_TYPES = st.sampled_from([int, np.int32, np.int64, np.uint8])
NOT_TEXT = st.sampled_from([None, 3, 2.5, b"abc", ["a"], np.array(["a"])])


@settings(max_examples=30)
@given(corpus=TEXTS, min_count=st.integers(1, 3))
def test_encode_then_decode_gives_back_the_text_with_rare_characters_as_unk(corpus, min_count):
    vocab = text.char_vocab(corpus, min_count=min_count)
    ids = text.encode(corpus, vocab)
    assert ids.shape == (len(corpus),) and ids.dtype == np.int64
    assert ((0 <= ids) & (ids < len(vocab))).all()
    expected = "".join(ch if ch in vocab[1:] else text.UNK for ch in corpus)
    assert text.decode(ids, vocab) == expected


@settings(max_examples=30)
@given(
    lines=st.lists(st.text(CHARS.filter(lambda c: c != "\n"), max_size=8), min_size=2, max_size=30),
    every=st.integers(2, 5),
)
def test_split_lines_partitions_the_lines(lines, every):
    corpus = "".join(line + "\n" for line in lines)
    if len(lines) < every:
        with pytest.raises(ValueError, match="val_every"):
            text.split_lines(corpus, every)
        return
    train, val = text.split_lines(corpus, every)
    assert sorted(train.splitlines() + val.splitlines()) == sorted(lines)
    assert len(val.splitlines()) == len(lines) // every


@settings(max_examples=20)
@given(bad=NOT_TEXT)
def test_text_functions_reject_non_strings_by_name(bad):
    for call, name in [
        (lambda: text.split_lines(bad), "corpus"),
        (lambda: text.char_vocab(bad), "corpus"),
        (lambda: text.encode(bad, ["<unk>", "a"]), "corpus"),
    ]:
        with pytest.raises(TypeError, match=name):
            call()


@settings(max_examples=25)
@given(
    V=st.integers(1, 6),
    D=st.integers(1, 4),
    shape=st.sampled_from([(1,), (3,), (2, 3)]),
    int_type=INT_TYPES,
    data=st.data(),
)
def test_embedding_good_indices_give_finite_rows_and_summed_gradients(V, D, shape, int_type, data):
    W = np.random.default_rng(0).normal(size=(V, D))
    idx = (
        np.array(
            data.draw(
                st.lists(
                    st.integers(0, V - 1),
                    min_size=int(np.prod(shape)),
                    max_size=int(np.prod(shape)),
                )
            )
        )
        .reshape(shape)
        .astype(int_type)
    )
    layer = Embedding(W)
    out = layer.forward(idx)
    assert out.shape == (*shape, D) and np.isfinite(out).all()
    layer.backward(np.ones((*shape, D)))
    counts = np.bincount(np.asarray(idx, dtype=np.int64).ravel(), minlength=V)
    np.testing.assert_array_equal(layer.grads[0], np.repeat(counts[:, None], D, axis=1))


@settings(max_examples=25)
@given(
    bad=st.sampled_from(
        [[3], [-1], [0.5], [np.nan], [np.inf], "ab", [[[0]]], np.array([], dtype=int), [True, 5]]
    )
)
def test_embedding_bad_indices_name_idx(bad):
    with pytest.raises((TypeError, ValueError), match="idx"):
        Embedding(np.eye(3)).forward(bad)


@settings(max_examples=12)
@given(func=wrong_answers(pair=True))
def test_bpe_merge_checker_answers_any_wrong_function_with_a_cross(func):
    for candidate in (func, *ISSUE_EXAMPLES):
        result, printed = run_quietly(check.bpe_merge, candidate)
        assert result.passed is False and not result, printed
        assert "  × " in printed, printed
