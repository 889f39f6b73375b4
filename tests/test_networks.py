import numpy as np
import pytest

from nnbook.functions import numerical_gradient
from nnbook.networks import TwoLayerNet


def _rel_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_backprop_matches_numerical_gradient_for_every_parameter(activation):
    rng = np.random.default_rng(1)
    net = TwoLayerNet(3, 6, 4, weight_init_std=0.5, seed=2, activation=activation)
    x = rng.normal(size=(8, 3))
    t = rng.integers(0, 4, size=8)
    net.forward(x, t)
    net.backward()
    for name, param, grad in zip(["W1", "b1", "W2", "b2"], net.params, net.grads):
        num = numerical_gradient(lambda _: net.forward(x, t), param)
        assert _rel_error(grad, num) < 1e-5, name


def test_params_are_the_layers_arrays_in_order():
    net = TwoLayerNet(2, 5, 3)
    shapes = [p.shape for p in net.params]
    assert shapes == [(2, 5), (5,), (5, 3), (3,)]
    assert net.params[0] is net.layers[0].params[0]
    assert net.grads[2] is net.layers[2].grads[0]
    assert [g.shape for g in net.grads] == shapes


def test_same_seed_gives_same_weights():
    a, b = TwoLayerNet(2, 4, 3, seed=7), TwoLayerNet(2, 4, 3, seed=7)
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a.params[0], TwoLayerNet(2, 4, 3, seed=8).params[0])


def test_initial_loss_is_about_log_of_class_count():
    rng = np.random.default_rng(0)
    net = TwoLayerNet(2, 10, 3, weight_init_std=0.01)
    loss = net.forward(rng.normal(size=(30, 2)), rng.integers(0, 3, size=30))
    assert loss == pytest.approx(np.log(3), abs=0.01)


def test_predict_and_accuracy():
    net = TwoLayerNet(2, 3, 2)
    x = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]])
    scores = net.predict(x)
    assert scores.shape == (3, 2)
    labels = scores.argmax(axis=1)
    assert net.accuracy(x, labels) == 1.0
    assert net.accuracy(x, np.eye(2)[labels]) == 1.0
    assert net.accuracy(x, 1 - labels) == 0.0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"hidden_size": 0}, ValueError),
        ({"hidden_size": 2.5}, TypeError),
        ({"input_size": True}, TypeError),
        ({"weight_init_std": 0.0}, ValueError),
        ({"weight_init_std": "0.01"}, TypeError),
        ({"activation": "tanh"}, ValueError),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs, error):
    args = {"input_size": 2, "hidden_size": 4, "output_size": 3, **kwargs}
    with pytest.raises(error):
        TwoLayerNet(**args)


def test_forward_rejects_wrong_input_width():
    with pytest.raises(ValueError, match="shape"):
        TwoLayerNet(2, 4, 3).forward(np.ones((5, 3)), np.zeros(5))


def test_accuracy_rejects_wrong_number_of_labels():
    with pytest.raises(ValueError):
        TwoLayerNet(2, 4, 3).accuracy(np.ones((5, 2)), np.zeros(4))
