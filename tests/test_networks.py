import numpy as np
import pytest

from nnbook.functions import numerical_gradient
from nnbook.networks import MultiLayerNet, TwoLayerNet, init_std


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
        ({"weight_init_std": np.inf}, ValueError),
        ({"activation": "tanh"}, ValueError),
        ({"activation": None}, TypeError),
        ({"seed": "0"}, TypeError),
        ({"seed": -1}, ValueError),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs, error):
    args = {"input_size": 2, "hidden_size": 4, "output_size": 3, **kwargs}
    with pytest.raises(error):
        TwoLayerNet(**args)


def test_predict_rejects_infinite_input_naming_where():
    with pytest.raises(ValueError, match=r"x\[1, 0\] = inf"):
        TwoLayerNet(2, 4, 3).predict(np.array([[0.0, 0.0], [np.inf, 0.0]]))


def test_forward_rejects_wrong_input_width():
    with pytest.raises(ValueError, match="shape"):
        TwoLayerNet(2, 4, 3).forward(np.ones((5, 3)), np.zeros(5))


def test_accuracy_rejects_wrong_number_of_labels():
    with pytest.raises(ValueError):
        TwoLayerNet(2, 4, 3).accuracy(np.ones((5, 2)), np.zeros(4))


# ---------------------------------------------------------------- 第 8 章 MultiLayerNet


def _assert_close_gradient(grad, num, i):
    """相対誤差 1e-5 未満。バッチ正規化の前のバイアスは勾配が 0 なので絶対誤差で見る。"""
    if np.linalg.norm(num) < 1e-9:
        np.testing.assert_allclose(grad, 0, atol=1e-9, err_msg=str(i))
    else:
        assert _rel_error(grad, num) < 1e-5, i


@pytest.mark.parametrize(
    "kwargs",
    [
        {"activation": "relu"},
        {"activation": "sigmoid", "weight_init_std": "xavier"},
        {"weight_decay_lambda": 0.3},
        {"use_batchnorm": True},
        {"use_batchnorm": True, "weight_decay_lambda": 0.1, "activation": "sigmoid"},
    ],
)
def test_multilayernet_backprop_matches_numerical_gradient(kwargs):
    rng = np.random.default_rng(2)
    net = MultiLayerNet(3, [5, 4], 3, seed=1, **kwargs)
    x = rng.normal(size=(7, 3))
    t = rng.integers(0, 3, size=7)
    net.forward(x, t)
    net.backward()
    for i, (param, grad) in enumerate(zip(net.params, net.grads)):
        num = numerical_gradient(lambda _: net.forward(x, t), param)
        _assert_close_gradient(grad, num, i)


def test_multilayernet_with_dropout_matches_numerical_gradient_for_a_fixed_mask():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 3))
    t = rng.integers(0, 2, size=6)
    net = MultiLayerNet(3, [8], 2, dropout_ratio=0.5, seed=4)
    drop = net.layers[2]
    net.forward(x, t)
    mask = drop.mask.copy()
    net.backward()
    drop.forward = lambda x, train=True: x * mask  # マスクを固定する
    for i, (param, grad) in enumerate(zip(net.params, net.grads)):
        num = numerical_gradient(lambda _: net.forward(x, t), param)
        _assert_close_gradient(grad, num, i)


def test_multilayernet_layers_are_in_order():
    net = MultiLayerNet(4, [6, 5], 3, use_batchnorm=True, dropout_ratio=0.2)
    names = [type(layer).__name__ for layer in net.layers]
    assert names == [
        "Affine",
        "BatchNormalization",
        "ReLU",
        "Dropout",
        "Affine",
        "BatchNormalization",
        "ReLU",
        "Dropout",
        "Affine",
    ]
    assert [p.shape for p in net.params] == [
        (4, 6), (6,), (6,), (6,), (6, 5), (5,), (5,), (5,), (5, 3), (3,)
    ]  # fmt: skip


def test_multilayernet_without_hidden_layers_is_softmax_regression():
    net = MultiLayerNet(4, [], 3)
    assert [type(layer).__name__ for layer in net.layers] == ["Affine"]


