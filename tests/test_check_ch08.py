"""第 8 章の演習チェッカー（Adam の更新）：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check
from nnbook.optimizers import Adam


def _todo(*args):
    raise NotImplementedError


def _adam(W, grad, m, v, t, lr, beta1, beta2, eps, correct=True, swap=False, t_offset=0):
    t = t + t_offset
    if swap:
        m = (1 - beta1) * m + beta1 * grad
    else:
        m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad * grad
    m_hat = m / (1 - beta1**t) if correct else m
    v_hat = v / (1 - beta2**t) if correct else v
    return W - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def _adam_by_nnbook(W, grad, m, v, t, lr, beta1, beta2, eps):
    """nnbook の Adam に状態を渡して 1 回だけ更新させる（独立な答え）。"""
    opt = Adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    opt.m, opt.v, opt.t = [m.copy()], [v.copy()], t - 1
    W = W.copy()
    opt.update([W], [grad])
    return W, opt.m[0], opt.v[0]


@pytest.mark.parametrize("func", [_adam, _adam_by_nnbook])
def test_adam_checker_accepts_correct_answers(func, capsys):
    assert check.adam_update(func)
    assert "すべて正解" in capsys.readouterr().out


def test_adam_checker_reports_unimplemented(capsys):
    assert not check.adam_update(_todo)
    assert "まだ実装されていません" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda *a: _adam(*a, correct=False), "バイアス補正"),
        (lambda *a: _adam(*a, swap=True), "入れ替わって"),
        (lambda *a: _adam(*a, t_offset=-1), "t は 1 から"),
        (lambda *a: _adam(*a, t_offset=1), "ずれて"),
        (lambda W, g, m, v, t, *rest: _adam(W, g, m, v, 1, *rest), "2 回目以降"),
        (lambda W, g, m, v, t, lr, *rest: (W - lr * g, m, v), "SGD"),
        (lambda W, g, m, v, *rest: (W, m, v, 0), "3 つ"),
        (lambda W, g, m, v, *rest: (W[0], m, v), "同じ形"),
        (lambda *a: None, "None"),
    ],
)
def test_adam_checker_finds_common_mistakes(wrong, message, capsys):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert not check.adam_update(wrong)
    assert message in capsys.readouterr().out


def test_adam_checker_rejects_non_callables():
    with pytest.raises(TypeError):
        check.adam_update("adam")
