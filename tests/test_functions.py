import warnings

import numpy as np
import pytest

from nnbook import functions as F

ALL = [F.step, F.sigmoid, F.relu, F.tanh, F.identity, F.softmax]


def test_sigmoid_known_values():
    np.testing.assert_allclose(
        F.sigmoid(np.array([-1.0, 1.0, 2.0])), [0.2689, 0.7311, 0.8808], atol=1e-4
    )


def test_sigmoid_is_stable_for_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.sigmoid(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0]))
    np.testing.assert_allclose(y, [0.0, 1.9287e-22, 0.5, 1.0, 1.0], rtol=1e-4)
    assert np.all(np.isfinite(y))


def test_sigmoid_matches_textbook_formula():
    x = np.linspace(-10, 10, 101)
    np.testing.assert_allclose(F.sigmoid(x), 1 / (1 + np.exp(-x)), rtol=1e-12)


def test_step_returns_integers_without_deprecated_aliases():
    y = F.step(np.array([-1.0, 0.0, 0.5]))
    assert y.dtype == np.int64
    assert y.tolist() == [0, 0, 1]


@pytest.mark.parametrize(
    ("func", "x", "expected"),
    [
        (F.relu, [-2.0, 0.0, 3.0], [0.0, 0.0, 3.0]),
        (F.tanh, [0.0], [0.0]),
        (F.identity, [1.5, -2.0], [1.5, -2.0]),
        (F.step, [3], [1]),
    ],
)
def test_known_values(func, x, expected):
    np.testing.assert_allclose(func(np.array(x)), expected)


@pytest.mark.parametrize("func", [F.step, F.sigmoid, F.relu, F.tanh, F.identity])
@pytest.mark.parametrize("shape", [(), (5,), (2, 3), (2, 3, 4)])
def test_elementwise_functions_keep_shape(func, shape):
    x = np.random.default_rng(0).normal(size=shape)
    assert np.shape(func(x)) == shape


def test_identity_returns_a_copy():
    x = np.array([1.0, 2.0])
    y = F.identity(x)
    y[0] = 99
    assert x[0] == 1.0


def test_relu_accepts_python_lists_and_ints():
    np.testing.assert_array_equal(F.relu([-1, 2]), [0.0, 2.0])


def test_softmax_sums_to_one_and_preserves_order():
    a = np.array([0.3, 2.9, 4.0])
    y = F.softmax(a)
    np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], rtol=1e-6)
    assert y.sum() == pytest.approx(1.0)
    assert np.argsort(y).tolist() == np.argsort(a).tolist()


def test_softmax_does_not_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.softmax(np.array([1010.0, 1000.0, 990.0]))
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], rtol=1e-6)


def test_softmax_normalises_each_row_of_a_batch():
    a = np.random.default_rng(1).normal(size=(4, 5)) * 100
    y = F.softmax(a)
    assert y.shape == (4, 5)
    np.testing.assert_allclose(y.sum(axis=1), np.ones(4))
    for row, out in zip(a, y):
        np.testing.assert_allclose(out, F.softmax(row))


@pytest.mark.parametrize("func", ALL)
@pytest.mark.parametrize("bad", ["abc", [["a", "b"]], np.array([1, None], dtype=object), 1 + 2j])
def test_non_numeric_input_raises_type_error(func, bad):
    with pytest.raises(TypeError, match="数値"):
        func(bad)


@pytest.mark.parametrize("func", ALL)
def test_empty_input_raises_value_error(func):
    with pytest.raises(ValueError, match="空"):
        func(np.array([]))


@pytest.mark.parametrize("shape", [(), (2, 2, 2)])
def test_softmax_rejects_wrong_ndim(shape):
    with pytest.raises(ValueError, match="shape"):
        F.softmax(np.ones(shape))


def test_softmax_rejects_nan():
    with pytest.raises(ValueError, match="NaN"):
        F.softmax(np.array([1.0, np.nan]))


# ---------------------------------------------------------------- 第 6 章 損失関数と数値微分

Y_EXAMPLE = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
T_EXAMPLE = np.eye(10)[2]


def test_mean_squared_error_known_value():
    assert F.mean_squared_error(Y_EXAMPLE, T_EXAMPLE) == pytest.approx(0.0975)


def test_cross_entropy_error_known_value():
    assert F.cross_entropy_error(Y_EXAMPLE, T_EXAMPLE) == pytest.approx(0.510825457)


