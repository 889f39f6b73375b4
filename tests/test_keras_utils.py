"""Keras の章の補助（nnbook.keras_utils）：乱数の種、学習ログ、学習曲線。"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnbook.plotting  # noqa: E402, F401  日本語フォント（豆腐の警告を出さない）
from nnbook.keras_utils import CompactLog, keras, plot_history, set_seed  # noqa: E402


def test_set_seed_makes_initial_weights_repeatable():
    def weights():
        set_seed(3, deterministic=False)
        layer = keras.layers.Dense(4)
        layer.build((None, 2))
        return layer.get_weights()[0]

    np.testing.assert_array_equal(weights(), weights())


@pytest.mark.parametrize("seed", [1.5, "0", True])
def test_set_seed_rejects_non_integers(seed):
    with pytest.raises(TypeError):
        set_seed(seed)


def test_compact_log_prints_every_n_epochs_and_the_last(capsys):
    log = CompactLog(every=2, digits=2)
    log.params = {"epochs": 5}
    for epoch in range(5):
        log.on_epoch_end(epoch, {"loss": 0.123, "learning_rate": 0.001})
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "エポック 2/5  loss 0.12",
        "エポック 4/5  loss 0.12",
        "エポック 5/5  loss 0.12",
    ]


def test_compact_log_heartbeat_inside_a_long_epoch(capsys):
    from nnbook.progress import Heartbeat

    now = [0.0]
    log = CompactLog(heartbeat=10)
    log.params = {"epochs": 2, "steps": 100}
    log.on_train_begin()
    log._beat = Heartbeat(10, clock=lambda: now[0])
    log.on_epoch_begin(0)
    for batch in range(100):
        now[0] += 0.25  # 1 バッチ 0.25 秒 → 40 バッチごとに 1 行
        log.on_train_batch_end(batch, {"loss": 0.5})
    log.on_epoch_end(0, {"loss": 0.5})
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "  … エポック 1/2  バッチ 40/100  loss 0.5000（10 秒経過）",
        "  … エポック 1/2  バッチ 80/100  loss 0.5000（20 秒経過）",
        "エポック 1/2  loss 0.5000",
    ]


def test_compact_log_without_heartbeat_is_quiet_inside_epochs(capsys):
    log = CompactLog(heartbeat=None)
    log.params = {"epochs": 1, "steps": 10}
    log.on_train_begin()
    log.on_epoch_begin(0)
    log.on_train_batch_end(0, {"loss": 0.5})
    assert capsys.readouterr().out == ""


def test_compact_log_records_seconds_per_epoch_in_a_real_fit(capsys):
    set_seed(0, deterministic=False)
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    log = CompactLog()
    x = np.zeros((8, 2), dtype="float32")
    model.fit(x, x[:, :1], epochs=3, batch_size=4, verbose=0, callbacks=[log])
    assert len(log.seconds) == 3
    assert 0 < log.seconds[0] <= log.seconds[1] <= log.seconds[2]
    assert capsys.readouterr().out.splitlines()[-1].startswith("エポック 3/3  loss ")


def test_compact_log_bad_every():
    with pytest.raises(ValueError):
        CompactLog(every=0)


def test_plot_history_draws_training_and_validation():
    history = {"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6], "accuracy": [0.5, 0.7, 0.8]}
    fig = plot_history(history, title="題名")
    loss_ax, acc_ax = fig.axes
    assert len(loss_ax.lines) == 2 and len(acc_ax.lines) == 1  # 正解率には検証データがない
    np.testing.assert_array_equal(loss_ax.lines[1].get_ydata(), [1.1, 0.7, 0.6])
    assert loss_ax.get_xlabel() == "エポック" and acc_ax.get_ylabel() == "正解率"
    plt.close(fig)


def test_plot_history_only_loss_for_regression():
    fig = plot_history({"loss": [1.0, 0.5], "val_loss": [1.2, 0.9]})
    assert len(fig.axes) == 1
    plt.close(fig)


def test_plot_history_bad_input():
    with pytest.raises(TypeError):
        plot_history([1, 2, 3])
    with pytest.raises(ValueError, match="mae"):
        plot_history({"mae": [1.0]})
