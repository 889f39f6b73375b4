"""性質のテスト（Hypothesis）：学習のモジュール（layers・optimizers・networks・trainer）。

tests/test_properties.py と同じ規則です。悪い入力は引数の名前を書いた TypeError / ValueError、
良い入力は有限の結果。

``FIXME`` の印（strict な xfail）が付いたテストは、いまのコードが規則を満たしていないもの
（issue 16 の例）です。``nnbook._validation`` の関数で検査を入れると通るようになり、
strict なので「予期せず通った」と赤くなります。そのとき印を外してください。
"""

import re

import numpy as np
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnbook.layers import Affine, ReLU, Sigmoid, SoftmaxWithLoss
from nnbook.networks import TwoLayerNet
from nnbook.optimizers import SGD, Momentum
from nnbook.trainer import Trainer

#: 印の付いたテストは失敗するのがいまの正常な状態なので、失敗例を縮めない（時間の節約）
NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]


def FIXME(reason):
    """まだ規則を満たしていないテストの印（直ったら外す）。"""
    return pytest.mark.xfail(strict=True, reason=f"issue 16: {reason}")


FINITE = st.floats(-5.0, 5.0, allow_nan=False, allow_infinity=False)
NON_FINITE = st.sampled_from([np.inf, -np.inf, np.nan])
JUNK = st.sampled_from([None, "abc", {"a": 1}, [[1.0, 2.0], [3.0]], np.array(["a", "b"]), 1 + 2j])
NOT_INTEGER = st.sampled_from([2.0, 2.5, True, "3", None])
NOT_NUMBER = st.sampled_from([np.nan, np.inf, -np.inf, True, "0.1", None])
INT_TYPES = st.sampled_from([int, np.int32, np.int64])


def arrays(shape, elements=FINITE):
    return hnp.arrays(np.float64, shape, elements=elements)


@st.composite
def with_non_finite(draw, shape):
    """有限の配列の 1 か所を inf・-inf・NaN にしたもの（inf を先に試す）。"""
    arr = draw(arrays(shape))
    index = tuple(draw(st.integers(0, n - 1)) for n in arr.shape)
    arr[index] = draw(NON_FINITE)
    return arr


def names(name, message):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


def raises_non_finite(name, shape, func, *args, **kwargs):
    """NaN・inf を含む引数 name（形 shape）について、名前・形・位置を書いたエラーを出すこと。"""
    exc = raises_naming(name, func, *args, **kwargs)
    assert str(tuple(shape)) in str(exc), f"メッセージに {name} の形 {tuple(shape)} がない: {exc}"
    assert re.search(rf"{re.escape(name)}\[\d+(, \d+)*\]", str(exc)), f"最初の位置がない: {exc}"
    return exc


def raises_naming(name, func, *args, **kwargs):
    """func(*args, **kwargs) が TypeError か ValueError を出し、メッセージに name が入っていること。"""
    try:
        func(*args, **kwargs)
    except (TypeError, ValueError) as exc:
        assert names(name, str(exc)), f"メッセージに {name!r} がない: {exc}"
        return exc
    pytest.fail(f"{getattr(func, '__qualname__', func)} が悪い {name} を受け付けた")


SIZES = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(2, 4))  # N, D, K


# ---------------------------------------------------------------- layers


@settings(max_examples=20)
@given(sizes=SIZES, data=st.data())
def test_layers_good_input_give_finite_output_and_gradients(sizes, data):
    n, d, k = sizes
    x = data.draw(arrays((n, d)))
    affine = Affine(data.draw(arrays((d, k))), data.draw(arrays((k,))))
    for layer in (Sigmoid(), ReLU()):
        out = layer.forward(x)
        assert np.all(np.isfinite(out)) and np.all(np.isfinite(layer.backward(np.ones_like(out))))
    score = affine.forward(x)
    loss_layer = SoftmaxWithLoss()
    t = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    loss = loss_layer.forward(score, t)
    assert np.isfinite(loss) and loss >= 0
    dx = affine.backward(loss_layer.backward())
    assert np.all(np.isfinite(dx)) and all(np.all(np.isfinite(g)) for g in affine.grads)


