"""日付の書き方の変換：いろいろな書き方の日付 → ISO 形式（第 16 章の系列変換の課題）。

「令和 8 年 12 月 2 日」「Dec 2, 2026」「12/2/2026」のような書き方の日付を、ISO 形式の
「2026-12-02」に直す課題のデータを、種から決まった順に作ります。和暦は平成（1989-01-08〜2019-04-30）と
令和（2019-05-01〜）で、1 年目は「元年」と書きます。TensorFlow は使いません。

    pairs = date_pairs(1000, seed=0)            # [(入力の文字列, "YYYY-MM-DD"), ...]
    train, test = train_test_dates(seed=0)      # 日付が重ならない訓練用とテスト用の日付
    vocab = Vocabulary.from_texts(s for s, _ in pairs)
    X = vocab.encode([s for s, _ in pairs], length=20)   # (N, 20) の文字 ID
"""

import datetime as _dt

import numpy as np

from ._validation import integer, number, random_seed, text

__all__ = [
    "ERAS",
    "FORMATS",
    "wareki",
    "format_date",
    "random_dates",
    "train_test_dates",
    "date_pairs",
    "Vocabulary",
]

#: 和暦の元号と、その初日（グレゴリオ暦）。新しい順ではなく古い順。
ERAS = (
    ("平成", "H", _dt.date(1989, 1, 8)),
    ("令和", "R", _dt.date(2019, 5, 1)),
)

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_WEEKDAYS = "月火水木金土日"  # date.weekday() は月曜日が 0

#: 書き方の名前と、2026-12-02 の例。
FORMATS = {
    "iso": "2026-12-02",
    "slash": "2026/12/2",
    "kanji": "2026年12月2日",
    "weekday": "2026年12月2日(水)",
    "weekday_first": "水曜日, 2026年12月2日",
    "wareki": "令和8年12月2日",
    "wareki_spaced": "令和 8 年 12 月 2 日",  # 元年は「令和元年 5 月 1 日」
    "wareki_short": "R8.12.2",
    "us": "12/2/2026",
    "month_day": "Dec 2, 2026",
    "day_month": "2 December 2026",
    "compact": "20261202",
}


def _as_date(d, name="d"):
    if isinstance(d, _dt.datetime) or not isinstance(d, _dt.date):
        raise TypeError(
            f"{name} は datetime.date である必要があります（{type(d).__name__} の {d!r}）"
        )
    return d


def wareki(d):
    """日付を和暦の元号と年にする。

    Parameters
    ----------
    d : datetime.date
        1989-01-08（平成元年 1 月 8 日）以降の日付。

    Returns
    -------
    era : str
        元号（"平成" か "令和"）。
    year : int
        元号の年（1 年目が 1。書くときは「元年」）。

    Examples
    --------
    >>> wareki(datetime.date(2019, 4, 30)), wareki(datetime.date(2019, 5, 1))
    (('平成', 31), ('令和', 1))
    """
    d = _as_date(d)
    if d < ERAS[0][2]:
        raise ValueError(f"d は {ERAS[0][2]}（平成元年 1 月 8 日）以降の日付です（{d}）")
    era, _, start = [e for e in ERAS if e[2] <= d][-1]
    return era, d.year - start.year + 1


def format_date(d, fmt):
    """日付を ``FORMATS`` の書き方の文字列にする。

    Parameters
    ----------
    d : datetime.date
        日付（和暦の書き方は 1989-01-08 以降）。
    fmt : str
        ``FORMATS`` のキー（"iso"、"wareki" など）。

    Returns
    -------
    str
        例：``format_date(datetime.date(2019, 5, 1), "wareki")`` は "令和元年5月1日"。
    """
    d = _as_date(d)
    fmt = text("fmt", fmt)
    if fmt not in FORMATS:
        raise ValueError(f"fmt は {list(FORMATS)} のどれかです（{fmt!r}）")
    y, m, day = d.year, d.month, d.day
    kanji = f"{y}年{m}月{day}日"
    weekday = _WEEKDAYS[d.weekday()]
    if fmt.startswith("wareki"):
        era, n = wareki(d)
        if fmt == "wareki_short":
            letter = next(e[1] for e in ERAS if e[0] == era)
            return f"{letter}{n}.{m}.{day}"
        if fmt == "wareki":
            return f"{era}{'元' if n == 1 else n}年{m}月{day}日"
        year = "元年" if n == 1 else f" {n} 年"  # 半角の数字の前後にだけ空白を入れる
        return f"{era}{year} {m} 月 {day} 日"
    return {
        "iso": d.isoformat(),
        "slash": f"{y}/{m}/{day}",
        "kanji": kanji,
        "weekday": f"{kanji}({weekday})",
        "weekday_first": f"{weekday}曜日, {kanji}",
        "us": f"{m}/{day}/{y}",
        "month_day": f"{_MONTHS[m - 1][:3]} {day}, {y}",
        "day_month": f"{day} {_MONTHS[m - 1]} {y}",
        "compact": f"{y}{m:02d}{day:02d}",
    }[fmt]


