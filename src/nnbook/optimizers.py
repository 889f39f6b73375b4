"""パラメータの更新方法（最適化アルゴリズム）。

どのクラスも ``update(params, grads)`` だけを持ちます。params と grads は同じ順番の
配列のリストで、params の配列を **その場で** 書き換えます（レイヤが同じ配列を持っているため）。
"""

import numpy as np

from ._validation import check_finite, finite_array, number, writable

#: 学習の途中で勾配が NaN・inf になったときの一言
_DIVERGED = "学習の途中でこうなったなら、損失が発散しています（学習率を小さくしてみてください）"

__all__ = ["SGD", "Momentum", "AdaGrad", "RMSprop", "Adam"]


def _state(optimizer, name, params):
    """最適化アルゴリズムが各パラメータに持つ状態（h や m）を、最初の呼び出しで 0 にする。"""
    arrays = getattr(optimizer, name)
    if arrays is None:
        arrays = [np.zeros_like(p) for p in params]
        setattr(optimizer, name, arrays)
    elif [a.shape for a in arrays] != [p.shape for p in params]:
        raise ValueError(
            f"前回と違う params が渡されました（{type(optimizer).__name__} は 1 つのモデル専用です）"
        )
    return arrays


def _check_pairs(params, grads):
    """params（浮動小数点の ndarray のリスト）と grads（同じ形の有限の配列のリスト）を調べる。

    Returns
    -------
    list of ndarray
        浮動小数点にそろえた grads。
    """
    if not isinstance(params, (list, tuple)) or not isinstance(grads, (list, tuple)):
        raise TypeError(
            "params と grads は ndarray のリストである必要があります"
            f"（params は {type(params).__name__}、grads は {type(grads).__name__}）"
        )
    if len(params) != len(grads):
        raise ValueError(f"params（{len(params)} 個）と grads（{len(grads)} 個）の数が違います")
    checked = []
    for i, (p, g) in enumerate(zip(params, grads)):
        if not isinstance(p, np.ndarray) or not isinstance(g, np.ndarray):
            raise TypeError(f"params[{i}] と grads[{i}] は ndarray である必要があります")
        if not np.issubdtype(p.dtype, np.floating):
            raise TypeError(
                f"params[{i}] は浮動小数点の ndarray である必要があります"
                f"（その場で書き換えるため。dtype={p.dtype}）"
            )
        check_finite(p, f"params[{i}]")
        writable(p, f"params[{i}]")
        g = finite_array(g, f"grads[{i}]", hint=_DIVERGED)
        if p.shape != g.shape:
            raise ValueError(f"params[{i}] の形 {p.shape} と grads[{i}] の形 {g.shape} が違います")
        checked.append(g)
    return checked


class SGD:
    """確率的勾配降下法 W ← W - η ∂L/∂W。

    Parameters
    ----------
    lr : float
        学習率 η（正の数）。
    """

    def __init__(self, lr=0.01):
        self.lr = number("lr", lr, positive=True)

    def update(self, params, grads):
        """params をその場で更新する。

        Parameters
        ----------
        params : list of ndarray
            パラメータ（例: ``[W1, b1, W2, b2]``）。
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        grads = _check_pairs(params, grads)
        for p, g in zip(params, grads):
            p -= self.lr * g


class Momentum:
    """Momentum：v ← α v - η ∂L/∂W、W ← W + v。

    Parameters
    ----------
    lr : float
        学習率 η。
    momentum : float
        α（0 以上 1 未満）。
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = number("lr", lr, positive=True)
        self.momentum = number("momentum", momentum, minimum=0, below=1)
        self.v = None

    def update(self, params, grads):
        """params をその場で更新する（速度 v は最初の呼び出しで 0 から始める）。

        Parameters
        ----------
        params : list of ndarray
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        grads = _check_pairs(params, grads)
        for p, g, v in zip(params, grads, _state(self, "v", params)):
            v *= self.momentum
            v -= self.lr * g
            p += v


class AdaGrad:
    """AdaGrad：h ← h + g ⊙ g、W ← W - η g / (√h + ε)（g = ∂L/∂W、⊙ は要素ごとの積）。

    Parameters
    ----------
    lr : float
        学習率 η。
    eps : float
        0 で割らないための小さな正の数 ε（√h の外に足す）。
    """

    def __init__(self, lr=0.01, eps=1e-7):
        self.lr = number("lr", lr, positive=True)
        self.eps = number("eps", eps, positive=True)
        self.h = None

    def update(self, params, grads):
        """params をその場で更新する（h は最初の呼び出しで 0 から始める）。

        Parameters
        ----------
        params : list of ndarray
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        grads = _check_pairs(params, grads)
        for p, g, h in zip(params, grads, _state(self, "h", params)):
            h += g * g
            p -= self.lr * g / (np.sqrt(h) + self.eps)


class RMSprop:
    """RMSprop：h ← ρ h + (1 - ρ) g ⊙ g、W ← W - η g / (√h + ε)。

    Parameters
    ----------
    lr : float
        学習率 η。
    rho : float
        過去の g ⊙ g を残す割合 ρ（0 以上 1 未満）。
    eps : float
        0 で割らないための小さな正の数 ε（√h の外に足す）。
    """

    def __init__(self, lr=0.01, rho=0.9, eps=1e-7):
        self.lr = number("lr", lr, positive=True)
        self.rho = number("rho", rho, minimum=0, below=1)
        self.eps = number("eps", eps, positive=True)
        self.h = None

    def update(self, params, grads):
        """params をその場で更新する（h は最初の呼び出しで 0 から始める）。

        Parameters
        ----------
        params : list of ndarray
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        grads = _check_pairs(params, grads)
        for p, g, h in zip(params, grads, _state(self, "h", params)):
            h *= self.rho
            h += (1 - self.rho) * g * g
            p -= self.lr * g / (np.sqrt(h) + self.eps)


class Adam:
    """Adam（バイアス補正つき）。t 回目の更新で

    m ← β1 m + (1 - β1) g、v ← β2 v + (1 - β2) g ⊙ g、
    m̂ = m / (1 - β1^t)、v̂ = v / (1 - β2^t)、W ← W - η m̂ / (√v̂ + ε)。

    Parameters
    ----------
    lr : float
        学習率 η。
    beta1, beta2 : float
        m と v の減衰率 β1, β2（0 以上 1 未満）。
    eps : float
        0 で割らないための小さな正の数 ε（√v̂ の外に足す）。

    Attributes
    ----------
    t : int
        これまでの更新の回数。
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7):
        self.lr = number("lr", lr, positive=True)
        self.beta1 = number("beta1", beta1, minimum=0, below=1)
        self.beta2 = number("beta2", beta2, minimum=0, below=1)
        self.eps = number("eps", eps, positive=True)
        self.t = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        """params をその場で更新する（m と v は最初の呼び出しで 0 から始める）。

        Parameters
        ----------
        params : list of ndarray
        grads : list of ndarray
            params と同じ順番・同じ形の勾配。
        """
        grads = _check_pairs(params, grads)
        ms, vs = _state(self, "m", params), _state(self, "v", params)
        self.t += 1
        for p, g, m, v in zip(params, grads, ms, vs):
            m *= self.beta1
            m += (1 - self.beta1) * g
            v *= self.beta2
            v += (1 - self.beta2) * g * g
            m_hat = m / (1 - self.beta1**self.t)
            v_hat = v / (1 - self.beta2**self.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
