"""nnbook.text：講座の本文のコーパス、文字の語彙、符号化、決まった分割（第 15 章から）。"""

import json
import subprocess
import sys

import numpy as np
import pytest

from nnbook import text

from conftest import ROOT


def test_corpus_is_the_courses_japanese_prose_with_its_record():
    corpus = text.load_course_text()
    info = text.course_text_info()
    assert 50_000 < len(corpus) < 300_000 and corpus.endswith("\n")
    assert info["n_chars"] == len(corpus) and info["n_lines"] == corpus.count("\n")
    assert len(info["commit"]) == 40 and "MIT" in info["license"]
    assert "chapters/01_perceptron.ipynb" in info["files"]
    assert not any(name.startswith("chapters/15") for name in info["files"])
    assert "パーセプトロン" in corpus and "ニューラルネットワーク" in corpus
    for leftover in ("```", "{term}", "$", "http", "import numpy", "<!--"):
        assert leftover not in corpus, f"{leftover!r} が残っています"


def test_make_corpus_cleans_markdown():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_corpus
    finally:
        sys.path.pop(0)
    md = (
        "# 見出しです\n\n"
        "{term}`重み` と $w_1$ を掛けて [リンク](https://example.com) を `code` で読みます。\n\n"
        "```python\nx = 1  # コードの中の日本語は消えます\n```\n\n"
        "```{dropdown} 解答\n:open:\nドロップダウンの中の文は残ります。\n```\n\n"
        "- 箇条書きの 1 つ目です\n- 箇条書きの 2 つ目です\n\n"
        "| 表 | です |\n\n$$\nx = 1\n$$\n"
    )
    assert make_corpus.clean(md) == [
        "見出しです",
        "重みとを掛けてリンクをで読みます。",
        "ドロップダウンの中の文は残ります。",
        "箇条書きの 1 つ目です",
        "箇条書きの 2 つ目です",
    ]


def test_split_lines_is_fixed_and_keeps_every_line():
    corpus = "".join(f"行{i}\n" for i in range(25))
    train, val = text.split_lines(corpus)
    assert val == "行9\n行19\n"
    assert train.count("\n") == 23 and "行0\n" in train
    assert text.split_lines(corpus) == (train, val)
    train3, val3 = text.split_lines(corpus, val_every=3)
    assert val3.splitlines() == [f"行{i}" for i in range(2, 25, 3)]


def test_course_split_sizes():
    train, val = text.split_lines(text.load_course_text())
    assert 0.08 < len(val) / (len(train) + len(val)) < 0.12


def test_char_vocab_orders_by_frequency_and_puts_unk_first():
    assert text.char_vocab("ああいうう\nう") == ["<unk>", "う", "あ", "\n", "い"]
    assert text.char_vocab("ああいうう\nう", min_count=2) == ["<unk>", "う", "あ"]
    assert text.char_vocab("ab", unk="?")[0] == "?"


def test_encode_decode_round_trip_and_unknown_characters():
    vocab = text.char_vocab("こんにちは")
    ids = text.encode("こんにちは", vocab)
    assert ids.dtype == np.int64 and ids.shape == (5,)
    assert text.decode(ids, vocab) == "こんにちは"
    np.testing.assert_array_equal(text.encode("こん晩は", vocab), [ids[0], ids[1], 0, ids[4]])
    assert text.decode(text.encode("こん晩は", vocab), vocab) == "こん<unk>は"
    assert text.encode("", vocab).shape == (0,)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: text.split_lines(["a"]), TypeError, "corpus"),
        (lambda: text.split_lines("a\nb\n", val_every=1), ValueError, "val_every"),
        (lambda: text.split_lines("a\nb\n", val_every=2.0), TypeError, "val_every"),
        (lambda: text.split_lines("a\n", val_every=10), ValueError, "検証データが空"),
        (lambda: text.char_vocab(""), ValueError, "corpus が空"),
        (lambda: text.char_vocab(123), TypeError, "corpus"),
        (lambda: text.char_vocab("ab", min_count=0), ValueError, "min_count"),
        (lambda: text.char_vocab("a<b", unk="<"), ValueError, "unk"),
        (lambda: text.encode(b"abc", ["<unk>", "a"]), TypeError, "corpus"),
        (lambda: text.encode("abc", "abc"), TypeError, "vocab"),
        (lambda: text.encode("abc", ["a", "a"]), ValueError, "vocab"),
        (lambda: text.encode("abc", []), TypeError, "vocab"),
        (lambda: text.decode([0, 5], ["<unk>", "a"]), ValueError, "ids"),
        (lambda: text.decode([0.5], ["<unk>", "a"]), ValueError, "ids"),
    ],
)
def test_bad_input_names_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_packaged_corpus_record_is_valid_json_next_to_the_text():
    path = ROOT / "src" / "nnbook" / "data" / "ja_course_text.json"
    assert json.loads(path.read_text(encoding="utf-8")) == text.course_text_info()


def test_make_corpus_check_runs_offline():
    # 章の本文が変わったあとは「違います」（1）でよい：コーパスはコミットを記録したスナップショット
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_corpus.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1) and (
        "同じです" in result.stdout or "違います" in result.stdout
    )
