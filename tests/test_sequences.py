"""系列データの補助（nnbook.sequences）：NumPy の RNN と窓の切り出し。"""

import numpy as np
import pytest

from nnbook import sequences


def _weights(D=3, H=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(D, H)), rng.normal(size=(H, H)) * 0.5, rng.normal(size=H)


def test_rnn_step_known_value():
    # 1 系列・D = 1・H = 1：h = tanh(2·0.5 + 1·0.25 − 0.25) = tanh(1)
    h = sequences.rnn_step([[2.0]], [[1.0]], [[0.5]], [[0.25]], [-0.25])
    np.testing.assert_allclose(h, [[np.tanh(1.0)]])


def test_rnn_step_matches_formula():
    Wx, Wh, b = _weights()
    rng = np.random.default_rng(1)
    x_t, h_prev = rng.normal(size=(5, 3)), rng.normal(size=(5, 4))
    h = sequences.rnn_step(x_t, h_prev, Wx, Wh, b)
    np.testing.assert_allclose(h, np.tanh(x_t @ Wx + h_prev @ Wh + b))
    assert h.shape == (5, 4)
    assert np.all(np.abs(h) < 1)


def test_rnn_forward_is_repeated_steps():
    Wx, Wh, b = _weights()
    x = np.random.default_rng(2).normal(size=(2, 6, 3))
    hs = sequences.rnn_forward(x, Wx, Wh, b)
    assert hs.shape == (2, 6, 4)
    h = np.zeros((2, 4))
    for t in range(6):
        h = sequences.rnn_step(x[:, t], h, Wx, Wh, b)
        np.testing.assert_allclose(hs[:, t], h)


def test_rnn_forward_uses_initial_state():
    Wx, Wh, b = _weights()
    x = np.random.default_rng(3).normal(size=(2, 1, 3))
    h0 = np.full((2, 4), 0.5)
    hs = sequences.rnn_forward(x, Wx, Wh, b, h0=h0)
    np.testing.assert_allclose(hs[:, 0], np.tanh(x[:, 0] @ Wx + h0 @ Wh + b))


def test_rnn_forward_does_not_change_inputs():
    Wx, Wh, b = _weights()
    x = np.random.default_rng(4).normal(size=(2, 3, 3))
    copies = [a.copy() for a in (x, Wx, Wh, b)]
    sequences.rnn_forward(x, Wx, Wh, b)
    for a, c in zip((x, Wx, Wh, b), copies):
        np.testing.assert_array_equal(a, c)


def test_rnn_forward_order_matters():
    # 系列を逆順にすると最後の隠れ状態が変わる（RNN は順番を覚えている）
    Wx, Wh, b = _weights()
    x = np.random.default_rng(5).normal(size=(1, 5, 3))
    last = sequences.rnn_forward(x, Wx, Wh, b)[:, -1]
    last_reversed = sequences.rnn_forward(x[:, ::-1], Wx, Wh, b)[:, -1]
    assert not np.allclose(last, last_reversed)


def test_rnn_forward_accepts_integer_input():
    Wx, Wh, b = _weights(D=1, H=2)
    hs = sequences.rnn_forward(np.array([[[1], [2]]]), Wx, Wh, b)
    assert hs.dtype == np.float64 and hs.shape == (1, 2, 2)


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            (np.zeros((2, 3)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)),
            ValueError,
        ),  # x 2 次元
        ((np.zeros((2, 5, 2)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)), ValueError),  # D
        ((np.zeros((2, 5, 3)), np.zeros((3, 4)), np.zeros((3, 3)), np.zeros(4)), ValueError),  # Wh
        ((np.zeros((2, 5, 3)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(3)), ValueError),  # b
        ((np.zeros((0, 5, 3)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)), ValueError),  # 空
        (("abc", np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4)), TypeError),
    ],
)
def test_rnn_forward_bad_input(args, error):
    with pytest.raises(error):
        sequences.rnn_forward(*args)


def test_rnn_forward_bad_initial_state():
    Wx, Wh, b = _weights()
    with pytest.raises(ValueError, match="h0"):
        sequences.rnn_forward(np.zeros((2, 3, 3)), Wx, Wh, b, h0=np.zeros((3, 4)))


@pytest.mark.parametrize(
    ("x_t", "h_prev"),
    [
        (np.zeros((2, 2)), np.zeros((2, 4))),  # D が違う
        (np.zeros((2, 3)), np.zeros((3, 4))),  # N が違う
        (np.zeros(3), np.zeros((1, 4))),  # x_t が 1 次元
    ],
)
def test_rnn_step_bad_shapes(x_t, h_prev):
    Wx, Wh, b = _weights()
    with pytest.raises(ValueError):
        sequences.rnn_step(x_t, h_prev, Wx, Wh, b)


def test_make_windows_known_values():
    x, y = sequences.make_windows(np.arange(6), window=3)
    assert x.shape == (3, 3, 1) and y.shape == (3,)
    np.testing.assert_array_equal(x[..., 0], [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    np.testing.assert_array_equal(y, [3, 4, 5])


def test_make_windows_horizon():
    x, y = sequences.make_windows(np.arange(10.0), window=4, horizon=3)
    assert len(x) == len(y) == 10 - 4 - 3 + 1
    # 目標は窓の最後の値の horizon 先
    np.testing.assert_array_equal(y, x[:, -1, 0] + 3)


def test_make_windows_accepts_pandas_series():
    pd = pytest.importorskip("pandas")
    x, y = sequences.make_windows(pd.Series([1.0, 2.0, 3.0]), window=2)
    np.testing.assert_array_equal(y, [3.0])


def test_make_windows_does_not_share_memory_with_series():
    series = np.arange(5.0)
    x, _ = sequences.make_windows(series, window=2)
    x[0, 0, 0] = 99.0
    assert series[0] == 0.0


@pytest.mark.parametrize(
    ("series", "kwargs", "error", "match"),
    [
        (np.array([1.0, np.nan, 3.0, 4.0]), {"window": 2}, ValueError, "NaN"),
        (np.array([1.0, np.inf, 3.0, 4.0]), {"window": 2}, ValueError, "有限"),
        (np.arange(3.0), {"window": 3}, ValueError, "短すぎ"),
        (np.arange(5.0), {"window": 0}, ValueError, "window"),
        (np.arange(5.0), {"window": 2, "horizon": 0}, ValueError, "horizon"),
        (np.arange(5.0), {"window": 2.0}, TypeError, "window"),
        (np.arange(5.0), {"window": True}, TypeError, "window"),
        (np.zeros((5, 2)), {"window": 2}, ValueError, "1 次元"),
        ([], {"window": 1}, ValueError, "空"),
    ],
)
def test_make_windows_bad_input(series, kwargs, error, match):
    with pytest.raises(error, match=match):
        sequences.make_windows(series, **kwargs)