@FIXME("Affine・ReLU が inf を受け付ける（_input は NaN だけを調べる）")
@settings(max_examples=20, phases=NO_SHRINK)
@given(sizes=SIZES, which=st.sampled_from(["W", "b", "x", "dout", "relu_x"]), data=st.data())
def test_affine_and_relu_reject_non_finite(sizes, which, data):
    n, d, k = sizes
    W, b, x = np.ones((d, k)), np.zeros(k), np.ones((n, d))
    if which == "W":
        raises_non_finite("W", (d, k), Affine, data.draw(with_non_finite((d, k))), b)
    elif which == "b":
        raises_non_finite("b", (k,), Affine, W, data.draw(with_non_finite((k,))))
    elif which == "x":
        raises_non_finite("x", (n, d), Affine(W, b).forward, data.draw(with_non_finite((n, d))))
    elif which == "dout":
        layer = Affine(W, b)
        layer.forward(x)
        raises_non_finite("dout", (n, k), layer.backward, data.draw(with_non_finite((n, k))))
    else:
        raises_non_finite("x", (n, d), ReLU().forward, data.draw(with_non_finite((n, d))))


@settings(max_examples=10)
@given(sizes=SIZES, data=st.data())
def test_sigmoid_layer_rejects_non_finite(sizes, data):
    n, d, _ = sizes
    raises_non_finite("x", (n, d), Sigmoid().forward, data.draw(with_non_finite((n, d))))


@FIXME("SoftmaxWithLoss.forward の x に inf があると内部の名前（a・y）で答える")
@settings(max_examples=15, phases=NO_SHRINK)
@given(sizes=SIZES, data=st.data())
def test_softmax_with_loss_rejects_non_finite_scores_by_name(sizes, data):
    n, _, k = sizes
    x = data.draw(with_non_finite((n, k)))
    raises_non_finite("x", (n, k), SoftmaxWithLoss().forward, x, np.zeros(n, dtype=int))


@settings(max_examples=20)
@given(sizes=SIZES, kind=st.sampled_from(["range", "negative", "soft_negative", "frac", "shape"]))
def test_softmax_with_loss_rejects_bad_targets(sizes, kind):
    n, _, k = sizes
    t = {
        "range": np.full(n, k),
        "negative": np.full(n, -1),
        "soft_negative": np.eye(k)[np.zeros(n, dtype=int)] - 0.5,  # 負の「確率」は負の損失になる
        "frac": np.full(n, 0.5),
        "shape": np.zeros((n + 1, k)),
    }[kind]
    raises_naming("t", SoftmaxWithLoss().forward, np.zeros((n, k)), t)


# ---------------------------------------------------------------- optimizers


@settings(max_examples=20)
@given(
    cls=st.sampled_from([SGD, Momentum]),
    lr=st.floats(1e-4, 1.0).flatmap(
        lambda v: st.sampled_from([float, np.float32, np.float64]).map(lambda f: f(v))
    ),
    data=st.data(),
)
def test_optimizers_good_input_keep_parameters_finite(cls, lr, data):
    params = [data.draw(arrays((2, 3))), data.draw(arrays((3,)))]
    grads = [data.draw(arrays(p.shape)) for p in params]
    opt = cls(lr=lr)
    for _ in range(3):
        opt.update(params, grads)
    assert all(np.all(np.isfinite(p)) for p in params)


@FIXME("SGD・Momentum が inf の勾配で -inf のパラメータを作る（NaN だけを調べる）")
@settings(max_examples=20, phases=NO_SHRINK)
@given(cls=st.sampled_from([SGD, Momentum]), data=st.data())
def test_optimizers_reject_non_finite_gradients(cls, data):
    params = [np.zeros((2, 3)), np.zeros(3)]
    grads = [np.zeros((2, 3)), data.draw(with_non_finite((3,)))]
    raises_non_finite("grads[1]", (3,), cls(lr=0.1).update, params, grads)


