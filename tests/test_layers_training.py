"""第 8 章のレイヤ（BatchNormalization・Dropout）のテスト。"""

import numpy as np
import pytest

from nnbook.functions import numerical_gradient
from nnbook.layers import BatchNormalization, Dropout


def _rel_error(a, b):
    return np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b))


def _bn(D=4, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    return BatchNormalization(rng.uniform(0.5, 1.5, D), rng.normal(size=D), **kwargs)


# ---------------------------------------------------------------- BatchNormalization


def test_batchnorm_output_has_mean_beta_and_std_gamma_in_training():
    rng = np.random.default_rng(1)
    x = rng.normal(loc=5.0, scale=3.0, size=(50, 4))
    bn = _bn(eps=1e-12)
    gamma, beta = bn.params
    out = bn.forward(x)
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=1e-12)
    np.testing.assert_allclose(out.std(axis=0), gamma, rtol=1e-9)


def test_batchnorm_updates_running_statistics_and_uses_them_at_test_time():
    rng = np.random.default_rng(2)
    x = rng.normal(loc=2.0, scale=3.0, size=(20, 4))
    bn = _bn(momentum=0.9)
    bn.forward(x)
    np.testing.assert_allclose(bn.running_mean, 0.1 * x.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * x.var(axis=0))
    saved = bn.running_mean.copy(), bn.running_var.copy()
    gamma, beta = bn.params
    out = bn.forward(x[:3], train=False)
    expected = gamma * (x[:3] - saved[0]) / np.sqrt(saved[1] + bn.eps) + beta
    np.testing.assert_allclose(out, expected)
    # 推論では移動平均を変えず、1 サンプルでも同じ答え
    np.testing.assert_array_equal(bn.running_mean, saved[0])
    np.testing.assert_allclose(bn.forward(x[:1], train=False), expected[:1])


def test_batchnorm_backward_matches_numerical_gradient():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 4)) * 2 + 1
    dout = rng.normal(size=(6, 4))
    bn = _bn()

    def loss(_):
        return float(np.sum(bn.forward(x) * dout))

    bn.forward(x)
    dx = bn.backward(dout)
    assert _rel_error(dx, numerical_gradient(loss, x)) < 1e-6
    for name, param, grad in zip(["gamma", "beta"], bn.params, bn.grads):
        assert _rel_error(grad, numerical_gradient(loss, param)) < 1e-7, name


def test_batchnorm_backward_after_a_test_mode_forward_is_the_gradient_of_that_forward():
    """推論時の順伝播は移動平均を定数とするアフィン変換。backward はその勾配を返す（以前は 0.87 ずれた）。"""
    rng = np.random.default_rng(4)
    bn = _bn()
    for _ in range(3):  # 移動平均を 0 と 1 から動かす
        bn.forward(rng.normal(size=(8, 4)) * 3 + 2)
    x = rng.normal(size=(5, 4))
    dout = rng.normal(size=(5, 4))

    def loss(_):
        return float(np.sum(bn.forward(x, train=False) * dout))

    bn.forward(x, train=False)
    dx = bn.backward(dout)
    assert _rel_error(dx, numerical_gradient(loss, x)) < 1e-6
    np.testing.assert_allclose(dx, dout * bn.params[0] / np.sqrt(bn.running_var + bn.eps))
    for name, param, grad in zip(["gamma", "beta"], bn.params, bn.grads):
        assert _rel_error(grad, numerical_gradient(loss, param)) < 1e-7, name


def test_batchnorm_in_train_mode_needs_two_samples_but_inference_takes_one():
    bn = _bn()
    x = np.ones((1, 4))
    with pytest.raises(ValueError, match=r"x のサンプルが 1 つです.*train=False"):
        bn.forward(x)
    np.testing.assert_array_equal(bn.running_mean, np.zeros(4))  # 移動平均は変えない
    np.testing.assert_allclose(
        bn.forward(x, train=False), bn.params[0] * x / np.sqrt(1 + bn.eps) + bn.params[1]
    )


