"""日付の書き方の変換の課題（nnbook.dates）：和暦、書き方、データの分け方、文字の ID。"""

import datetime as dt

import numpy as np
import pytest

from nnbook import dates
from nnbook.dates import Vocabulary, date_pairs, format_date, train_test_dates, wareki

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(1989, 1, 8), ("平成", 1)),  # 平成の初日
        (D(1989, 12, 31), ("平成", 1)),
        (D(1990, 1, 1), ("平成", 2)),
        (D(2019, 4, 30), ("平成", 31)),  # 平成の最後の日
        (D(2019, 5, 1), ("令和", 1)),  # 令和の初日
        (D(2020, 1, 1), ("令和", 2)),
        (D(2026, 12, 2), ("令和", 8)),
    ],
)
def test_wareki_known_dates(day, expected):
    assert wareki(day) == expected


@pytest.mark.parametrize(
    ("day", "fmt", "expected"),
    [
        (D(2026, 12, 2), "iso", "2026-12-02"),
        (D(2026, 12, 2), "slash", "2026/12/2"),
        (D(2026, 12, 2), "kanji", "2026年12月2日"),
        (D(2026, 12, 2), "weekday", "2026年12月2日(水)"),
        (D(2026, 12, 2), "weekday_first", "水曜日, 2026年12月2日"),
        (D(2026, 12, 2), "wareki", "令和8年12月2日"),
        (D(2026, 12, 2), "wareki_spaced", "令和 8 年 12 月 2 日"),
        (D(2026, 12, 2), "wareki_short", "R8.12.2"),
        (D(2026, 12, 2), "us", "12/2/2026"),
        (D(2026, 12, 2), "month_day", "Dec 2, 2026"),
        (D(2026, 12, 2), "day_month", "2 December 2026"),
        (D(2026, 12, 2), "compact", "20261202"),
        (D(2019, 4, 30), "wareki", "平成31年4月30日"),
        (D(2019, 5, 1), "wareki", "令和元年5月1日"),
        (D(2019, 5, 1), "wareki_spaced", "令和元年 5 月 1 日"),
        (D(2019, 5, 1), "wareki_short", "R1.5.1"),
        (D(1989, 1, 8), "wareki", "平成元年1月8日"),
        (D(1989, 1, 8), "wareki_short", "H1.1.8"),
        (D(2000, 2, 29), "weekday", "2000年2月29日(火)"),
        (D(1995, 9, 7), "month_day", "Sep 7, 1995"),
    ],
)
def test_format_date_known_values(day, fmt, expected):
    assert format_date(day, fmt) == expected


def test_formats_examples_are_2026_12_02():
    for fmt, example in dates.FORMATS.items():
        assert format_date(D(2026, 12, 2), fmt) == example


def test_weekday_matches_datetime():
    names = "月火水木金土日"
    day = D(1989, 1, 8)
    while day < D(1990, 1, 8):
        assert format_date(day, "weekday").endswith(f"({names[day.weekday()]})")
        assert format_date(day, "weekday_first").startswith(f"{names[day.weekday()]}曜日")
        day += dt.timedelta(days=1)
    assert format_date(D(1989, 1, 8), "weekday").endswith("(日)")  # 平成元年 1 月 8 日は日曜日


def test_date_pairs_is_deterministic_and_targets_are_iso():
    a = date_pairs(200, seed=3)
    assert a == date_pairs(200, seed=3)
    assert a != date_pairs(200, seed=4)
    for source, target in a:
        day = D.fromisoformat(target)
        assert D(1989, 1, 8) <= day <= D(2035, 12, 31)
        assert source in {format_date(day, f) for f in dates.FORMATS}


def test_date_pairs_uses_given_dates_and_formats():
    days = [D(2019, 4, 30), D(2019, 5, 1)]
    pairs = date_pairs(50, seed=0, dates=days, formats=["wareki"])
    assert {p for p in pairs} == {
        ("平成31年4月30日", "2019-04-30"),
        ("令和元年5月1日", "2019-05-01"),
    }


