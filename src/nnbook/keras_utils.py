"""Keras の章（第 8〜10 章）で使う補助。

このモジュールを import すると TensorFlow と Keras を読み込みます（起動ログは出しません）::

    from nnbook.keras_utils import keras, set_seed, CompactLog
"""

import time

from ._quiet import import_keras
from ._validation import as_float_array, boolean, check_ndim, integer, number, text
from .progress import Heartbeat

keras = import_keras()

__all__ = ["keras", "set_seed", "CompactLog", "Heartbeat", "plot_history"]


def set_seed(seed=0, deterministic=True):
    """Python・NumPy・TensorFlow の乱数の種をまとめて決める。

    Parameters
    ----------
    seed : int
        乱数の種。
    deterministic : bool
        True なら TensorFlow の演算も決定的にする（同じ機械なら同じ結果。少し遅くなることがある）。
    """
    seed = integer("seed", seed, minimum=0, maximum=2**32 - 1)
    deterministic = boolean("deterministic", deterministic)
    keras.utils.set_random_seed(seed)
    if deterministic:
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


class CompactLog(keras.callbacks.Callback):
    """学習の経過を数エポックごとに 1 行で表示するコールバック（進捗バーの代わり）。

    1 エポックが長いときは、エポックの途中でも ``heartbeat`` 秒ごとに
    「… エポック 3/10  バッチ 120/422  loss 0.4123（25 秒経過）」のような行を足して、
    学習が進んでいることを知らせます（表示が時間で変わるので、nbval では出力を無視するセルで使います）。

    Parameters
    ----------
    every : int
        何エポックごとに表示するか（1 以上。最後のエポックは必ず表示）。
    digits : int
        表示する小数の桁数（0〜15）。
    heartbeat : float or None
        エポックの途中の表示の間隔（秒、0 より大きい）。None なら途中では表示しない。

    Attributes
    ----------
    seconds : list of float
        学習の始めから各エポックの終わりまでの秒数（エポックごとに 1 つ）。
        検証データの正解率と並べると「学習時間と正解率の曲線」が描けます。
    """

    def __init__(self, every=1, digits=4, heartbeat=10.0):
        super().__init__()
        self.every = integer("every", every, minimum=1)
        self.digits = integer("digits", digits, minimum=0, maximum=15)
        if heartbeat is not None:
            heartbeat = number("heartbeat", heartbeat, positive=True)
        self.heartbeat = heartbeat
        self._beat = None
        self._epoch = 0
        self._start = None
        self.seconds = []

    def _format(self, logs):
        return "  ".join(
            f"{k} {v:.{self.digits}f}" for k, v in (logs or {}).items() if k != "learning_rate"
        )

    def on_train_begin(self, logs=None):
        self._beat = Heartbeat(self.heartbeat) if self.heartbeat is not None else None
        self._start = time.perf_counter()
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._beat is None or not self._beat.due():
            return
        total = self.params.get("epochs", self._epoch + 1)
        steps = self.params.get("steps")
        where = f"バッチ {batch + 1}/{steps}" if steps else f"バッチ {batch + 1}"
        self._beat.maybe(f"エポック {self._epoch + 1}/{total}  {where}  {self._format(logs)}")

    def on_epoch_end(self, epoch, logs=None):
        if self._start is not None:
            self.seconds.append(time.perf_counter() - self._start)
        total = self.params.get("epochs", epoch + 1)
        if (epoch + 1) % self.every and epoch + 1 != total:
            return
        width = len(str(total))
        print(f"エポック {epoch + 1:>{width}}/{total}  {self._format(logs)}", flush=True)
        if self._beat is not None:
            self._beat.last = self._beat.clock()


def plot_history(history, title=None, metrics=("loss", "accuracy")):
    """学習曲線（訓練データと検証データの指標のエポックごとの推移）を横に並べて描く。

    Parameters
    ----------
    history : keras.callbacks.History or dict
        ``model.fit`` の戻り値、またはその ``history`` 属性（指標名 → エポックごとの値のリスト）。
        検証データの値（``val_`` で始まる名前）があれば一緒に描く。
    title : str, optional
        図全体の題名。
    metrics : sequence of str
        描く指標。``history`` にないものは飛ばす。

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    h = getattr(history, "history", history)
    if not isinstance(h, dict):
        raise TypeError(
            f"history は History か dict である必要があります（{type(history).__name__}）"
        )
    if isinstance(metrics, str) or not isinstance(metrics, (list, tuple)):
        raise TypeError(f"metrics は指標の名前を並べたリストかタプルです（{metrics!r}）")
    for i, m in enumerate(metrics):
        text(f"metrics[{i}]", m)
    text("title", title, optional=True)
    names = [m for m in metrics if m in h]
    if not names:
        raise ValueError(f"history に {list(metrics)} のどれもありません（あるのは {list(h)}）")
    for name in [*names, *(f"val_{m}" for m in names if f"val_{m}" in h)]:
        values = as_float_array(h[name], f"history[{name!r}]")
        check_ndim(values, 1, f"history[{name!r}]")
    labels = {"loss": "損失", "accuracy": "正解率"}
    epochs = range(1, len(h[names[0]]) + 1)
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.6), squeeze=False)
    for ax, name in zip(axes[0], names):
        label = labels.get(name, name)
        ax.plot(epochs, h[name], marker="o", label="訓練データ")
        if f"val_{name}" in h:
            ax.plot(epochs, h[f"val_{name}"], marker="s", linestyle="--", label="検証データ")
        ax.set(xlabel="エポック", ylabel=label, title=f"{label}の推移")
        if len(epochs) <= 20:
            ax.set_xticks(list(epochs))
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
