"""第 14 章（生成モデル）の演習チェッカー：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check, generative


def _todo(samples, centers, threshold):
    raise NotImplementedError


def _share(samples, centers, threshold):
    d = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    return np.mean(d.min(axis=1) <= threshold)


def test_accepts_correct_solution(capsys):
    assert check.high_quality_share(_share)
    out = capsys.readouterr().out
    assert "すべて正解" in out and out.count("○") == 4


def test_accepts_the_package_version():
    assert check.high_quality_share(generative.high_quality_share)


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (
            lambda x, c, r: np.sum(np.linalg.norm(x[:, None] - c[None], axis=2).min(1) <= r),
            "個数を返して",
        ),
        (
            lambda x, c, r: np.mean(np.linalg.norm(x[:, None] - c[None], axis=2).min(1) < r),
            "<= を使います",
        ),
        (lambda x, c, r: np.mean(np.linalg.norm(x - c[0], axis=1) <= r), "最初の中心"),
        (
            lambda x, c, r: np.mean((((x[:, None] - c[None]) ** 2).sum(2)).min(1) <= r),
            "2 乗",
        ),
        (
            lambda x, c, r: np.mean(np.linalg.norm(x[:, None] - c[None], axis=2).max(1) <= r),
            "min を使います",
        ),
    ],
    ids=["count", "strict", "first-center", "squared", "max"],
)
def test_hints_for_common_mistakes(capsys, wrong, hint):
    assert not check.high_quality_share(wrong)
    assert hint in capsys.readouterr().out


def test_rejects_arrays_and_none(capsys):
    assert not check.high_quality_share(lambda x, c, r: np.zeros(len(x)))
    assert "数を 1 つ返してください" in capsys.readouterr().out
    assert not check.high_quality_share(lambda x, c, r: None)
    assert "return を忘れて" in capsys.readouterr().out


def test_unimplemented_is_reported_once(capsys):
    assert not check.high_quality_share(_todo)
    assert capsys.readouterr().out.count("まだ実装されていません") == 1


def test_detects_changed_input(capsys):
    def mutating(x, c, r):
        share = _share(x, c, r)
        x[:] = 0.0
        return share

    assert not check.high_quality_share(mutating)
    assert "書き換えています" in capsys.readouterr().out


def test_needs_a_function():
    with pytest.raises(TypeError, match="関数"):
        check.high_quality_share(0.5)
