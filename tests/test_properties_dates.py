"""性質のテスト（Hypothesis）：日付の書き方の変換の課題（nnbook.dates）。

tests/test_properties.py と同じ規則です。

- どの日付・どの書き方でも、和暦の年から西暦の年に戻せて、曜日は ``datetime`` と一致し、
  文字の ID に直して戻すと元の文字列になる。
- 悪い入力（整数でない個数、日付でないもの、知らない書き方）は、引数の名前を書いた
  TypeError か ValueError だけを出す。
"""

import datetime as dt
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook import dates
from nnbook.dates import ERAS, Vocabulary, date_pairs, format_date, wareki

DAYS = st.dates(min_value=dt.date(1989, 1, 8), max_value=dt.date(2035, 12, 31))
FORMAT_NAMES = st.sampled_from(list(dates.FORMATS))


def _year_from_wareki(source):
    """「令和 8 年」「平成元年」「R8.」から西暦の年を計算し直す（テストのための独立した読み方）。"""
    m = re.match(r"(平成|令和|H|R)\s?(元|\d+)", source)
    era = {"平成": 1989, "H": 1989, "令和": 2019, "R": 2019}[m.group(1)]
    n = 1 if m.group(2) == "元" else int(m.group(2))
    return era + n - 1


@settings(max_examples=60, deadline=None)
@given(DAYS)
def test_wareki_round_trip(day):
    era, n = wareki(day)
    assert n >= 1
    assert (era == "令和") == (day >= dt.date(2019, 5, 1))
    start = dict((e[0], e[2]) for e in ERAS)[era]
    assert start.year + n - 1 == day.year and start <= day
    for fmt in ("wareki", "wareki_spaced", "wareki_short"):
        assert _year_from_wareki(format_date(day, fmt)) == day.year
    assert ("元" in format_date(day, "wareki")) == (n == 1)


@settings(max_examples=40, deadline=None)
@given(DAYS, FORMAT_NAMES)
def test_every_format_keeps_the_date(day, fmt):
    source = format_date(day, fmt)
    digits = [int(x) for x in re.findall(r"\d+", source)]
    if fmt == "compact":
        assert source == day.strftime("%Y%m%d")
    elif not fmt.startswith("wareki"):
        assert day.year in digits and day.day in digits
    if fmt.startswith("weekday"):
        assert "月火水木金土日"[day.weekday()] in source
    vocab = Vocabulary.from_texts([source])
    assert vocab.decode(vocab.encode([source], len(source) + 2)) == [source]


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 50), st.integers(0, 2**32 - 1))
def test_date_pairs_are_valid(n, seed):
    pairs = date_pairs(n, seed=np.int64(seed) if seed % 2 else seed)
    assert len(pairs) == n
    for source, target in pairs:
        assert len(target) == 10 and format_date(dt.date.fromisoformat(target), "iso") == target
        assert source in {format_date(dt.date.fromisoformat(target), f) for f in dates.FORMATS}


@settings(max_examples=25, deadline=None)
@given(
    st.one_of(
        st.floats(allow_nan=True),
        st.text(max_size=3),
        st.booleans(),
        st.none(),
        st.integers(-5, 0),
    )
)
def test_bad_counts_are_named(n):
    with pytest.raises((TypeError, ValueError), match="n "):
        date_pairs(n)


@settings(max_examples=25, deadline=None)
@given(st.one_of(st.text(max_size=5), st.integers(), st.floats(), st.none()))
def test_bad_days_are_named(day):
    with pytest.raises(TypeError, match="d は datetime.date"):
        wareki(day)
    with pytest.raises(TypeError, match="d は datetime.date"):
        format_date(day, "iso")


@settings(max_examples=25, deadline=None)
@given(DAYS, st.text(min_size=1, max_size=8).filter(lambda f: f not in dates.FORMATS))
def test_unknown_formats_are_named(day, fmt):
    with pytest.raises(ValueError, match="fmt"):
        format_date(day, fmt)