_FIRST = ERAS[0][2]
_LAST = _dt.date(2035, 12, 31)


def _date_range(first, last):
    first, last = _as_date(first, "first"), _as_date(last, "last")
    if first < _FIRST:
        raise ValueError(f"first は {_FIRST}（平成元年 1 月 8 日）以降の日付です（{first}）")
    if last < first:
        raise ValueError(f"last（{last}）は first（{first}）以降の日付である必要があります")
    return first, (last - first).days + 1


def random_dates(n, seed=None, first=_FIRST, last=_LAST):
    """first 以上 last 以下の日付を、重複なしに n 個でたらめに選ぶ。

    Parameters
    ----------
    n : int
        個数（1 以上、範囲の日数以下）。
    seed : int or numpy.random.Generator, optional
        乱数の種。
    first, last : datetime.date
        範囲（両端を含む。first は 1989-01-08 以降）。

    Returns
    -------
    list of datetime.date, length n
    """
    first, days = _date_range(first, last)
    n = integer("n", n, minimum=1, maximum=days)
    rng = np.random.default_rng(random_seed("seed", seed))
    offsets = rng.choice(days, size=n, replace=False)
    return [first + _dt.timedelta(days=int(k)) for k in offsets]


def train_test_dates(test_fraction=0.2, seed=0, first=_FIRST, last=_LAST):
    """範囲のすべての日付を、重ならない訓練用とテスト用に分ける。

    Parameters
    ----------
    test_fraction : float
        テスト用にする割合（0 より大きく 1 より小さい）。
    seed : int or numpy.random.Generator
        乱数の種。
    first, last : datetime.date
        範囲（両端を含む）。

    Returns
    -------
    train, test : list of datetime.date
        どちらも日付の順。合わせると範囲のすべての日付で、共通の日付はない。
    """
    test_fraction = number("test_fraction", test_fraction, positive=True, below=1.0)
    first, days = _date_range(first, last)
    if days < 2:
        raise ValueError(f"範囲に日付が 2 つ以上必要です（{first}〜{last}）")
    rng = np.random.default_rng(random_seed("seed", seed))
    n_test = min(max(1, round(days * test_fraction)), days - 1)
    is_test = np.zeros(days, dtype=bool)
    is_test[rng.choice(days, size=n_test, replace=False)] = True
    all_dates = [first + _dt.timedelta(days=k) for k in range(days)]
    train = [d for d, t in zip(all_dates, is_test) if not t]
    test = [d for d, t in zip(all_dates, is_test) if t]
    return train, test


