"""第 10 章の演習チェッカー（im2col・最大値プーリングの逆伝播）：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check
from nnbook.im2col import im2col
from nnbook.layers import Pooling


def _todo(*args):
    raise NotImplementedError


def _im2col_loop(
    x, fh, fw, stride=1, pad=0, order="cpq", rows="nij", use_stride=True, use_pad=True
):
    N, C, H, W = x.shape
    p_ = pad if use_pad else 0
    s = stride if use_stride else 1
    xp = np.pad(x, [(0, 0), (0, 0), (p_, p_), (p_, p_)])
    oh, ow = (H + 2 * p_ - fh) // s + 1, (W + 2 * p_ - fw) // s + 1
    out = []
    order_ij = [(i, j) for i in range(oh) for j in range(ow)]
    if rows == "nji":
        order_ij = [(i, j) for j in range(ow) for i in range(oh)]
    for n in range(N):
        for i, j in order_ij:
            window = xp[n, :, i * s : i * s + fh, j * s : j * s + fw]
            out.append(window.transpose(1, 2, 0).ravel() if order == "pqc" else window.ravel())
    return np.array(out)


@pytest.mark.parametrize("func", [_im2col_loop, im2col])
def test_im2col_checker_accepts_correct_answers(func, capsys):
    assert check.im2col(func)
    assert "すべて正解" in capsys.readouterr().out


def test_im2col_checker_reports_unimplemented(capsys):
    assert not check.im2col(_todo)
    assert "まだ実装されていません" in capsys.readouterr().out


def _overwrites(x, *args):
    out = _im2col_loop(x, *args)
    x[...] = 0
    return out


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda *a: _im2col_loop(*a).T, "行と列が逆"),
        (lambda *a: _im2col_loop(*a, use_stride=False), "stride"),
        (lambda *a: _im2col_loop(*a, use_pad=False), "パディング"),
        (lambda *a: _im2col_loop(*a, order="pqc"), "並びが違います"),
        (lambda *a: _im2col_loop(*a, rows="nji"), "行の順番"),
        (_overwrites, "書き換えて"),
        (lambda *a: None, "None"),
        (lambda *a: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_im2col_checker_finds_common_mistakes(wrong, message, capsys):
    assert not check.im2col(wrong)
    assert message in capsys.readouterr().out


def _pool_backward(x, dout):
    layer = Pooling(2, 2, stride=2)
    layer.forward(x[None, None])
    return layer.backward(dout[None, None])[0, 0]


@pytest.mark.parametrize("func", [_pool_backward])
def test_pool_backward_checker_accepts_correct_answers(func, capsys):
    assert check.max_pool_backward(func)
    assert "すべて正解" in capsys.readouterr().out


def _mask(x):
    pooled = x.reshape(x.shape[0] // 2, 2, -1, 2).max(axis=(1, 3))
    return (x == np.kron(pooled, np.ones((2, 2)))) * 1.0


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda x, d: np.kron(d, np.ones((2, 2))) / 4, "平均値プーリング"),
        (lambda x, d: np.kron(d, np.ones((2, 2))), "4 つすべて"),
        (lambda x, d: _pool_backward(-x, d), "argmax"),
        (lambda x, d: _mask(x), "dout を掛けて"),
        (lambda x, d: d, "形"),
        (lambda x, d: _todo(), "まだ実装されていません"),
    ],
)
def test_pool_backward_checker_finds_common_mistakes(wrong, message, capsys):
    assert not check.max_pool_backward(wrong)
    assert message in capsys.readouterr().out


@pytest.mark.parametrize("checker", [check.im2col, check.max_pool_backward])
def test_checkers_reject_non_callables(checker):
    with pytest.raises(TypeError):
        checker("im2col")