@settings(max_examples=20)
@given(
    cls=st.sampled_from([SGD, Momentum]),
    name=st.sampled_from(["lr", "momentum"]),
    bad=st.one_of(NOT_NUMBER, st.sampled_from([-0.1, "out_of_range"])),
)
def test_optimizers_reject_bad_hyperparameters(cls, name, bad):
    if name == "momentum" and cls is SGD:
        name = "lr"
    if isinstance(bad, str) and bad == "out_of_range":
        bad = 0.0 if name == "lr" else 1.0  # 学習率は正、モーメンタムは 0 以上 1 未満
    raises_naming(name, cls, **{name: bad})


@settings(max_examples=15)
@given(cls=st.sampled_from([SGD, Momentum]), kind=st.sampled_from(["count", "shape", "type"]))
def test_optimizers_reject_mismatched_params_and_grads(cls, kind):
    params = [np.zeros((2, 3)), np.zeros(3)]
    grads = {
        "count": [np.zeros((2, 3))],
        "shape": [np.zeros((2, 3)), np.zeros(4)],
        "type": [np.zeros((2, 3)), [0.0, 0.0, 0.0]],
    }[kind]
    raises_naming("grads", cls(lr=0.1).update, params, grads)


# ---------------------------------------------------------------- networks


@settings(max_examples=10)
@given(
    sizes=SIZES,
    int_type=INT_TYPES,
    std=st.floats(1e-3, 1.0),
    activation=st.sampled_from(["sigmoid", "relu"]),
    data=st.data(),
)
def test_two_layer_net_good_input(sizes, int_type, std, activation, data):
    n, d, k = sizes
    net = TwoLayerNet(
        int_type(d), int_type(3), int_type(k), weight_init_std=std, activation=activation
    )
    x = data.draw(arrays((n, d)))
    t = data.draw(hnp.arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    loss = net.forward(x, t)
    net.backward()
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in net.grads)
    assert 0.0 <= net.accuracy(x, t) <= 1.0


@settings(max_examples=20)
@given(
    name=st.sampled_from(["input_size", "hidden_size", "output_size"]),
    bad=st.one_of(NOT_INTEGER, st.just(0)),
)
def test_two_layer_net_rejects_bad_sizes(name, bad):
    args = {"input_size": 2, "hidden_size": 3, "output_size": 2}
    args[name] = bad
    raises_naming(name, TwoLayerNet, **args)


@FIXME("TwoLayerNet(weight_init_std=inf) を受け付ける")
@settings(max_examples=10, phases=NO_SHRINK)
@given(bad=st.sampled_from([np.inf, float("inf")]))
def test_two_layer_net_rejects_infinite_weight_init_std(bad):
    raises_naming("weight_init_std", TwoLayerNet, 2, 3, 2, weight_init_std=bad)


@FIXME("seed と activation の型の間違いに NumPy・Python の素のエラーで答える")
@settings(max_examples=10, phases=NO_SHRINK)
@given(
    call=st.sampled_from(
        [("seed", "0"), ("seed", 1.5), ("activation", ["relu"]), ("activation", None)]
    )
)
def test_two_layer_net_rejects_bad_seed_and_activation(call):
    name, bad = call
    raises_naming(name, TwoLayerNet, 2, 3, 2, **{name: bad})


@FIXME("TwoLayerNet.forward・predict が inf の x を受け付ける（または内部の名前で答える）")
@settings(max_examples=10, phases=NO_SHRINK)
@given(data=st.data(), method=st.sampled_from(["forward", "predict"]))
def test_two_layer_net_rejects_non_finite_x(data, method):
    net = TwoLayerNet(2, 3, 2)
    x = data.draw(with_non_finite((4, 2)))
    if method == "forward":
        raises_non_finite("x", (4, 2), net.forward, x, np.zeros(4, dtype=int))
    else:
        raises_non_finite("x", (4, 2), net.predict, x)


