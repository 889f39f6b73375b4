"""第 8〜10 章（Keras）の演習チェッカー：正しい答えを受け入れ、よくある間違いを見つける。"""

import numpy as np
import pytest

from nnbook import check


def _todo(*args):
    raise NotImplementedError


# ---------------------------------------------------------------- mlp_param_count


def _mlp_params(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def test_mlp_param_count_accepts_correct(capsys):
    assert check.mlp_param_count(_mlp_params)
    out = capsys.readouterr().out
    assert "407,050 個で正しい値です" in out and "すべて正解" in out


def test_mlp_param_count_accepts_numpy_integers():
    assert check.mlp_param_count(lambda sizes: np.int64(_mlp_params(sizes)))


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])), "重みだけ"),
        (lambda s: sum(a * b for a, b in zip(s[:-1], s[1:])) + sum(s), "入力層にもバイアス"),
        (lambda s: sum(a * b + a for a, b in zip(s[:-1], s[1:])), "入力側で数えて"),
    ],
    ids=["no-bias", "input-bias", "bias-on-input-side"],
)
def test_mlp_param_count_hints(capsys, wrong, hint):
    assert not check.mlp_param_count(wrong)
    assert hint in capsys.readouterr().out


def test_mlp_param_count_rejects_non_integers(capsys):
    assert not check.mlp_param_count(lambda s: _mlp_params(s) + 0.5)
    assert "整数ではありません" in capsys.readouterr().out
    assert not check.mlp_param_count(lambda s: [_mlp_params(s)])
    assert "整数を 1 つ" in capsys.readouterr().out


def test_mlp_param_count_unimplemented_and_none(capsys):
    assert not check.mlp_param_count(_todo)
    out = capsys.readouterr().out
    assert out.count("まだ実装されていません") == 1, "未実装は 1 回だけ知らせる"
    assert not check.mlp_param_count(lambda s: None)
    assert "return を忘れて" in capsys.readouterr().out


def test_checkers_need_a_function():
    for checker in (check.mlp_param_count, check.conv_output_size, check.make_windows):
        with pytest.raises(TypeError):
            checker(42)


# ---------------------------------------------------------------- conv_output_size


def test_conv_output_size_accepts_correct(capsys):
    assert check.conv_output_size(lambda H, K, S=1, P=0: (H + 2 * P - K) // S + 1)
    assert "28、フィルタ 3、ストライド 1、パディング 0 → 26" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wrong", "hint"),
    [
        (lambda H, K, S, P: (H + 2 * P - K) // S, "+ 1"),
        (lambda H, K, S, P: (H - K) // S + 1, "パディングが入っていません"),
        (lambda H, K, S, P: -(-(H + 2 * P - K) // S) + 1, "切り上げ"),
    ],
    ids=["no-plus-one", "no-padding", "ceil"],
)
def test_conv_output_size_hints(capsys, wrong, hint):
    assert not check.conv_output_size(wrong)
    assert hint in capsys.readouterr().out


def test_conv_output_size_rejects_true_division(capsys):
    assert not check.conv_output_size(lambda H, K, S, P: (H + 2 * P - K) / S + 1)
    assert "// を使います" in capsys.readouterr().out


def test_conv_output_size_unimplemented(capsys):
    assert not check.conv_output_size(_todo)
    assert "まだ実装されていません" in capsys.readouterr().out


# ---------------------------------------------------------------- make_windows


def _windows(series, window):
    M = len(series) - window
    x = np.stack([series[i : i + window] for i in range(M)])[..., None]
    return x, series[window:]


def test_make_windows_accepts_correct(capsys):
    assert check.make_windows(_windows)
    assert "すべて正解" in capsys.readouterr().out


def test_make_windows_accepts_the_library_version():
    from nnbook.sequences import make_windows

    assert check.make_windows(lambda s, w: make_windows(s, w))


def test_make_windows_hint_for_missing_feature_axis(capsys):
    assert not check.make_windows(lambda s, w: (_windows(s, w)[0][..., 0], _windows(s, w)[1]))
    assert "x[..., None]" in capsys.readouterr().out


def test_make_windows_hint_for_one_window_too_many(capsys):
    def too_many(s, w):
        x = np.stack([s[i : i + w] for i in range(len(s) - w + 1)])[..., None]
        return x, s[w - 1 :]

    assert not check.make_windows(too_many)
    assert "窓が 1 つ多い" in capsys.readouterr().out


def test_make_windows_hint_for_target_inside_window(capsys):
    def leaky(s, w):
        x, _ = _windows(s, w)
        return x, s[w - 1 : -1]

    assert not check.make_windows(leaky)
    assert "答えを入力に含めない" in capsys.readouterr().out


def test_make_windows_rejects_changed_series_and_wrong_return(capsys):
    def mutating(s, w):
        out = _windows(s.copy(), w)
        s[:] = 0
        return out

    assert not check.make_windows(mutating)
    assert "書き換えて" in capsys.readouterr().out
    assert not check.make_windows(lambda s, w: _windows(s, w)[0])
    assert "2 つを return" in capsys.readouterr().out
    assert not check.make_windows(_todo)
    assert "まだ実装されていません" in capsys.readouterr().out


@pytest.mark.parametrize("checker", [check.mlp_param_count, check.conv_output_size])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), [[1, 2], [3]], "26", None])
def test_integer_checkers_answer_nan_and_junk_with_a_cross(checker, value, capsys):
    assert not checker(lambda *args: value)
    assert "  × " in capsys.readouterr().out
