"""第 1・2 章の演習チェッカー：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check


def test_gate_checkers_accept_correct_gates(capsys):
    assert check.and_gate(lambda x1, x2: int(x1 and x2))
    assert check.nand_gate(lambda x1, x2: int(not (x1 and x2)))
    assert check.or_gate(lambda x1, x2: int(x1 or x2))
    assert check.xor_gate(lambda x1, x2: int(x1 != x2))
    assert "すべて正解" in capsys.readouterr().out


def test_gate_checker_rejects_wrong_truth_table(capsys):
    assert not check.xor_gate(lambda x1, x2: int(x1 or x2))
    out = capsys.readouterr().out
    assert "(1, 1) → 1: 真理値表と違います" in out


def test_gate_checker_reports_unimplemented(capsys):
    def todo(x1, x2):
        raise NotImplementedError

    assert not check.and_gate(todo)
    assert "まだ実装されていません" in capsys.readouterr().out


def test_gate_checker_rejects_arrays(capsys):
    assert not check.and_gate(lambda x1, x2: np.array([x1, x2]))
    assert "0 か 1 の数を 1 つ" in capsys.readouterr().out


def test_step_checker(capsys):
    assert check.step_function(lambda x: (x > 0).astype(int))
    assert not check.step_function(lambda x: (x >= 0).astype(int))
    assert "値が違います" in capsys.readouterr().out


def test_sigmoid_checker_accepts_and_notes_overflow(capsys):
    assert check.sigmoid(lambda x: 1 / (1 + np.exp(-x)))
    assert "オーバーフロー" in capsys.readouterr().out


def test_sigmoid_checker_rejects_wrong_formula(capsys):
    assert not check.sigmoid(lambda x: 1 / (1 + np.exp(x)))
    assert "値が違います" in capsys.readouterr().out


def test_relu_checker(capsys):
    assert check.relu(lambda x: np.maximum(0, x))
    assert not check.relu(lambda x: None)
    assert "None" in capsys.readouterr().out


def test_relu_checker_rejects_in_place_modification(capsys):
    def in_place(x):
        x[x < 0] = 0
        return x

    assert not check.relu(in_place)
    assert "書き換えて" in capsys.readouterr().out


def test_checker_rejects_non_callable():
    with pytest.raises(TypeError, match="関数"):
        check.sigmoid(3)