def test_weight_decay_adds_half_lambda_times_squared_weights():
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=(5, 3)), rng.integers(0, 2, size=5)
    plain = MultiLayerNet(3, [4], 2, seed=9)
    decayed = MultiLayerNet(3, [4], 2, seed=9, weight_decay_lambda=0.5)
    W1, W2 = decayed.params[0], decayed.params[2]
    expected = plain.forward(x, t) + 0.25 * (np.sum(W1**2) + np.sum(W2**2))
    assert decayed.forward(x, t) == pytest.approx(expected)
    plain.backward()
    decayed.backward()
    np.testing.assert_allclose(decayed.grads[0], plain.grads[0] + 0.5 * W1)
    np.testing.assert_allclose(decayed.grads[1], plain.grads[1])  # バイアスは減衰しない


def test_init_std_values():
    assert init_std("xavier", 100) == pytest.approx(0.1)
    assert init_std("he", 50) == pytest.approx(0.2)
    assert init_std(0.01, 100) == 0.01
    net = MultiLayerNet(400, [300], 2, weight_init_std="he", seed=0)
    assert net.params[0].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)


def test_accuracy_uses_inference_mode():
    rng = np.random.default_rng(1)
    net = MultiLayerNet(3, [20], 2, dropout_ratio=0.5, use_batchnorm=True, seed=0)
    x = rng.normal(size=(10, 3))
    np.testing.assert_array_equal(net.predict(x), net.predict(x))  # 推論では乱数を使わない
    assert not np.array_equal(net.predict(x, train=True), net.predict(x, train=True))
    t = net.predict(x).argmax(axis=1)
    assert net.accuracy(x, t) == 1.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"weight_init_std": "lecun"}, ValueError, "weight_init_std"),
        ({"weight_init_std": -1.0}, ValueError, "weight_init_std"),
        ({"weight_init_std": None}, TypeError, "weight_init_std"),
        ({"activation": "tanh"}, ValueError, "activation"),
        ({"weight_decay_lambda": -0.1}, ValueError, "weight_decay_lambda"),
        ({"weight_decay_lambda": np.nan}, ValueError, "weight_decay_lambda"),
        ({"use_batchnorm": 1}, TypeError, "use_batchnorm"),
        ({"dropout_ratio": 1.0}, ValueError, "dropout_ratio"),
        ({"dropout_ratio": "0.5"}, TypeError, "dropout_ratio"),
        ({"weight_init_std": np.inf}, ValueError, "weight_init_std"),
        ({"hidden_size_list": 5}, TypeError, "hidden_size_list"),
        ({"hidden_size_list": [5, 0]}, ValueError, "hidden_size_list"),
        ({"hidden_size_list": [5, 2.0]}, TypeError, r"hidden_size_list\[1\]"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"activation": 1}, TypeError, "activation"),
    ],
)
def test_multilayernet_rejects_bad_arguments(kwargs, error, match):
    args = {"input_size": 3, "hidden_size_list": [4], "output_size": 2, **kwargs}
    with pytest.raises(error, match=match):
        MultiLayerNet(**args)


def test_multilayernet_accepts_numpy_sizes():
    net = MultiLayerNet(np.int64(3), np.array([4, 5]), np.int32(2))
    assert [a.params[0].shape for a in net.affines] == [(3, 4), (4, 5), (5, 2)]


def test_multilayernet_predict_rejects_bad_input():
    net = MultiLayerNet(3, [4], 2, use_batchnorm=True, dropout_ratio=0.5)
    with pytest.raises(ValueError, match=r"x\[0, 2\] = nan"):
        net.predict(np.array([[0.0, 1.0, np.nan]]))
    with pytest.raises(TypeError, match="train"):
        net.predict(np.ones((2, 3)), train="yes")
    with pytest.raises(ValueError, match="x は 2 次元"):
        net.forward(np.ones(3), np.zeros(1, dtype=int))


@pytest.mark.parametrize(
    "make", [lambda: TwoLayerNet(2, 3, 1), lambda: MultiLayerNet(2, [3], 1)], ids=["two", "multi"]
)
def test_one_output_is_rejected_because_softmax_needs_two_classes(make):
    """出力 1 つでは損失がいつも 0（-0.0）、勾配も 0 で、学習できない。"""
    with pytest.raises(ValueError, match="output_size はクラスの数で、2 以上.*学習できません"):
        make()


def test_multilayer_net_with_batchnorm_needs_two_samples_to_train():
    net = MultiLayerNet(2, [3], 2, use_batchnorm=True)
    with pytest.raises(ValueError, match="x のサンプルが 1 つです"):
        net.forward(np.ones((1, 2)), np.array([1]))
    assert net.predict(np.ones((1, 2))).shape == (1, 2)
