import numpy as np
import pytest

from nnbook.optimizers import SGD, Momentum


def test_sgd_updates_params_in_place():
    W = np.array([1.0, 2.0])
    b = np.array([0.5])
    params = [W, b]
    SGD(lr=0.1).update(params, [np.array([10.0, -10.0]), np.array([1.0])])
    assert params[0] is W
    np.testing.assert_allclose(W, [0.0, 3.0])
    np.testing.assert_allclose(b, [0.4])


def test_sgd_minimises_a_quadratic():
    x = np.array([-3.0, 4.0])
    opt = SGD(lr=0.1)
    for _ in range(100):
        opt.update([x], [2 * x])  # f(x) = x0² + x1² の勾配
    np.testing.assert_allclose(x, [0.0, 0.0], atol=1e-8)


def test_momentum_matches_hand_computation():
    x = np.array([1.0])
    opt = Momentum(lr=0.1, momentum=0.9)
    opt.update([x], [np.array([1.0])])  # v = -0.1, x = 0.9
    opt.update([x], [np.array([1.0])])  # v = 0.9 * -0.1 - 0.1 = -0.19, x = 0.71
    np.testing.assert_allclose(x, [0.71])


def test_momentum_minimises_a_quadratic():
    x = np.array([-3.0, 4.0])
    opt = Momentum(lr=0.05, momentum=0.9)
    for _ in range(300):
        opt.update([x], [2 * x])
    np.testing.assert_allclose(x, [0.0, 0.0], atol=1e-6)


@pytest.mark.parametrize(
    ("lr", "error"), [(0, ValueError), (-1.0, ValueError), (np.nan, ValueError), ("0.1", TypeError)]
)
@pytest.mark.parametrize("cls", [SGD, Momentum])
def test_bad_learning_rate_is_rejected(cls, lr, error):
    with pytest.raises(error, match="lr"):
        cls(lr=lr)


@pytest.mark.parametrize(
    ("momentum", "error"), [(1.0, ValueError), (-0.1, ValueError), ("a", TypeError)]
)
def test_bad_momentum_is_rejected(momentum, error):
    with pytest.raises(error, match="momentum"):
        Momentum(momentum=momentum)


@pytest.mark.parametrize(
    ("params", "grads", "error"),
    [
        ([np.ones(2)], [np.ones(2), np.ones(2)], ValueError),  # 数が違う
        ([np.ones(2)], [np.ones(3)], ValueError),  # 形が違う
        ([np.ones(2)], [np.array([1.0, np.nan])], ValueError),  # NaN
        ([[1.0, 2.0]], [np.ones(2)], TypeError),  # ndarray でない
        (np.ones(2), np.ones(2), TypeError),  # リストでない
    ],
)
@pytest.mark.parametrize("cls", [SGD, Momentum])
def test_update_rejects_mismatched_params_and_grads(cls, params, grads, error):
    with pytest.raises(error):
        cls().update(params, grads)


def test_momentum_rejects_params_of_another_model():
    opt = Momentum()
    opt.update([np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="前回"):
        opt.update([np.ones(3)], [np.ones(3)])
