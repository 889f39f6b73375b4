"""nnbook.inference：第 3 章の順伝播と第 5 章の学習済み重み。"""

import numpy as np
import pytest

from nnbook import inference
from nnbook.datasets import load_digits
from nnbook.functions import sigmoid, softmax
from nnbook.inference import accuracy, forward, init_network, load_pretrained, predict


def test_init_network_has_textbook_shapes():
    network = init_network()
    shapes = {key: value.shape for key, value in network.items()}
    assert shapes == {
        "W1": (2, 3),
        "b1": (3,),
        "W2": (3, 2),
        "b2": (2,),
        "W3": (2, 2),
        "b3": (2,),
    }


def test_init_network_returns_fresh_arrays():
    a = init_network()
    a["W1"][0, 0] = 100.0
    assert init_network()["W1"][0, 0] == 0.1


def test_forward_textbook_value():
    y = forward(init_network(), np.array([1.0, 0.5]))
    np.testing.assert_allclose(y, [0.31682708, 0.69627909], atol=1e-7)


def test_forward_batch_equals_rows():
    network = init_network()
    x = np.array([[1.0, 0.5], [0.0, 0.0], [-2.0, 3.0]])
    y = forward(network, x)
    assert y.shape == (3, 2)
    for i in range(3):
        np.testing.assert_allclose(y[i], forward(network, x[i]))


def test_forward_matches_step_by_step():
    rng = np.random.default_rng(0)
    network = {
        "W1": rng.standard_normal((4, 5)),
        "b1": rng.standard_normal(5),
        "W2": rng.standard_normal((5, 3)),
        "b2": rng.standard_normal(3),
    }
    x = rng.standard_normal((6, 4))
    z1 = sigmoid(x @ network["W1"] + network["b1"])
    expected = softmax(z1 @ network["W2"] + network["b2"])
    np.testing.assert_allclose(forward(network, x, output="softmax"), expected)


@pytest.mark.parametrize("depth", [1, 2, 5])
def test_forward_any_depth(depth):
    rng = np.random.default_rng(depth)
    sizes = [3] + [4] * (depth - 1) + [2]
    network = {}
    for i in range(depth):
        network[f"W{i + 1}"] = rng.standard_normal((sizes[i], sizes[i + 1]))
        network[f"b{i + 1}"] = np.zeros(sizes[i + 1])
    y = forward(network, rng.standard_normal((7, 3)), output="softmax")
    assert y.shape == (7, 2)
    np.testing.assert_allclose(y.sum(axis=1), np.ones(7))


def test_forward_does_not_change_input():
    x = np.array([[1.0, 0.5]])
    forward(init_network(), x)
    np.testing.assert_array_equal(x, [[1.0, 0.5]])


def test_forward_mismatched_shapes_name_both():
    with pytest.raises(ValueError, match=r"\(3,\).*\(2, 3\)"):
        forward(init_network(), np.array([1.0, 2.0, 3.0]))


def test_forward_mismatched_batch_shapes_name_both():
    with pytest.raises(ValueError, match=r"\(4, 5\).*\(2, 3\)"):
        forward(init_network(), np.zeros((4, 5)))


def test_forward_network_with_layers_that_do_not_connect():
    network = init_network()
    network["W2"] = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"W1 の形 \(2, 3\) と W2 の形 \(4, 2\)"):
        forward(network, [1.0, 0.5])


def test_forward_bias_shape_mismatch():
    network = init_network()
    network["b1"] = np.zeros(4)
    with pytest.raises(ValueError, match=r"b1 の形 \(4,\) が W1 の形 \(2, 3\)"):
        forward(network, [1.0, 0.5])


@pytest.mark.parametrize(
    "network",
    [
        {"W1": np.zeros((2, 2))},
        {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "b2": np.zeros(2)},
        {"W1": np.zeros((2, 2)), "b1": np.zeros(2), "W3": np.zeros((2, 2)), "b3": np.zeros(2)},
        {"weights": np.zeros((2, 2))},
        {},
    ],
)
def test_forward_rejects_incomplete_network(network):
    with pytest.raises(ValueError, match="network"):
        forward(network, [1.0, 0.5])


def test_forward_rejects_non_dict_network():
    with pytest.raises(TypeError, match="dict"):
        forward([np.zeros((2, 2)), np.zeros(2)], [1.0, 0.5])


@pytest.mark.parametrize("x", ["1, 0.5", ["a", "b"], np.array([None, None])])
def test_forward_rejects_non_numeric_input(x):
    with pytest.raises(TypeError):
        forward(init_network(), x)