def test_train_test_dates_do_not_overlap_and_cover_the_range():
    first, last = D(2018, 1, 1), D(2020, 12, 31)
    train, test = train_test_dates(0.25, seed=0, first=first, last=last)
    assert not set(train) & set(test)
    assert len(train) + len(test) == (last - first).days + 1
    assert len(test) == round(((last - first).days + 1) * 0.25)
    assert train == sorted(train) and test == sorted(test)
    assert train_test_dates(0.25, seed=0, first=first, last=last) == (train, test)


def test_random_dates_are_distinct_and_in_range():
    days = dates.random_dates(100, seed=0, first=D(2019, 1, 1), last=D(2019, 12, 31))
    assert len(set(days)) == 100
    assert all(D(2019, 1, 1) <= d <= D(2019, 12, 31) for d in days)


def test_vocabulary_encode_decode_round_trip():
    vocab = Vocabulary.from_texts(["令和元年5月1日", "2019-05-01"])
    assert vocab.chars[:2] == ["_", "^"]
    X = vocab.encode(["令和元年5月1日", "2019-05-01"], length=12)
    assert X.shape == (2, 12) and X.dtype == np.int32
    assert (X[0, 8:] == 0).all() and (X[1, :10] > 1).all()
    assert vocab.decode(X) == ["令和元年5月1日", "2019-05-01"]
    assert vocab.decode(np.array([1, *X[1]])) == "2019-05-01"  # 始まりの記号は除く
    assert len(vocab) == len(set("令和元年5月1日2019-05-01")) + 2


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: wareki(D(1989, 1, 7)), ValueError, "1989-01-08"),
        (lambda: wareki("2019-05-01"), TypeError, "datetime.date"),
        (lambda: wareki(dt.datetime(2019, 5, 1)), TypeError, "datetime.date"),
        (lambda: format_date(D(2020, 1, 1), "roman"), ValueError, "fmt"),
        (lambda: format_date(D(2020, 1, 1), 3), TypeError, "fmt"),
        (lambda: format_date(D(1980, 1, 1), "wareki"), ValueError, "1989-01-08"),
        (lambda: date_pairs(0), ValueError, "n"),
        (lambda: date_pairs(2.0), TypeError, "n"),
        (lambda: date_pairs(5, dates=[]), ValueError, "dates"),
        (lambda: date_pairs(5, dates="2020-01-01"), TypeError, "dates"),
        (lambda: date_pairs(5, dates=[D(2020, 1, 1), "x"]), TypeError, "dates[1]"),
        (lambda: date_pairs(5, formats="iso"), TypeError, "formats"),
        (lambda: date_pairs(5, formats=["iso", "roman"]), ValueError, "formats"),
        (lambda: date_pairs(5, seed=-1), ValueError, "seed"),
        (lambda: train_test_dates(0.0), ValueError, "test_fraction"),
        (lambda: train_test_dates(1.0), ValueError, "test_fraction"),
        (lambda: train_test_dates(0.2, first=D(1988, 1, 1)), ValueError, "first"),
        (
            lambda: train_test_dates(0.2, first=D(2020, 1, 2), last=D(2020, 1, 1)),
            ValueError,
            "last",
        ),
        (lambda: dates.random_dates(10, first=D(2020, 1, 1), last=D(2020, 1, 5)), ValueError, "n"),
        (lambda: Vocabulary(["ab"]), ValueError, "1 文字"),
        (lambda: Vocabulary("a_"), ValueError, "記号"),
        (lambda: Vocabulary([1]), TypeError, "chars"),
        (lambda: Vocabulary("ab").encode("ab", 3), TypeError, "texts"),
        (lambda: Vocabulary("ab").encode(["abc"], 3), ValueError, "知らない文字"),
        (lambda: Vocabulary("ab").encode(["abab"], 3), ValueError, "length"),
        (lambda: Vocabulary("ab").encode(["ab"], 0), ValueError, "length"),
        (lambda: Vocabulary("ab").decode([0.5]), TypeError, "ids"),
        (lambda: Vocabulary("ab").decode([4]), ValueError, "ids"),
    ],
)
def test_bad_input(call, error, words):
    with pytest.raises(error, match=words.replace("[", r"\[").replace("]", r"\]")):
        call()