def test_batchnorm_gradient_sums_to_zero_over_the_batch():
    """正規化の出力はどの x を一斉にずらしても変わらないので、dx の列和は 0。"""
    rng = np.random.default_rng(4)
    bn = _bn()
    bn.forward(rng.normal(size=(10, 4)))
    dx = bn.backward(rng.normal(size=(10, 4)))
    np.testing.assert_allclose(dx.sum(axis=0), 0, atol=1e-12)


def test_batchnorm_does_not_change_its_input():
    x = np.random.default_rng(5).normal(size=(5, 4))
    saved = x.copy()
    _bn().forward(x)
    np.testing.assert_array_equal(x, saved)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((np.ones((2, 2)), np.zeros((2, 2))), {}, ValueError, "gamma"),
        ((np.ones(3), np.zeros(2)), {}, ValueError, "beta"),
        ((np.ones(3), np.zeros(3)), {"momentum": 1.0}, ValueError, "momentum"),
        ((np.ones(3), np.zeros(3)), {"eps": 0.0}, ValueError, "eps"),
        ((np.ones(3), np.zeros(3)), {"eps": "1e-5"}, TypeError, "eps"),
        ((np.array([1.0, np.nan]), np.zeros(2)), {}, ValueError, "NaN"),
        ((np.ones(2), np.array([0.0, np.inf])), {}, ValueError, r"beta\[1\] = inf"),
        ((np.ones(3), np.zeros(3)), {"momentum": np.nan}, ValueError, "momentum"),
        ((np.ones(3), np.zeros(3)), {"eps": np.inf}, ValueError, "eps"),
        ((np.ones(3), np.zeros(3)), {"momentum": True}, TypeError, "momentum"),
    ],
)
def test_batchnorm_rejects_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        BatchNormalization(*args, **kwargs)


def test_batchnorm_rejects_bad_input_and_backward_before_forward():
    bn = _bn(D=3)
    with pytest.raises(RuntimeError, match="forward"):
        bn.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="x の形"):
        bn.forward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"x\[1, 2\] = inf"):
        bn.forward(np.array([[0.0, 1.0, 2.0], [3.0, 4.0, np.inf]]))
    with pytest.raises(ValueError, match="x は 2 次元"):
        bn.forward(np.ones(3))
    with pytest.raises(TypeError, match="train"):
        bn.forward(np.ones((2, 3)), train="False")
    bn.forward(np.ones((2, 3)) + np.arange(3))
    with pytest.raises(ValueError, match="dout"):
        bn.backward(np.ones((3, 3)))


# ---------------------------------------------------------------- Dropout


def test_dropout_keeps_about_one_minus_ratio_and_scales_them():
    x = np.ones((200, 50))
    out = Dropout(0.3, seed=0).forward(x)
    assert set(np.unique(out)) == {0.0, 1 / 0.7}
    assert (out > 0).mean() == pytest.approx(0.7, abs=0.01)
    assert out.mean() == pytest.approx(1.0, abs=0.02)  # 期待値が変わらない


def test_dropout_is_the_identity_at_test_time():
    x = np.random.default_rng(0).normal(size=(4, 5))
    layer = Dropout(0.5, seed=0)
    np.testing.assert_array_equal(layer.forward(x, train=False), x)
    np.testing.assert_array_equal(layer.backward(np.ones((4, 5))), np.ones((4, 5)))


def test_dropout_same_seed_gives_same_mask():
    x = np.ones((3, 8))
    np.testing.assert_array_equal(Dropout(0.5, seed=7).forward(x), Dropout(0.5, seed=7).forward(x))
    assert not np.array_equal(Dropout(0.5, seed=7).forward(x), Dropout(0.5, seed=8).forward(x))


def test_dropout_backward_matches_numerical_gradient_with_a_fixed_mask():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 6))
    dout = rng.normal(size=(5, 6))

    def loss(_):
        # 毎回同じ種のレイヤを作るので、マスクが固定される
        return float(np.sum(Dropout(0.4, seed=3).forward(x) * dout))

    layer = Dropout(0.4, seed=3)
    layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_allclose(dx, numerical_gradient(loss, x), atol=1e-8)
    assert np.any(dx == 0) and np.any(dx != 0)


def test_dropout_ratio_zero_changes_nothing():
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(Dropout(0.0, seed=0).forward(x), x)


