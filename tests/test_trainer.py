import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from nnbook.datasets import load_spiral  # noqa: E402
from nnbook.networks import TwoLayerNet  # noqa: E402
from nnbook.optimizers import SGD  # noqa: E402
from nnbook.progress import Heartbeat  # noqa: E402
from nnbook.trainer import Trainer  # noqa: E402


def _trained(max_epoch=30, seed=0):
    x, t = load_spiral()
    trainer = Trainer(TwoLayerNet(2, 10, 3), SGD(lr=1.0), seed=seed)
    return trainer.fit(x, t, max_epoch=max_epoch, batch_size=30, eval_interval=10), x, t


def test_loss_falls_on_the_spiral():
    trainer, x, t = _trained(max_epoch=100)
    assert trainer.loss_list[0] > 1.0
    assert trainer.loss_list[-1] < 0.75 * trainer.loss_list[0]
    assert trainer.model.accuracy(x, t) > 0.6


def test_records_one_average_per_eval_interval():
    trainer, _, _ = _trained(max_epoch=3)
    # 300 点 / 30 = 1 エポック 10 イテレーション、3 エポックで 30 回 → 10 回ごとに 3 つ
    assert len(trainer.loss_list) == 3
    assert trainer.current_epoch == 3


def test_fit_continues_where_it_stopped():
    once, _, _ = _trained(max_epoch=4)
    twice, x, t = _trained(max_epoch=2)
    twice.fit(x, t, max_epoch=2, batch_size=30, eval_interval=10)
    assert twice.current_epoch == 4
    np.testing.assert_allclose(once.loss_list, twice.loss_list)


def test_same_seed_gives_same_run_and_another_seed_differs():
    a, _, _ = _trained(max_epoch=2, seed=3)
    b, _, _ = _trained(max_epoch=2, seed=3)
    c, _, _ = _trained(max_epoch=2, seed=4)
    assert a.loss_list == b.loss_list
    assert a.loss_list != c.loss_list


def test_fit_does_not_change_the_data():
    x, t = load_spiral()
    saved = x.copy(), t.copy()
    Trainer(TwoLayerNet(2, 4, 3), SGD(1.0)).fit(x, t, max_epoch=1, batch_size=30, eval_interval=10)
    np.testing.assert_array_equal(x, saved[0])
    np.testing.assert_array_equal(t, saved[1])


def test_accepts_integer_labels():
    x, t = load_spiral()
    trainer = Trainer(TwoLayerNet(2, 4, 3), SGD(1.0))
    trainer.fit(x, t.argmax(axis=1), max_epoch=1, batch_size=30, eval_interval=5)
    assert len(trainer.loss_list) == 2


