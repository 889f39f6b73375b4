"""ミニバッチ学習を回す Trainer。"""

import numbers

import numpy as np

from ._validation import axes, boolean, finite_array, integer, number, pair, random_seed, text
from .progress import Heartbeat

__all__ = ["Trainer"]


class Trainer:
    """モデルを最適化アルゴリズムでミニバッチ学習させ、損失の推移を記録する。

    モデルは ``forward(x, t)``（損失を返す）、``backward()``、``params``、``grads`` を、
    最適化アルゴリズムは ``update(params, grads)`` を持っていれば何でも使えます。

    Parameters
    ----------
    model : object
        例: ``nnbook.networks.TwoLayerNet``。
    optimizer : object
        例: ``nnbook.optimizers.SGD``。
    seed : int or numpy.random.Generator
        ミニバッチを作るためのシャッフルの乱数の種。``fit`` を何度呼んでも、
        同じ乱数の流れの続きを使う。

    Attributes
    ----------
    loss_list : list of float
        ``eval_interval`` 回のイテレーションごとの平均損失（``fit`` を続けて呼ぶと後ろに足していく）。
    train_acc_list, val_acc_list : list of float
        ``fit`` に検証データを渡したとき、各エポックの終わりの訓練データと検証データの正解率。
    eval_interval : int
        最後の ``fit`` の ``eval_interval``（``plot`` の横軸に使う）。
    current_epoch : int
        これまでに学習したエポック数。
    """

    def __init__(self, model, optimizer, seed=0):
        for attr in ("forward", "backward", "params", "grads"):
            if not hasattr(model, attr):
                raise TypeError(f"model に {attr} がありません")
        if not hasattr(optimizer, "update"):
            raise TypeError("optimizer に update(params, grads) がありません")
        self.model = model
        self.optimizer = optimizer
        self.rng = np.random.default_rng(random_seed("seed", seed))
        self.loss_list = []
        self.train_acc_list = []
        self.val_acc_list = []
        self.eval_interval = None
        self.current_epoch = 0

    def fit(
        self,
        x,
        t,
        max_epoch=10,
        batch_size=32,
        eval_interval=20,
        verbose=False,
        x_val=None,
        t_val=None,
        heartbeat=None,
    ):
        """学習する。

        1 エポックごとにデータの順番をシャッフルし、先頭から ``batch_size`` 個ずつ
        取り出して 1 回ずつ更新します（1 エポック = N // batch_size 回のイテレーション）。

        Parameters
        ----------
        x : ndarray, shape (N, D) または shape (N, C, H, W)（画像。第 10 章の畳み込み）
        t : ndarray, shape (N, K)（one-hot）または shape (N,)
        max_epoch : int
            エポック数。
        batch_size : int
            ミニバッチの大きさ（1 以上 N 以下）。
        eval_interval : int
            何回のイテレーションごとに平均損失を ``loss_list`` に記録するか
            （この fit のイテレーション数 max_epoch × (N // batch_size) 以下）。
        verbose : bool
            True なら記録するたびに 1 行表示する。
        x_val : ndarray, shape (M, D) または shape (M, C, H, W), optional
            検証データ。渡すと、各エポックの終わりに訓練データ全体と検証データの正解率を
            ``model.accuracy`` で求めて ``train_acc_list`` と ``val_acc_list`` に足す。
        t_val : ndarray, shape (M, K) または shape (M,), optional
            検証データの正解（x_val と一緒に渡す）。
        heartbeat : float or nnbook.progress.Heartbeat or None, optional
            長い学習の「生きている合図」。秒数（0 より大きい）を渡すと、前の表示からその秒数が
            たったイテレーションの後に「… エポック 1/3  イテレーション 120/600  損失 0.4123（10 秒経過）」
            のような行を 1 行表示する（``Heartbeat`` を渡してもよい）。None なら表示しない。
            表示が時間で変わるので、ノートブックでは nbval で出力を無視するセルで使う。

        Returns
        -------
        Trainer
            self（続けて ``plot`` を呼べる）。
        """
        x = finite_array(x, "x", ndim=(2, 4))
        t = finite_array(t, "t", ndim=(1, 2))
        if t.shape[0] != x.shape[0]:
            raise ValueError(
                f"t の数 {t.shape[0]} が x の数 {x.shape[0]} と違います"
                f"（x.shape={x.shape}、t は shape ({x.shape[0]},) か ({x.shape[0]}, K)。"
                f"t.shape={t.shape}）"
            )
        n = x.shape[0]
        max_epoch = integer("max_epoch", max_epoch, minimum=1)
        batch_size = integer("batch_size", batch_size, minimum=1)
        if batch_size > n:
            raise ValueError(f"batch_size {batch_size} がデータ数 {n} より大きいです")
        eval_interval = integer("eval_interval", eval_interval, minimum=1)
        verbose = boolean("verbose", verbose)
        if heartbeat is not None and not isinstance(heartbeat, Heartbeat):
            if not isinstance(heartbeat, numbers.Real) or isinstance(heartbeat, bool):
                raise TypeError(
                    "heartbeat は秒数（0 より大きい数）か nnbook.progress.Heartbeat か None です"
                    f"（{type(heartbeat).__name__} が渡されました）"
                )
            heartbeat = Heartbeat(number("heartbeat", heartbeat, positive=True))
        max_iters = n // batch_size
        if eval_interval > max_epoch * max_iters:
            raise ValueError(
                f"eval_interval={eval_interval} が、この fit のイテレーション数 "
                f"{max_epoch * max_iters}（{max_epoch} エポック × {max_iters} 回）より大きいので、"
                "loss_list に何も記録されません（eval_interval を小さくするか、max_epoch を"
                "増やしてください）"
            )
        if (x_val is None) != (t_val is None):
            raise ValueError("x_val と t_val は両方渡すか、両方省略してください")
        if x_val is not None:
            if not hasattr(self.model, "accuracy"):
                raise TypeError("検証データを使うには model に accuracy(x, t) が必要です")
            x_val = finite_array(x_val, "x_val", ndim=(2, 4))
            t_val = finite_array(t_val, "t_val", ndim=(1, 2))
            if x_val.shape[1:] != x.shape[1:] or t_val.shape[0] != x_val.shape[0]:
                raise ValueError(
                    f"x_val は shape (M, {', '.join(map(str, x.shape[1:]))})、"
                    "t_val は M 個の正解である必要があります"
                    f"（x_val.shape={x_val.shape}, t_val.shape={t_val.shape}）"
                )
        if self.loss_list and eval_interval != self.eval_interval:
            raise ValueError(
                f"続きの学習では eval_interval を前回と同じ {self.eval_interval} にしてください"
                "（loss_list の横軸がずれるため）"
            )

        self.eval_interval = eval_interval
        if heartbeat is not None:
            heartbeat.reset()
        total_loss, loss_count = 0.0, 0
        for epoch in range(max_epoch):
            idx = self.rng.permutation(n)
            for i in range(max_iters):
                batch = idx[i * batch_size : (i + 1) * batch_size]
                loss = self.model.forward(x[batch], t[batch])
                self.model.backward()
                self.optimizer.update(self.model.params, self.model.grads)
                total_loss += loss
                loss_count += 1
                if loss_count == eval_interval:
                    self.loss_list.append(total_loss / loss_count)
                    total_loss, loss_count = 0.0, 0
                    if verbose:
                        print(
                            f"エポック {self.current_epoch + 1} | イテレーション {i + 1}/{max_iters} | "
                            f"損失 {self.loss_list[-1]:.4f}"
                        )
                if heartbeat is not None and heartbeat.due():
                    heartbeat.maybe(
                        f"エポック {epoch + 1}/{max_epoch}  イテレーション {i + 1}/{max_iters}  "
                        f"損失 {float(loss):.4f}"
                    )
            self.current_epoch += 1
            if x_val is not None:
                self.train_acc_list.append(self.model.accuracy(x, t))
                self.val_acc_list.append(self.model.accuracy(x_val, t_val))
        return self

    def plot(self, ax=None, ylim=None, title="学習中の損失の推移"):
        """``loss_list`` をイテレーションに対して描く。

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            描く先。省略すると新しい図を作る。
        ylim : tuple of float, optional
            縦軸の範囲 (下限, 上限)。
        title : str or None, optional
            図の見出し（None か空の文字列なら書かない）。

        Returns
        -------
        matplotlib.axes.Axes
        """
        import matplotlib.pyplot as plt

        ax = axes("ax", ax)
        ylim = None if ylim is None else pair("ylim", ylim)
        text("title", title, optional=True)
        if not self.loss_list:
            raise RuntimeError("まだ損失が記録されていません（先に fit を呼んでください）")
        if ax is None:
            _, ax = plt.subplots()
        iters = np.arange(1, len(self.loss_list) + 1) * self.eval_interval
        ax.plot(iters, self.loss_list, linewidth=2)
        ax.set_xlabel(f"イテレーション（{self.eval_interval} 回ごとの平均）")
        ax.set_ylabel("損失")
        if title:
            ax.set_title(title)
        if ylim is not None:
            ax.set_ylim(*ylim)
        return ax
