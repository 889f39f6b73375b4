"""長い計算の「生きている合図」：一定の秒数ごとに 1 行だけ表示する。

Keras に頼らないので、NumPy の学習ループでも Keras の自作ループでも使えます::

    from nnbook.progress import Heartbeat

    beat = Heartbeat(seconds=10)
    for step in range(n_steps):
        ...
        beat.maybe(f"ステップ {step + 1}/{n_steps}  損失 {loss:.3f}")
"""

import time

from ._validation import number, text

__all__ = ["Heartbeat"]


class Heartbeat:
    """前の表示から ``seconds`` 秒たったときだけ、経過秒数をつけて 1 行表示する。

    Parameters
    ----------
    seconds : float
        表示の間隔の下限（秒、0 より大きい）。
    clock : callable
        今の時刻（秒）を返す関数。テストで時計を差し替えるためのもの。

    Attributes
    ----------
    start : float
        作ったとき（または ``reset`` を呼んだとき）の時刻。
    """

    def __init__(self, seconds=10.0, clock=time.monotonic):
        self.seconds = number("seconds", seconds, positive=True)
        if not callable(clock):
            raise TypeError(f"clock は時刻を返す関数です（{type(clock).__name__}）")
        self.clock = clock
        self.reset()

    def reset(self):
        """経過時間を 0 に戻す（次の表示は ``seconds`` 秒後）。"""
        self.start = self.last = self.clock()

    def elapsed(self):
        """``start`` からの経過秒数。"""
        return self.clock() - self.start

    def due(self):
        """前の表示（または開始）から ``seconds`` 秒以上たっていれば True。"""
        return self.clock() - self.last >= self.seconds

    def maybe(self, message):
        """``due()`` なら ``message`` に経過秒数を添えて表示し、True を返す。

        Parameters
        ----------
        message : str
            表示する文（例: ``"ステップ 120/500  損失 0.412"``）。

        Returns
        -------
        bool
            表示したかどうか。
        """
        text("message", message)
        if not self.due():
            return False
        self.last = self.clock()
        print(f"  … {message}（{self.elapsed():.0f} 秒経過）", flush=True)
        return True
