"""パラメータの更新方法（最適化アルゴリズム）。

どのクラスも ``update(params, grads)`` だけを持ちます。params と grads は同じ順番の
配列のリストで、params の配列を **その場で** 書き換えます（レイヤが同じ配列を持っているため）。
"""

import numpy as np

__all__ = ["SGD", "Momentum"]


def _check_lr(lr):
    if isinstance(lr, bool) or not isinstance(lr, (int, float, np.floating, np.integer)):
        raise TypeError(f"lr は数である必要があります（{type(lr).__name__}）")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr は正の数である必要があります（{lr}）")
    return float(lr)


def _check_pairs(params, grads):
    if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
        raise TypeError("params と grads は ndarray のリストである必要があります")
    if len(params) != len(grads):
        raise ValueError(f"params（{len(params)} 個）と grads（{len(grads)} 個）の数が違います")
    for i, (p, g) in enumerate(zip(params, grads)):
        if not isinstance(p, np.ndarray) or not isinstance(g, np.ndarray):
            raise TypeError(f"params[{i}] と grads[{i}] は ndarray である必要があります")
        if p.shape != g.shape:
            raise ValueError(f"params[{i}] の形 {p.shape} と grads[{i}] の形 {g.shape} が違います")
        if np.isnan(g).any():
            raise ValueError(f"grads[{i}] に NaN が含まれています（学習率が大きすぎませんか）")


class SGD:
    """確率的勾配降下法 W ← W - η ∂L/∂W。

    Parameters
    ----------
    lr : float
        学習率 η（正の数）。
    """

    def __init__(self, lr=0.01):
        self.lr = _check_lr(lr)

    def update(self, params, grads):
        """params をその場で更新する。

        Parameters
        ----------
        params : list of ndarray
            パラメータ（例: ``[W1, b1, W2, b2]``）。
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        _check_pairs(params, grads)
        for p, g in zip(params, grads):
            p -= self.lr * g


class Momentum:
    """モーメンタム v ← α v - η ∂L/∂W、W ← W + v（演習用）。

    Parameters
    ----------
    lr : float
        学習率 η。
    momentum : float
        α（0 以上 1 未満）。
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = _check_lr(lr)
        if isinstance(momentum, bool) or not isinstance(
            momentum, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"momentum は数である必要があります（{momentum!r}）")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum は 0 以上 1 未満である必要があります（{momentum}）")
        self.momentum = float(momentum)
        self.v = None

    def update(self, params, grads):
        """params をその場で更新する（速度 v は最初の呼び出しで 0 から始める）。

        Parameters
        ----------
        params : list of ndarray
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        _check_pairs(params, grads)
        if self.v is None:
            self.v = [np.zeros_like(p) for p in params]
        elif [v.shape for v in self.v] != [p.shape for p in params]:
            raise ValueError("前回と違う params が渡されました（Momentum は 1 つのモデル専用です）")
        for p, g, v in zip(params, grads, self.v):
            v *= self.momentum
            v -= self.lr * g
            p += v
