"""言語モデルのための文章（第 IV 部）：講座自身の本文のコーパス、文字の語彙、符号化、分割。

コーパスは、この講座の第 1〜14 章・``intro.md``・用語集の Markdown から、コード・数式・URL を
取り除いた日本語の本文です（``scripts/make_corpus.py`` が作り、パッケージに同梱。ライセンスは
講座と同じ MIT）。1 行が 1 段落です。

訓練データと検証データの分け方は ``split_lines`` の 1 通りだけに決めてあり、第 IV 部のどの章の
モデル（n-gram・ニューラルネットワーク・Transformer）も同じ分割で比べられます。
"""

import json
from importlib import resources

import numpy as np

from ._validation import integer, labels, text

__all__ = [
    "UNK",
    "load_course_text",
    "course_text_info",
    "split_lines",
    "char_vocab",
    "encode",
    "decode",
]

#: 訓練データの語彙にない文字を表すトークン
UNK = "<unk>"
_NAME = "ja_course_text"


def load_course_text():
    """講座の本文のコーパス（日本語、1 行 = 1 段落、末尾は改行）を読む。

    Returns
    -------
    str
    """
    path = resources.files("nnbook") / "data" / f"{_NAME}.txt"
    return path.read_text(encoding="utf-8")


def course_text_info():
    """コーパスの出どころ（取り出した元のコミット・ファイル・ライセンス・文字数）。

    Returns
    -------
    dict
    """
    path = resources.files("nnbook") / "data" / f"{_NAME}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def split_lines(corpus, val_every=10):
    """文章を行（段落）ごとに訓練データと検証データに分ける（乱数を使わない、決まった分け方）。

    0 から数えて ``i % val_every == val_every - 1`` の行が検証データ、ほかが訓練データです。
    章ごとに話題が違うので、末尾をまとめて検証データにするのではなく、全体から等間隔に取ります。

    Parameters
    ----------
    corpus : str
        1 行 = 1 段落の文章。
    val_every : int
        何行に 1 行を検証データにするか（2 以上）。

    Returns
    -------
    train : str
        訓練データの行を改行でつないだもの（各行の末尾に改行）。
    val : str
        検証データの行を同じようにつないだもの。
    """
    corpus = text("corpus", corpus)
    val_every = integer("val_every", val_every, minimum=2)
    lines = corpus.splitlines()
    if len(lines) < val_every:
        raise ValueError(
            f"corpus の行数 {len(lines)} が val_every={val_every} より少なく、検証データが空になります"
        )
    train = [line for i, line in enumerate(lines) if i % val_every != val_every - 1]
    val = [line for i, line in enumerate(lines) if i % val_every == val_every - 1]
    return "".join(line + "\n" for line in train), "".join(line + "\n" for line in val)


def char_vocab(corpus, min_count=1, unk=UNK):
    """文字の語彙：先頭が ``unk``、続いて corpus に ``min_count`` 回以上現れる文字を、出現回数の
    多い順に（同数なら文字コード順）。

    Parameters
    ----------
    corpus : str
        訓練データの文章（空でないこと）。
    min_count : int
        語彙に入れる文字の最小の出現回数（1 以上）。これより少ない文字は ``unk`` として扱われ、
        訓練データにも ``unk`` が現れるので、モデルは未知の文字の確率も学べる。
    unk : str
        語彙にない文字を表すトークン（corpus の 1 文字と重ならない文字列）。

    Returns
    -------
    list of str
        トークン ID → トークン。長さは（異なり文字数 + 1）。
    """
    corpus = text("corpus", corpus)
    min_count = integer("min_count", min_count, minimum=1)
    unk = text("unk", unk)
    if not corpus:
        raise ValueError("corpus が空です")
    counts = {}
    for ch in corpus:
        counts[ch] = counts.get(ch, 0) + 1
    if unk in counts:
        raise ValueError(f"unk={unk!r} が corpus の文字と重なっています")
    kept = [ch for ch in counts if counts[ch] >= min_count]
    return [unk] + sorted(kept, key=lambda ch: (-counts[ch], ch))


def _vocab(vocab):
    if isinstance(vocab, str) or not hasattr(vocab, "__len__"):
        raise TypeError(
            f"vocab は文字列のリスト（char_vocab の戻り値）である必要があります（{type(vocab).__name__}）"
        )
    vocab = list(vocab)
    if not vocab or not all(isinstance(tok, str) for tok in vocab):
        raise TypeError("vocab は空でない文字列のリスト（char_vocab の戻り値）である必要があります")
    if len(set(vocab)) != len(vocab):
        raise ValueError("vocab に同じトークンが 2 回以上あります")
    return vocab


def encode(corpus, vocab):
    """文章を文字ごとのトークン ID の列にする。語彙にない文字は ``vocab[0]``（``<unk>``）の ID 0。

    Parameters
    ----------
    corpus : str
    vocab : list of str
        ``char_vocab`` の戻り値（``vocab[0]`` が未知の文字のトークン）。

    Returns
    -------
    ndarray, shape (len(corpus),), dtype int64
    """
    corpus = text("corpus", corpus)
    vocab = _vocab(vocab)
    index = {tok: i for i, tok in enumerate(vocab)}
    return np.array([index.get(ch, 0) for ch in corpus], dtype=np.int64)


def decode(ids, vocab):
    """トークン ID の列を文章に戻す（``encode`` の逆。未知の文字は ``vocab[0]`` の文字列になる）。

    Parameters
    ----------
    ids : array_like of int, shape (T,)
        0〜len(vocab)-1 のトークン ID。
    vocab : list of str

    Returns
    -------
    str
    """
    vocab = _vocab(vocab)
    ids = labels(ids, "ids", len(vocab))
    return "".join(vocab[i] for i in ids)