def test_forward_rejects_non_numeric_weights():
    network = init_network()
    network["W1"] = np.array([["a", "b", "c"], ["d", "e", "f"]])
    with pytest.raises(TypeError, match="W1"):
        forward(network, [1.0, 0.5])


@pytest.mark.parametrize("x", [np.zeros((0, 2)), 1.0, np.zeros((1, 1, 2))])
def test_forward_rejects_empty_or_wrong_ndim(x):
    with pytest.raises(ValueError):
        forward(init_network(), x)


def test_forward_rejects_unknown_output():
    with pytest.raises(ValueError, match="output"):
        forward(init_network(), [1.0, 0.5], output="sigmoid")


def test_predict_single_and_batch():
    network = init_network()
    assert predict(network, [1.0, 0.5]) == 1
    labels = predict(network, np.array([[1.0, 0.5], [0.0, 0.0]]))
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, [1, 1])


def test_predict_agrees_with_softmax_argmax():
    network = load_pretrained()
    _, _, x_test, _ = load_digits()
    probs = forward(network, x_test, output="softmax")
    np.testing.assert_array_equal(predict(network, x_test), probs.argmax(axis=1))


def test_load_pretrained_digits_shapes_and_dtype():
    network = load_pretrained()
    assert {k: v.shape for k, v in network.items()} == {
        "W1": (64, 50),
        "b1": (50,),
        "W2": (50, 100),
        "b2": (100,),
        "W3": (100, 10),
        "b3": (10,),
    }
    assert all(v.dtype in (np.float32, np.float64) for v in network.values())


def test_pretrained_digits_test_accuracy():
    _, _, x_test, t_test = load_digits()
    acc = accuracy(forward(load_pretrained("digits_mlp"), x_test, output="softmax"), t_test)
    assert acc >= 0.95


def test_load_pretrained_unknown_name():
    with pytest.raises(ValueError, match="digits_mlp"):
        load_pretrained("no_such_weights")


def test_load_pretrained_rejects_path_tricks_and_non_strings():
    with pytest.raises(ValueError):
        load_pretrained("../data/digits_mlp")
    with pytest.raises(TypeError):
        load_pretrained(3)


def test_weights_file_has_no_pickled_objects():
    from importlib import resources

    path = resources.files("nnbook") / "data" / "digits_mlp.npz"
    with resources.as_file(path) as p, np.load(p, allow_pickle=False) as f:
        assert sorted(f.files) == sorted(["W1", "b1", "W2", "b2", "W3", "b3"])


def test_accuracy_with_scores_labels_and_one_hot():
    y = np.array([[0.1, 0.8, 0.1], [0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1]])
    t = np.array([1, 0, 2, 1])
    assert accuracy(y, t) == 0.75
    assert accuracy(np.argmax(y, axis=1), t) == 0.75
    assert accuracy(y, np.eye(3)[t]) == 0.75
    assert isinstance(accuracy(y, t), float)


def test_accuracy_mismatched_lengths_name_both_shapes():
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(3,\)"):
        accuracy(np.zeros((4, 3)), np.zeros(3))


def test_accuracy_mismatched_classes():
    with pytest.raises(ValueError, match=r"\(4, 3\).*\(4, 2\)"):
        accuracy(np.zeros((4, 3)), np.zeros((4, 2)))


@pytest.mark.parametrize("bad", ["abc", [None, 1], np.array(["1", "2"])])
def test_accuracy_rejects_non_numeric(bad):
    with pytest.raises(TypeError):
        accuracy(bad, [1, 2])


def test_accuracy_rejects_empty():
    with pytest.raises(ValueError):
        accuracy(np.zeros((0, 3)), np.zeros(0))


def test_module_exports():
    assert set(inference.__all__) >= {
        "init_network",
        "forward",
        "predict",
        "load_pretrained",
        "accuracy",
    }


@pytest.mark.parametrize(
    ("y", "t", "name"),
    [
        (np.array([0.2, 0.9]), np.array([0, 1]), "y"),  # 1 次元の確率（番号ではない）
        (np.eye(2), np.array([0, 5]), "t"),  # 範囲外
        (np.eye(2), np.array([0, -1]), "t"),  # 負
        (np.eye(2), np.array([0, 0.5]), "t"),  # 整数でない
        (np.array([[np.nan, np.nan], [0.0, 1.0]]), np.array([0, 1]), "y"),  # NaN の行
    ],
)
def test_accuracy_rejects_what_used_to_give_a_silent_number(y, t, name):
    with pytest.raises(ValueError, match=rf"^{name} "):
        accuracy(y, t)


def test_predict_rejects_nan_instead_of_predicting_class_0():
    with pytest.raises(ValueError, match="x には有限の値"):
        predict(init_network(), np.array([np.nan, 0.5]))
