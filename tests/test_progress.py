"""一定の秒数ごとの合図（nnbook.progress.Heartbeat）。"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnbook.progress import Heartbeat


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_heartbeat_prints_only_after_the_interval(capsys):
    clock = FakeClock()
    beat = Heartbeat(10, clock=clock)
    clock.now += 9.9
    assert not beat.maybe("ステップ 1")
    clock.now += 0.2
    assert beat.maybe("ステップ 2")
    clock.now += 5
    assert not beat.maybe("ステップ 3")  # 前の表示から 5 秒しかたっていない
    clock.now += 5
    assert beat.maybe("ステップ 4")
    assert capsys.readouterr().out.splitlines() == [
        "  … ステップ 2（10 秒経過）",
        "  … ステップ 4（20 秒経過）",
    ]


def test_heartbeat_reset_restarts_the_clock():
    clock = FakeClock()
    beat = Heartbeat(1, clock=clock)
    clock.now += 5
    beat.reset()
    assert beat.elapsed() == 0 and not beat.due()


@pytest.mark.parametrize(
    "seconds, error", [(0, ValueError), (-1, ValueError), ("10", TypeError), (True, TypeError)]
)
def test_heartbeat_bad_seconds(seconds, error):
    with pytest.raises(error, match="seconds"):
        Heartbeat(seconds)


def test_heartbeat_bad_clock_and_message():
    with pytest.raises(TypeError, match="clock"):
        Heartbeat(1, clock=3.0)
    with pytest.raises(TypeError, match="message"):
        Heartbeat(1).maybe(42)


@settings(max_examples=30)
@given(
    steps=st.lists(st.floats(0, 30, allow_nan=False), min_size=1, max_size=40),
    seconds=st.floats(0.5, 20),
)
def test_heartbeat_lines_are_at_least_seconds_apart(steps, seconds):
    clock = FakeClock()
    beat = Heartbeat(seconds, clock=clock)
    shown = []
    for dt in steps:
        clock.now += dt
        if beat.maybe("x"):
            shown.append(clock.now)
    gaps = [b - a for a, b in zip([100.0, *shown], shown)]
    assert all(g >= seconds for g in gaps)
    # 表示しなかった最後の区間も seconds 未満
    assert clock.now - ([100.0, *shown][-1]) < seconds or beat.due()
