"""第 3〜5 章の演習チェッカー：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check
from nnbook.functions import sigmoid

# ---------------------------------------------------------------- 第 3 章 forward


def _forward(network, x, hidden=sigmoid, out=lambda a: a, bias=True, depth=3):
    z = x
    for i in range(1, depth + 1):
        a = np.dot(z, network[f"W{i}"]) + (network[f"b{i}"] if bias else 0)
        z = hidden(a) if i < 3 else out(a)
    return z


def test_forward_checker_accepts_textbook_forward(capsys):
    assert check.forward(_forward)
    out = capsys.readouterr().out
    assert "すべて正解" in out
    assert out.count("○") == 3


def test_forward_checker_reports_unimplemented(capsys):
    def todo(network, x):
        raise NotImplementedError

    assert not check.forward(todo)
    assert "まだ実装されていません" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (
            lambda n, x: _forward(n, x, hidden=lambda a: a),
            "活性化関数（シグモイド関数）を通していない",
        ),
        (lambda n, x: _forward(n, x, out=sigmoid), "出力層にもシグモイド関数"),
        (lambda n, x: _forward(n, x, bias=False), "バイアス b を足していない"),
        (lambda n, x: _forward(n, x, depth=2), "第 3 層（W3, b3）"),
    ],
)
def test_forward_checker_explains_typical_mistakes(capsys, wrong, hint):
    assert not check.forward(wrong)
    out = capsys.readouterr().out
    assert "値が違います" in out
    assert hint in out


def test_forward_checker_rejects_hard_coded_weights(capsys):
    from nnbook.inference import init_network

    fixed = init_network()
    assert not check.forward(lambda network, x: _forward(fixed, x))
    out = capsys.readouterr().out
    assert "別の重みの network" in out
    assert "network['W1'] などから取り出しましょう" in out


def test_forward_checker_reports_wrong_product_order(capsys):
    def w_times_x(network, x):
        return _forward({k: (v.T if k.startswith("W") else v) for k, v in network.items()}, x)

    assert not check.forward(w_times_x)
    assert "ValueError" in capsys.readouterr().out


def test_forward_checker_rejects_non_callable():
    with pytest.raises(TypeError):
        check.forward([1, 2])


# ---------------------------------------------------------------- 第 4 章 softmax


def _softmax(a):
    c = np.max(a, axis=-1, keepdims=True)
    e = np.exp(a - c)
    return e / np.sum(e, axis=-1, keepdims=True)


def test_softmax_checker_accepts_safe_softmax(capsys):
    assert check.softmax(_softmax)
    out = capsys.readouterr().out
    assert "すべて正解" in out
    assert "出力の和が 1 です" in out
    assert "大きな値でもオーバーフローしません" in out


def test_softmax_checker_accepts_library_softmax(capsys):
    from nnbook.functions import softmax

    assert check.softmax(softmax)


def test_softmax_checker_reports_unimplemented(capsys):
    def todo(a):
        raise NotImplementedError

    assert not check.softmax(todo)
    assert "まだ実装されていません" in capsys.readouterr().out


def test_softmax_checker_rejects_naive_softmax_overflow(capsys):
    def naive(a):
        e = np.exp(a)
        return e / np.sum(e, axis=-1, keepdims=True)

    assert not check.softmax(naive)
    out = capsys.readouterr().out
    assert "nan が出ました" in out
    assert "オーバーフロー" in out
    assert "最大値" not in out  # 答えそのものは言わない


def test_softmax_checker_rejects_whole_array_normalisation(capsys):
    def whole(a):
        e = np.exp(a - np.max(a))
        return e / np.sum(e)

    assert not check.softmax(whole)
    assert "配列全体の和で割っています" in capsys.readouterr().out


def test_softmax_checker_rejects_column_normalisation(capsys):
    def columns(a):
        e = np.exp(a - np.max(a))
        return e / np.sum(e, axis=0)

    assert not check.softmax(columns)
    assert "列ごと（axis=0）" in capsys.readouterr().out


def test_softmax_checker_rejects_missing_normalisation(capsys):
    assert not check.softmax(lambda a: np.exp(a - np.max(a, axis=-1, keepdims=True)))
    assert "和が 1 になるように" in capsys.readouterr().out


def test_softmax_checker_rejects_in_place_modification(capsys):
    def in_place(a):
        a -= np.max(a, axis=-1, keepdims=True)
        np.exp(a, out=a)
        a /= np.sum(a, axis=-1, keepdims=True)
        return a

    assert not check.softmax(in_place)
    assert "入力の配列 a そのものを書き換えています" in capsys.readouterr().out


def test_softmax_checker_reports_missing_return(capsys):
    assert not check.softmax(lambda a: None)
    assert "return を忘れていませんか" in capsys.readouterr().out


# ---------------------------------------------------------------- 第 5 章 accuracy


def _accuracy(y, t):
    return np.sum(np.argmax(y, axis=1) == t) / len(t)


def test_accuracy_checker_accepts_correct_accuracy(capsys):
    assert check.accuracy(_accuracy)
    assert "すべて正解" in capsys.readouterr().out


def test_accuracy_checker_accepts_library_accuracy():
    from nnbook.inference import accuracy

    assert check.accuracy(accuracy)


def test_accuracy_checker_reports_unimplemented(capsys):
    def todo(y, t):
        raise NotImplementedError

    assert not check.accuracy(todo)
    out = capsys.readouterr().out
    assert out.count("まだ実装されていません") == 1


def test_accuracy_checker_rejects_count(capsys):
    assert not check.accuracy(lambda y, t: np.sum(np.argmax(y, axis=1) == t))
    assert "正解の数です。割合（0〜1）にするには" in capsys.readouterr().out


def test_accuracy_checker_rejects_wrong_axis(capsys):
    assert not check.accuracy(lambda y, t: np.mean(np.argmax(y, axis=0) == t))
    assert "np.argmax の axis を確かめましょう" in capsys.readouterr().out


def test_accuracy_checker_rejects_array_result(capsys):
    assert not check.accuracy(lambda y, t: np.argmax(y, axis=1) == t)
    assert "数を 1 つ返してください" in capsys.readouterr().out


def test_accuracy_checker_rejects_missing_return(capsys):
    assert not check.accuracy(lambda y, t: None)
    assert "return を忘れていませんか" in capsys.readouterr().out


def test_accuracy_checker_rejects_wrong_value(capsys):
    assert not check.accuracy(lambda y, t: 0.5)
    assert "値が違います" in capsys.readouterr().out


def test_new_checkers_are_exported():
    assert {"forward", "softmax", "accuracy"} <= set(check.__all__)