@pytest.mark.parametrize(
    ("ratio", "error"),
    [(1.0, ValueError), (-0.1, ValueError), (np.nan, ValueError), ("0.5", TypeError)],
)
def test_dropout_rejects_bad_ratio(ratio, error):
    with pytest.raises(error, match="ratio"):
        Dropout(ratio)


def test_dropout_rejects_bad_input():
    layer = Dropout(0.5, seed=0)
    with pytest.raises(RuntimeError, match="forward"):
        layer.backward(np.ones(3))
    with pytest.raises(ValueError, match="NaN"):
        layer.forward(np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match=r"x\[0\] = inf"):
        layer.forward(np.array([np.inf, 1.0]), train=False)
    with pytest.raises(TypeError, match="train"):
        layer.forward(np.ones(3), train=None)
    with pytest.raises(TypeError, match="seed"):
        Dropout(0.5, seed=1.5)
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.ones((3, 2)))


# ---------------------------------------------------------------- Keras を独立の答えとして使う


def _keras():
    return pytest.importorskip("nnbook._quiet").import_keras()


def test_batchnorm_matches_keras_in_training_and_inference():
    keras = _keras()
    rng = np.random.default_rng(6)
    D = 4
    gamma, beta = rng.uniform(0.5, 1.5, D), rng.normal(size=D)
    ours = BatchNormalization(gamma.copy(), beta.copy(), momentum=0.9, eps=1e-3)
    theirs = keras.layers.BatchNormalization(momentum=0.9, epsilon=1e-3, dtype="float64")
    theirs.build((None, D))
    theirs.gamma.assign(gamma)
    theirs.beta.assign(beta)
    for step in range(3):
        x = rng.normal(loc=step, scale=2.0, size=(8, D))
        np.testing.assert_allclose(
            ours.forward(x), np.asarray(theirs(x, training=True)), rtol=0, atol=1e-10
        )
    np.testing.assert_allclose(ours.running_mean, np.asarray(theirs.moving_mean), atol=1e-12)
    np.testing.assert_allclose(ours.running_var, np.asarray(theirs.moving_variance), atol=1e-12)
    x = rng.normal(size=(5, D))
    np.testing.assert_allclose(
        ours.forward(x, train=False), np.asarray(theirs(x, training=False)), atol=1e-10
    )


def test_batchnorm_backward_matches_keras_gradients():
    keras = _keras()
    import tensorflow as tf

    rng = np.random.default_rng(7)
    D = 3
    gamma, beta = rng.uniform(0.5, 1.5, D), rng.normal(size=D)
    x = rng.normal(size=(6, D))
    dout = rng.normal(size=(6, D))
    ours = BatchNormalization(gamma.copy(), beta.copy(), eps=1e-3)
    ours.forward(x)
    dx = ours.backward(dout)
    theirs = keras.layers.BatchNormalization(epsilon=1e-3, dtype="float64")
    theirs.build((None, D))
    theirs.gamma.assign(gamma)
    theirs.beta.assign(beta)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(theirs(xt, training=True) * dout)
    gx, gg, gb = tape.gradient(loss, [xt, theirs.gamma, theirs.beta])
    np.testing.assert_allclose(dx, gx.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.grads[0], gg.numpy(), atol=1e-10)
    np.testing.assert_allclose(ours.grads[1], gb.numpy(), atol=1e-10)


def test_dropout_behaves_like_keras_dropout():
    """マスクの乱数は違うので、値の集合・残る割合・推論時の恒等写像を比べる。"""
    keras = _keras()
    x = np.full((100, 100), 2.0)
    theirs = np.asarray(keras.layers.Dropout(0.25, seed=0, dtype="float64")(x, training=True))
    ours = Dropout(0.25, seed=0).forward(x)
    assert set(np.unique(theirs)) == set(np.unique(ours)) == {0.0, 2.0 / 0.75}
    assert abs((theirs > 0).mean() - (ours > 0).mean()) < 0.03
    np.testing.assert_array_equal(
        np.asarray(keras.layers.Dropout(0.25)(x, training=False)),
        Dropout(0.25).forward(x, train=False),
    )
