import numpy as np
import pytest

from nnbook.optimizers import SGD, AdaGrad, Adam, Momentum, RMSprop

ALL = [SGD, Momentum, AdaGrad, RMSprop, Adam]


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
@pytest.mark.parametrize("cls", ALL)
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
        ([np.ones(2)], [np.array([1.0, np.inf])], ValueError),  # inf
        ([np.array([np.inf, 0.0])], [np.ones(2)], ValueError),  # パラメータが inf
        ([np.ones(2, dtype=int)], [np.ones(2)], TypeError),  # その場で更新できない dtype
        ([np.ones(2)], [np.array(["a", "b"])], TypeError),  # 数値でない勾配
        ([[1.0, 2.0]], [np.ones(2)], TypeError),  # ndarray でない
        (np.ones(2), np.ones(2), TypeError),  # リストでない
    ],
)
@pytest.mark.parametrize("cls", ALL)
def test_update_rejects_mismatched_params_and_grads(cls, params, grads, error):
    saved = [p.copy() for p in params] if isinstance(params, list) else None
    with pytest.raises(error, match="params|grads"):
        cls().update(params, grads)
    if saved is not None:  # 何も書き換えない
        for p, s in zip(params, saved):
            np.testing.assert_array_equal(p, s)


@pytest.mark.parametrize("cls", ALL)
def test_infinite_gradient_is_rejected_naming_where(cls):
    params = [np.zeros((2, 2)), np.zeros(2)]
    with pytest.raises(ValueError, match=r"grads\[1\] には有限の値.*grads\[1\]\[1\] = -inf"):
        cls().update(params, [np.zeros((2, 2)), np.array([0.0, -np.inf])])
    assert all(np.all(p == 0) for p in params)


@pytest.mark.parametrize("cls", [Momentum, AdaGrad, RMSprop, Adam])
def test_stateful_optimizers_reject_params_of_another_model(cls):
    opt = cls()
    opt.update([np.ones(2)], [np.ones(2)])
    with pytest.raises(ValueError, match="前回"):
        opt.update([np.ones(3)], [np.ones(3)])


# ---------------------------------------------------------------- 第 8 章：AdaGrad・RMSprop・Adam


def test_adagrad_matches_hand_computation():
    x = np.array([1.0])
    opt = AdaGrad(lr=0.5, eps=1e-12)
    opt.update([x], [np.array([2.0])])  # h = 4, x = 1 - 0.5 * 2 / 2 = 0.5
    opt.update([x], [np.array([3.0])])  # h = 13, x = 0.5 - 0.5 * 3 / √13
    np.testing.assert_allclose(x, [0.5 - 1.5 / np.sqrt(13)])


def test_rmsprop_matches_hand_computation():
    x = np.array([1.0])
    opt = RMSprop(lr=0.1, rho=0.5, eps=1e-12)
    opt.update([x], [np.array([2.0])])  # h = 2, x = 1 - 0.1 * 2 / √2
    opt.update([x], [np.array([-1.0])])  # h = 1.5, x += 0.1 / √1.5
    np.testing.assert_allclose(x, [1 - 0.2 / np.sqrt(2) + 0.1 / np.sqrt(1.5)])


def test_adam_first_step_has_size_lr_thanks_to_bias_correction():
    # t = 1 では m̂ = g、v̂ = g² なので、勾配の大きさによらず η だけ動く
    for g in (1e-3, 1.0, 1e3):
        x = np.array([0.0, 0.0])
        Adam(lr=0.01, eps=1e-12).update([x], [np.array([g, -g])])
        np.testing.assert_allclose(x, [-0.01, 0.01])


def test_adam_matches_hand_computation_for_two_steps():
    x = np.array([0.0])
    opt = Adam(lr=0.1, beta1=0.5, beta2=0.75, eps=1e-12)
    opt.update([x], [np.array([1.0])])  # m̂ = 1, v̂ = 1 → x = -0.1
    opt.update([x], [np.array([3.0])])
    m = 0.5 * 0.5 + 0.5 * 3.0  # 1.75
    v = 0.75 * 0.25 + 0.25 * 9.0  # 2.4375
    m_hat, v_hat = m / (1 - 0.25), v / (1 - 0.5625)
    np.testing.assert_allclose(x, [-0.1 - 0.1 * m_hat / np.sqrt(v_hat)])
    assert opt.t == 2


@pytest.mark.parametrize("cls", [Momentum, AdaGrad, RMSprop, Adam])
def test_optimizers_minimise_the_elongated_bowl(cls):
    """f(x, y) = x²/20 + y²（第 8 章の図）で (-7, 2) から原点に近づく。"""
    p = np.array([-7.0, 2.0])
    lr = {Momentum: 0.1, AdaGrad: 1.5, RMSprop: 0.1, Adam: 0.3}[cls]
    opt = cls(lr=lr)
    for _ in range(300):
        opt.update([p], [np.array([p[0] / 10, 2 * p[1]])])
    assert np.linalg.norm(p) < 0.1