def test_verbose_prints_each_record(capsys):
    x, t = load_spiral()
    Trainer(TwoLayerNet(2, 4, 3), SGD(1.0)).fit(
        x, t, max_epoch=1, batch_size=30, eval_interval=5, verbose=True
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith("エポック 1")


def test_heartbeat_prints_a_line_when_its_seconds_have_passed(capsys):
    # 偽の時計：1 回読むたびに 1 秒進む。4 秒ごとの合図なら、10 イテレーションで何度か表示される
    ticks = iter(range(10_000))
    beat = Heartbeat(4, clock=lambda: float(next(ticks)))
    x, t = load_spiral()
    Trainer(TwoLayerNet(2, 4, 3), SGD(1.0)).fit(
        x, t, max_epoch=2, batch_size=30, eval_interval=5, heartbeat=beat
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines, "合図の行が 1 行も表示されていません"
    assert all(line.startswith("  … エポック ") and "イテレーション" in line for line in lines)
    assert any("エポック 2/2" in line for line in lines)


def test_heartbeat_none_or_long_prints_nothing(capsys):
    x, t = load_spiral()
    for heartbeat in (None, 3600):
        Trainer(TwoLayerNet(2, 4, 3), SGD(1.0)).fit(
            x, t, max_epoch=1, batch_size=30, eval_interval=5, heartbeat=heartbeat
        )
    assert capsys.readouterr().out == ""


def test_heartbeat_does_not_change_the_training():
    x, t = load_spiral()
    runs = []
    for heartbeat in (None, 1e-9):
        trainer = Trainer(TwoLayerNet(2, 4, 3, seed=0), SGD(1.0), seed=0)
        trainer.fit(x, t, max_epoch=2, batch_size=30, eval_interval=5, heartbeat=heartbeat)
        runs.append(trainer.loss_list)
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    ("heartbeat", "error", "match"),
    [
        (0, ValueError, "heartbeat"),
        (-1.0, ValueError, "heartbeat"),
        (float("nan"), ValueError, "heartbeat"),
        (True, TypeError, "heartbeat"),
        ("10", TypeError, "heartbeat"),
    ],
)
def test_heartbeat_rejects_bad_values_by_name(heartbeat, error, match):
    x, t = load_spiral()
    with pytest.raises(error, match=match):
        Trainer(TwoLayerNet(2, 4, 3), SGD()).fit(x, t, max_epoch=1, heartbeat=heartbeat)


def test_plot_draws_the_loss_curve():
    trainer, _, _ = _trained(max_epoch=3)
    ax = trainer.plot()
    (line,) = ax.get_lines()
    np.testing.assert_array_equal(line.get_xdata(), [10, 20, 30])
    assert "損失" in ax.get_ylabel()
    plt.close(ax.figure)


def test_plot_before_fit_raises():
    with pytest.raises(RuntimeError, match="fit"):
        Trainer(TwoLayerNet(2, 4, 3), SGD()).plot()


def test_model_and_optimizer_are_duck_typed():
    with pytest.raises(TypeError, match="forward"):
        Trainer(object(), SGD())
    with pytest.raises(TypeError, match="update"):
        Trainer(TwoLayerNet(2, 4, 3), object())


@pytest.mark.parametrize(
    ("x", "t", "kwargs", "error", "match"),
    [
        (np.ones(10), np.zeros(10), {}, ValueError, "x は 2 次元"),
        (np.ones((10, 2)), np.zeros(9), {}, ValueError, "t の数 9 が x の数 10"),
        (np.ones((10, 2)), np.zeros(10), {"batch_size": 11}, ValueError, "batch_size 11"),
        (np.ones((10, 2)), np.zeros(10), {"batch_size": 0}, ValueError, "batch_size"),
        (np.ones((10, 2)), np.zeros(10), {"max_epoch": 1.5}, TypeError, "max_epoch"),
        (np.ones((10, 2)), np.zeros(10), {"verbose": 1}, TypeError, "verbose"),
        (np.full((10, 2), np.nan), np.zeros(10), {}, ValueError, r"x\[0, 0\] = nan"),
        (np.ones((10, 2)), np.r_[np.zeros(9), np.inf], {}, ValueError, r"t\[9\] = inf"),
        ([["a", "b"]], np.zeros(1), {}, TypeError, "x は数値"),
    ],
)
def test_fit_rejects_bad_input(x, t, kwargs, error, match):
    args = {"max_epoch": 1, "batch_size": 5, "eval_interval": 1, **kwargs}
    with pytest.raises(error, match=match):
        Trainer(TwoLayerNet(2, 4, 3), SGD()).fit(x, t, **args)


def test_infinite_data_is_not_blamed_on_the_learning_rate():
    x, t = load_spiral()
    x = x.copy()
    x[5, 1] = np.inf
    with pytest.raises(ValueError, match=r"x\[5, 1\] = inf") as info:
        Trainer(TwoLayerNet(2, 4, 3), SGD(1.0)).fit(
            x, t, max_epoch=1, batch_size=30, eval_interval=5
        )
    assert "学習率" not in str(info.value)


def test_eval_interval_longer_than_the_run_is_rejected():
    x, t = load_spiral()  # 300 点 / 32 = 9 イテレーション（1 エポック）
    trainer = Trainer(TwoLayerNet(2, 4, 3), SGD(1.0))
    with pytest.raises(ValueError, match=r"eval_interval=20 .*イテレーション数 9"):
        trainer.fit(x, t, max_epoch=1)
    assert trainer.loss_list == [] and trainer.current_epoch == 0  # 何も学習しない
    trainer.fit(x, t, max_epoch=3)  # 27 回なら 20 回ごとに 1 つ記録できる
    assert len(trainer.loss_list) == 1


def test_changing_eval_interval_between_fits_is_rejected():
    trainer, x, t = _trained(max_epoch=1)
    with pytest.raises(ValueError, match="eval_interval"):
        trainer.fit(x, t, max_epoch=1, batch_size=30, eval_interval=5)


def test_validation_accuracy_is_recorded_once_per_epoch():
    from nnbook.networks import MultiLayerNet

    x, t = load_spiral()
    rng = np.random.default_rng(0)
    idx = rng.permutation(len(x))
    tr, va = idx[:200], idx[200:]
    trainer = Trainer(MultiLayerNet(2, [10], 3), SGD(0.5))
    trainer.fit(x[tr], t[tr], max_epoch=3, batch_size=20, x_val=x[va], t_val=t[va])
    assert len(trainer.train_acc_list) == len(trainer.val_acc_list) == 3
    assert trainer.train_acc_list[-1] == trainer.model.accuracy(x[tr], t[tr])
    assert trainer.val_acc_list[-1] == trainer.model.accuracy(x[va], t[va])


def test_no_validation_data_means_no_accuracy_lists():
    trainer, _, _ = _trained(max_epoch=1)
    assert trainer.train_acc_list == [] and trainer.val_acc_list == []


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x_val": np.ones((3, 2))}, "両方"),
        ({"x_val": np.ones((3, 5)), "t_val": np.zeros(3)}, "x_val"),
        ({"x_val": np.ones((3, 2)), "t_val": np.zeros(4)}, "x_val"),
        ({"x_val": np.full((3, 2), np.nan), "t_val": np.zeros(3)}, r"x_val\[0, 0\] = nan"),
        ({"x_val": np.ones((3, 2)), "t_val": np.r_[0.0, -np.inf, 0.0]}, r"t_val\[1\] = -inf"),
        ({"x_val": np.ones(3), "t_val": np.zeros(3)}, "x_val は 2 次元"),
    ],
)
def test_bad_validation_data_is_rejected(kwargs, match):
    x, t = load_spiral()
    with pytest.raises(ValueError, match=match):
        Trainer(TwoLayerNet(2, 4, 3), SGD(1.0)).fit(x, t, max_epoch=1, eval_interval=5, **kwargs)


def test_plot_labels_the_axis_with_iterations():
    trainer, _, _ = _trained(max_epoch=2)
    ax = trainer.plot()
    assert ax.get_xlabel() == "イテレーション（10 回ごとの平均）"
    plt.close(ax.figure)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"ylim": "ab"}, TypeError, "ylim は"),
        ({"ylim": (0,)}, ValueError, "ylim は"),
        ({"ylim": (0, np.inf)}, ValueError, r"ylim\[1\]"),
        ({"ax": "foo"}, TypeError, "ax は matplotlib の Axes"),
        ({"title": 3}, TypeError, "title は"),
    ],
)
def test_plot_rejects_bad_arguments_by_name(kwargs, error, match):
    trainer = Trainer(TwoLayerNet(2, 3, 2), SGD(lr=0.1))
    trainer.fit(
        np.zeros((4, 2)), np.array([0, 1, 0, 1]), max_epoch=1, batch_size=2, eval_interval=1
    )
    with pytest.raises(error, match=match):
        trainer.plot(**kwargs)