def date_pairs(n, seed=None, dates=None, formats=None):
    """（入力の文字列, ISO 形式の文字列）の組を n 個作る。

    日付は ``dates`` から（None なら 1989-01-08〜2035-12-31 から）、書き方は ``formats`` から、
    どちらも等しい確率で選びます（同じ日付が違う書き方で何度か出ることがある）。

    Parameters
    ----------
    n : int
        組の数（1 以上）。
    seed : int or numpy.random.Generator, optional
        乱数の種。同じ種なら同じ組。
    dates : sequence of datetime.date, optional
        使う日付（例：``train_test_dates`` の片方）。
    formats : sequence of str, optional
        使う書き方（``FORMATS`` のキー）。None ならすべて。

    Returns
    -------
    list of (str, str), length n
        例：``("令和 8 年 12 月 2 日", "2026-12-02")``。
    """
    n = integer("n", n, minimum=1)
    rng = np.random.default_rng(random_seed("seed", seed))
    if dates is None:
        first, days = _date_range(_FIRST, _LAST)
        dates = [first + _dt.timedelta(days=k) for k in range(days)]
    if isinstance(dates, (str, bytes)) or not hasattr(dates, "__len__"):
        raise TypeError(f"dates は日付のリストである必要があります（{type(dates).__name__}）")
    dates = [_as_date(d, f"dates[{i}]") for i, d in enumerate(dates)]
    if not dates:
        raise ValueError("dates が空です")
    formats = list(FORMATS) if formats is None else formats
    if isinstance(formats, str) or not hasattr(formats, "__len__"):
        raise TypeError(f"formats は書き方の名前のリストです（{formats!r}）")
    formats = [text(f"formats[{i}]", f) for i, f in enumerate(formats)]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ValueError(f"formats は {list(FORMATS)} から選びます（{formats!r}）")
    chosen = rng.integers(len(dates), size=n)
    styles = rng.integers(len(formats), size=n)
    return [
        (format_date(dates[i], formats[j]), dates[i].isoformat()) for i, j in zip(chosen, styles)
    ]


class Vocabulary:
    """文字と ID（整数）の対応。ID 0 は詰め物（パディング）、1 は系列の始まりの記号。

    Parameters
    ----------
    chars : iterable of str
        使う文字（1 文字ずつ。重複は 1 つにまとめ、並べ替える）。

    Attributes
    ----------
    chars : list of str
        ID の順の文字。``chars[0]`` は詰め物、``chars[1]`` は始まりの記号。
    """

    PAD, START = "_", "^"

    def __init__(self, chars):
        if isinstance(chars, str):
            chars = list(chars)
        chars = sorted({text("chars の要素", c) for c in chars})
        if any(len(c) != 1 for c in chars):
            raise ValueError(f"chars の要素は 1 文字ずつです（{chars!r}）")
        special = [c for c in chars if c in (self.PAD, self.START)]
        if special:
            raise ValueError(f"chars に記号 {special} は使えません（詰め物と始まりの記号）")
        self.chars = [self.PAD, self.START, *chars]
        self.index = {c: i for i, c in enumerate(self.chars)}

    @classmethod
    def from_texts(cls, texts):
        """文字列の集まりに出てくるすべての文字から作る。"""
        return cls("".join(text("texts の要素", t) for t in texts))

    def __len__(self):
        return len(self.chars)

    def encode(self, texts, length):
        """文字列のリストを、長さ length にそろえた ID の配列にする（足りない分は 0 で詰める）。

        Parameters
        ----------
        texts : sequence of str
        length : int
            そろえる長さ（どの文字列の長さ以上）。

        Returns
        -------
        ndarray, shape (len(texts), length), dtype int32
        """
        if isinstance(texts, str):
            raise TypeError("texts は文字列のリストです（文字列 1 つなら [s] と書きます）")
        texts = [text(f"texts[{i}]", t) for i, t in enumerate(texts)]
        length = integer("length", length, minimum=1)
        out = np.zeros((len(texts), length), dtype=np.int32)
        for i, t in enumerate(texts):
            if len(t) > length:
                raise ValueError(f"texts[{i}] = {t!r} が length = {length} より長いです")
            unknown = [c for c in t if c not in self.index]
            if unknown:
                raise ValueError(f"texts[{i}] = {t!r} に知らない文字 {unknown[0]!r} があります")
            out[i, : len(t)] = [self.index[c] for c in t]
        return out

    def decode(self, ids):
        """ID の列を文字列にする（詰め物と始まりの記号は除く）。

        Parameters
        ----------
        ids : array_like, shape (T,) または (N, T)

        Returns
        -------
        str または list of str
        """
        arr = np.asarray(ids)
        if arr.dtype.kind not in "iu" or arr.ndim not in (1, 2):
            raise TypeError(
                f"ids は 1 次元か 2 次元の整数の配列です（dtype={arr.dtype}, shape={arr.shape}）"
            )
        if arr.size and (arr.min() < 0 or arr.max() >= len(self.chars)):
            raise ValueError(f"ids は 0〜{len(self.chars) - 1} の整数です")
        if arr.ndim == 2:
            return [self.decode(row) for row in arr]
        return "".join(self.chars[i] for i in arr if i > 1)