@pytest.mark.parametrize(
    ("cls", "name", "value", "error"),
    [
        (RMSprop, "rho", 1.0, ValueError),
        (RMSprop, "rho", -0.5, ValueError),
        (RMSprop, "rho", "0.9", TypeError),
        (Adam, "beta1", 1.0, ValueError),
        (Adam, "beta2", True, TypeError),
        (AdaGrad, "eps", 0.0, ValueError),
        (Adam, "eps", np.inf, ValueError),
        (RMSprop, "eps", None, TypeError),
    ],
)
def test_bad_hyperparameters_are_rejected(cls, name, value, error):
    with pytest.raises(error, match=name):
        cls(**{name: value})


# ---------------------------------------------------------------- Keras を独立の答えとして使う


# Keras は学習率を float32 の変数に持つので（0.1 は 0.10000000149…）、float32 で
# ちょうど表せる学習率（2 の累乗）を使う。SGD の momentum と Adagrad の h の初期値も
# float32 を通るので、momentum は 0.875 にする。ほかのハイパーパラメータは float64 で計算される。


def _gradient_sequence(n_steps=30, shape=(3, 2), seed=0):
    rng = np.random.default_rng(seed)
    # 大きさの違う勾配（符号も変わる）
    return [rng.normal(size=shape) * rng.choice([0.015625, 1.0, 10.0]) for _ in range(n_steps)]


def _keras_trajectory(keras_optimizer, start, grads):
    """同じ勾配の列を Keras の最適化アルゴリズムに float64 で与え、各時点のパラメータを返す。"""
    from nnbook._quiet import import_keras

    keras = import_keras()
    var = keras.Variable(start.copy(), dtype="float64")
    out = []
    for g in grads:
        keras_optimizer.apply_gradients([(keras.ops.convert_to_tensor(g, "float64"), var)])
        out.append(np.array(var.numpy()))
    return out


def _nnbook_trajectory(optimizer, start, grads):
    p = start.copy()
    out = []
    for g in grads:
        optimizer.update([p], [g])
        out.append(p.copy())
    return out


def _assert_same_trajectory(a, b, atol=1e-6):
    for i, (x, y) in enumerate(zip(a, b)):
        np.testing.assert_allclose(x, y, rtol=0, atol=atol, err_msg=f"{i + 1} 回目の更新")


START = np.arange(6, dtype=float).reshape(3, 2) - 2.5


def test_sgd_matches_keras():
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    grads = _gradient_sequence()
    _assert_same_trajectory(
        _nnbook_trajectory(SGD(lr=0.0625), START, grads),
        _keras_trajectory(keras.optimizers.SGD(learning_rate=0.0625), START, grads),
    )


def test_momentum_matches_keras_sgd_with_momentum():
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    grads = _gradient_sequence()
    _assert_same_trajectory(
        _nnbook_trajectory(Momentum(lr=0.0625, momentum=0.875), START, grads),
        _keras_trajectory(keras.optimizers.SGD(learning_rate=0.0625, momentum=0.875), START, grads),
    )


def test_adagrad_matches_keras_when_keras_starts_from_zero():
    """Keras の Adagrad は h を 0.1 から始め（initial_accumulator_value）、ε を √ の中に足す。

    h を 0 から始め、ε を十分小さくすれば（h ≥ g² ≫ ε）、同じ軌跡になる。
    """
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    grads = _gradient_sequence()
    _assert_same_trajectory(
        _nnbook_trajectory(AdaGrad(lr=0.125, eps=1e-12), START, grads),
        _keras_trajectory(
            keras.optimizers.Adagrad(
                learning_rate=0.125, initial_accumulator_value=0.0, epsilon=1e-24
            ),
            START,
            grads,
        ),
    )


def test_keras_adagrad_defaults_differ_by_the_initial_accumulator():
    """Keras の既定（h の初期値 0.1）では、小さな勾配での歩幅が nnbook（h = 0 から）より小さい。"""
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    grads = [np.full((3, 2), 0.015625)]
    ours = _nnbook_trajectory(AdaGrad(lr=0.125), START, grads)[0] - START
    theirs = _keras_trajectory(keras.optimizers.Adagrad(learning_rate=0.125), START, grads)[0]
    # nnbook: 歩幅 η g / (√(g²) + ε) ≈ η、Keras: η g / √(0.1 + g² + ε) ≈ 0.049 η
    np.testing.assert_allclose(ours, -0.125, rtol=1e-4)
    g = 0.015625
    np.testing.assert_allclose(
        theirs - START, -0.125 * g / np.sqrt(0.1 + g * g + 1e-7), rtol=1e-7
    )  # 0.1 は float32