@settings(max_examples=10)
@given(t=st.sampled_from([np.full(4, 2), np.full(4, -1), np.full(4, 0.5), np.zeros(5, dtype=int)]))
def test_two_layer_net_accuracy_rejects_bad_labels(t):
    raises_naming("t", TwoLayerNet(2, 3, 2).accuracy, np.zeros((4, 2)), t)


# ---------------------------------------------------------------- trainer


def _trainer():
    return Trainer(TwoLayerNet(2, 4, 3, seed=0), SGD(lr=0.1), seed=0)


X = np.linspace(-1.0, 1.0, 24).reshape(12, 2)
T = np.arange(12) % 3


@settings(max_examples=10)
@given(
    max_epoch=st.integers(1, 3).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    batch_size=st.integers(1, 12).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    eval_interval=st.integers(1, 3).flatmap(lambda v: INT_TYPES.map(lambda f: f(v))),
    one_hot=st.booleans(),
)
def test_trainer_good_input_records_finite_losses(max_epoch, batch_size, eval_interval, one_hot):
    iters = int(max_epoch) * (12 // int(batch_size))
    trainer = _trainer().fit(
        X,
        np.eye(3)[T] if one_hot else T,
        max_epoch=max_epoch,
        batch_size=batch_size,
        eval_interval=min(int(eval_interval), iters),
    )
    assert trainer.loss_list and all(np.isfinite(v) for v in trainer.loss_list)


@FIXME("Trainer.fit が inf の x・t を「学習率が大きすぎませんか」や内部の名前のせいにする")
@settings(max_examples=15, phases=NO_SHRINK)
@given(which=st.sampled_from(["x", "t"]), data=st.data())
def test_trainer_rejects_non_finite_data_by_name(which, data):
    x, t = X, np.eye(3)[T]
    if which == "x":
        x = data.draw(with_non_finite(X.shape))
    else:
        t = data.draw(with_non_finite(t.shape))
    shape = x.shape if which == "x" else t.shape
    exc = raises_non_finite(
        which, shape, _trainer().fit, x, t, max_epoch=1, batch_size=4, eval_interval=1
    )
    assert "学習率" not in str(exc)


@FIXME("eval_interval が学習全体のイテレーション数より大きいと loss_list が黙って空になる")
@settings(max_examples=10, phases=NO_SHRINK)
@given(extra=st.integers(1, 50))
def test_trainer_rejects_eval_interval_longer_than_the_run(extra):
    iters = 2 * (12 // 4)
    raises_naming(
        "eval_interval",
        _trainer().fit,
        X,
        T,
        max_epoch=2,
        batch_size=4,
        eval_interval=iters + extra,
    )


@settings(max_examples=20)
@given(
    name=st.sampled_from(["max_epoch", "batch_size", "eval_interval"]),
    bad=st.one_of(NOT_INTEGER, st.just(0), st.just(-1)),
)
def test_trainer_rejects_bad_integers(name, bad):
    raises_naming(name, _trainer().fit, X, T, **{name: bad})


@settings(max_examples=10)
@given(t=st.sampled_from([np.full(12, 3), np.full(12, -1), np.full(12, 0.5)]))
def test_trainer_rejects_bad_labels(t):
    raises_naming("t", _trainer().fit, X, t, max_epoch=1, batch_size=4, eval_interval=1)


@FIXME("Trainer(seed=...) の型の間違いに NumPy の素のエラーで答える")
@settings(max_examples=5, phases=NO_SHRINK)
@given(bad=st.sampled_from(["0", 1.5, [1, 2, "a"]]))
def test_trainer_rejects_bad_seed(bad):
    raises_naming("seed", Trainer, TwoLayerNet(2, 3, 2), SGD(), seed=bad)