def test_cross_entropy_error_guards_log_zero():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = F.cross_entropy_error(np.array([1.0, 0.0]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(-np.log(F.CROSS_ENTROPY_DELTA))


@pytest.mark.parametrize("loss", [F.mean_squared_error, F.cross_entropy_error])
def test_losses_average_over_the_batch_and_accept_labels(loss):
    y = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.4, 0.3]])
    labels = np.array([0, 2, 1])
    one_hot = np.eye(3)[labels]
    per_sample = [loss(y[i], one_hot[i]) for i in range(3)]
    assert loss(y, one_hot) == pytest.approx(np.mean(per_sample))
    assert loss(y, labels) == pytest.approx(loss(y, one_hot))
    assert loss(y[1], 2) == pytest.approx(per_sample[1])


@pytest.mark.parametrize("loss", [F.mean_squared_error, F.cross_entropy_error])
@pytest.mark.parametrize(
    ("y", "t"),
    [
        (np.full((2, 3), 1 / 3), np.ones((3, 3))),  # 形が違う
        (np.full((2, 3), 1 / 3), np.array([0, 3])),  # ラベルが範囲外
        (np.full((2, 3), 1 / 3), np.array([0.5, 1.0])),  # ラベルが整数でない
        (np.array([np.nan, 0.5]), np.array([0.0, 1.0])),  # NaN
        (np.full((2, 2, 2), 0.5), np.ones((2, 2, 2))),  # 3 次元
        (np.array([]), np.array([])),  # 空
    ],
)
def test_losses_reject_bad_input(loss, y, t):
    with pytest.raises(ValueError):
        loss(y, t)


def test_cross_entropy_error_rejects_negative_scores():
    with pytest.raises(ValueError, match="ソフトマックス"):
        F.cross_entropy_error(np.array([[2.0, -1.0]]), np.array([0]))


def test_numerical_gradient_of_a_quadratic():
    x = np.array([3.0, 4.0])
    grad = F.numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_allclose(grad, [6.0, 8.0], rtol=1e-8)
    np.testing.assert_array_equal(x, [3.0, 4.0])  # 元に戻っている


def test_numerical_gradient_works_on_matrices_used_inside_f():
    W = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = np.array([1.0, -1.0])
    grad = F.numerical_gradient(lambda _: float(x @ W @ x), W)  # f は W を直接使う
    np.testing.assert_allclose(grad, np.outer(x, x), atol=1e-8)


def test_numerical_gradient_restores_x_even_if_f_fails():
    x = np.array([1.0, 2.0])

    def broken(v):
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        F.numerical_gradient(broken, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize(
    ("f", "x", "h", "error"),
    [
        (3, np.ones(2), 1e-4, TypeError),
        (np.sum, [1.0, 2.0], 1e-4, TypeError),  # リストはその場で書き換えられない
        (np.sum, np.array([1, 2]), 1e-4, TypeError),  # 整数の配列
        (np.sum, np.ones(2), 0.0, ValueError),
        (np.sum, np.ones(2), "a", TypeError),
        (np.sum, np.ones((3, 4))[:, :2], 1e-4, ValueError),  # 連続でない
        (lambda v: np.nan, np.ones(2), 1e-4, ValueError),
    ],
)
def test_numerical_gradient_rejects_bad_input(f, x, h, error):
    with pytest.raises(error):
        F.numerical_gradient(f, x, h)


def test_cross_entropy_error_keeps_the_delta_form_and_differs_from_the_exact_loss():
    # 第 6 章が教える形 -Σ t log(y + δ)：確率が小さいほど正確な値 -log y より小さくなる
    y = np.array([[1e-6, 1.0 - 1e-6]])
    t = np.array([0])
    assert F.cross_entropy_error(y, t) == pytest.approx(-np.log(1e-6 + F.CROSS_ENTROPY_DELTA))
    assert F.cross_entropy_error(y, t) < -np.log(1e-6)


@pytest.mark.parametrize("a", [[np.inf, 0.0], [-np.inf, -np.inf], [[0.0, 1.0], [np.nan, 0.0]]])
def test_softmax_rejects_non_finite_with_name_shape_and_position(a):
    with pytest.raises(ValueError, match=r"a には有限の値.*shape=.*最初は a\["):
        F.softmax(a)


@pytest.mark.parametrize(
    ("y", "t"),
    [
        (np.array([[2.0, 0.0]]), np.array([0])),  # 確率が 1 を超える → 負の損失になっていた
        (np.array([[0.5, 0.5]]), np.array([[-1.0, 2.0]])),  # 負のソフトラベル
    ],
)
def test_cross_entropy_error_rejects_values_outside_0_1(y, t):
    with pytest.raises(ValueError, match="0 以上 1 以下"):
        F.cross_entropy_error(y, t)


def test_mean_squared_error_is_a_regression_loss_too():
    """2 乗和誤差は回帰の損失でもあるので、y と t は有限なら 0〜1 の外でもよい。"""
    assert F.mean_squared_error(np.array([[2.0, -1.0]]), np.array([[3.0, 1.0]])) == pytest.approx(
        2.5
    )