@pytest.mark.parametrize("rho", [0.9, 0.99])
def test_rmsprop_matches_keras(rho):
    """Keras の RMSprop は ε を √ の中に足す（√(h + ε)）。ε を十分小さくすれば同じ軌跡になる。"""
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    grads = _gradient_sequence()
    _assert_same_trajectory(
        _nnbook_trajectory(RMSprop(lr=0.015625, rho=rho, eps=1e-12), START, grads),
        _keras_trajectory(
            keras.optimizers.RMSprop(learning_rate=0.015625, rho=rho, epsilon=1e-24), START, grads
        ),
    )


def test_keras_rmsprop_puts_epsilon_inside_the_square_root():
    """Keras：W ← W - η g / √(h + ε)。nnbook（DLfS と同じ）：W ← W - η g / (√h + ε)。

    勾配が小さい最初の更新で違いが見える（g = 0.001, ρ = 0.9 なら h = 1e-7 = ε）。
    """
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    g = np.full((3, 2), 1e-3)
    theirs = _keras_trajectory(keras.optimizers.RMSprop(learning_rate=0.015625), START, [g])[0]
    h = 0.1 * g * g
    np.testing.assert_allclose(theirs, START - 0.015625 * g / np.sqrt(h + 1e-7), rtol=0, atol=1e-9)
    ours = _nnbook_trajectory(RMSprop(lr=0.015625), START, [g])[0]
    np.testing.assert_allclose(ours, START - 0.015625 * g / (np.sqrt(h) + 1e-7), atol=1e-12)
    assert np.abs(ours - theirs).max() > 1e-3


# 0.9 と 0.999 は float32 で丸められる（Keras の中で 1 - β2 に 1e-5 ほどの相対誤差）が、
# 軌跡の差は 1e-6 未満。2 の累乗でちょうど表せる値でも確かめる。
@pytest.mark.parametrize(("beta1", "beta2"), [(0.9, 0.999), (0.875, 1 - 2.0**-10), (0.5, 0.875)])
def test_adam_matches_keras(beta1, beta2):
    """ε が小さければ同じ軌跡（Keras は ε を補正前の √v に足す。下のテストを参照）。"""
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    grads = _gradient_sequence()
    _assert_same_trajectory(
        _nnbook_trajectory(Adam(lr=0.015625, beta1=beta1, beta2=beta2, eps=1e-12), START, grads),
        _keras_trajectory(
            keras.optimizers.Adam(
                learning_rate=0.015625, beta_1=beta1, beta_2=beta2, epsilon=1e-12
            ),
            START,
            grads,
        ),
    )


def test_keras_adam_puts_epsilon_before_the_bias_correction():
    """Keras：W ← W - η √(1-β2^t)/(1-β1^t) · m / (√v + ε̂)。これは nnbook の式で
    ε = ε̂ / √(1-β2^t) としたものと同じ。勾配が ε̂ 程度に小さいと違いが見える。"""
    keras = pytest.importorskip("nnbook._quiet").import_keras()
    eps_hat, beta2 = 2.0**-10, 1 - 2.0**-10  # float32 でちょうど表せる値
    g = np.full((3, 2), 1e-3)
    theirs = _keras_trajectory(
        keras.optimizers.Adam(learning_rate=0.015625, beta_2=beta2, epsilon=eps_hat), START, [g]
    )[0]
    same = START.copy()
    Adam(lr=0.015625, beta2=beta2, eps=eps_hat / np.sqrt(1 - beta2)).update([same], [g])
    # 歩幅は約 5e-4。Keras の中の float32 の丸めで 1e-10 ほどずれる
    np.testing.assert_allclose(theirs, same, rtol=0, atol=1e-9)
    naive = START.copy()
    Adam(lr=0.015625, beta2=beta2, eps=eps_hat).update([naive], [g])
    assert np.abs(naive - theirs).max() > 1e-3  # ε をそのまま渡すとずれる


@pytest.mark.parametrize("cls", [SGD, Momentum, AdaGrad, RMSprop, Adam])
def test_update_rejects_a_read_only_parameter_by_name(cls):
    W, b = np.ones((2, 2)), np.ones(2)
    b.setflags(write=False)
    with pytest.raises(ValueError, match=r"params\[1\] は書き込みのできない"):
        cls().update([W, b], [np.ones((2, 2)), np.ones(2)])
    np.testing.assert_array_equal(W, np.ones((2, 2)))  # 断ったときは何も変えない
