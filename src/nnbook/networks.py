"""レイヤを組み合わせたネットワーク（第 7 章の TwoLayerNet）。"""

import numpy as np

from ._validation import positive_int, targets_like
from .layers import Affine, ReLU, Sigmoid, SoftmaxWithLoss

__all__ = ["TwoLayerNet"]

_ACTIVATIONS = {"sigmoid": Sigmoid, "relu": ReLU}


class TwoLayerNet:
    """Affine → Sigmoid → Affine → SoftmaxWithLoss の 2 層ネットワーク。

    重みは平均 0・標準偏差 ``weight_init_std`` の正規乱数、バイアスは 0 で初期化します。
    ``params`` と ``grads`` は各レイヤの同名のリストをつないだもので、
    ``[W1, b1, W2, b2]`` の順に並びます（レイヤと同じ配列を参照しています）。

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        入力 D・中間層 H・出力 K のニューロン数。
    weight_init_std : float
        重みの初期値の標準偏差。
    seed : int or numpy.random.Generator
        重みの初期化の乱数の種（``np.random.default_rng`` に渡す）。
    activation : {"sigmoid", "relu"}
        中間層の活性化関数（既定はシグモイド）。

    Attributes
    ----------
    params : list of ndarray
        W1 shape (D, H), b1 shape (H,), W2 shape (H, K), b2 shape (K,)。
    grads : list of ndarray
        params と同じ形の勾配（``backward`` のあとで有効）。
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        output_size,
        weight_init_std=0.01,
        seed=0,
        activation="sigmoid",
    ):
        D = positive_int("input_size", input_size)
        H = positive_int("hidden_size", hidden_size)
        K = positive_int("output_size", output_size)
        if isinstance(weight_init_std, bool) or not isinstance(
            weight_init_std, (int, float, np.integer, np.floating)
        ):
            raise TypeError(f"weight_init_std は数である必要があります（{weight_init_std!r}）")
        if not weight_init_std > 0:
            raise ValueError(f"weight_init_std は正の数である必要があります（{weight_init_std}）")
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation は {list(_ACTIVATIONS)} のどれかです（{activation!r}）")
        rng = np.random.default_rng(seed)
        W1 = weight_init_std * rng.standard_normal((D, H))
        b1 = np.zeros(H)
        W2 = weight_init_std * rng.standard_normal((H, K))
        b2 = np.zeros(K)

        self.layers = [Affine(W1, b1), _ACTIVATIONS[activation](), Affine(W2, b2)]
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x):
        """スコア（ソフトマックスの前）を返す。

        Parameters
        ----------
        x : ndarray, shape (N, D)

        Returns
        -------
        ndarray, shape (N, K)
        """
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        """損失を返す。

        Parameters
        ----------
        x : ndarray, shape (N, D)
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（ラベル）

        Returns
        -------
        float
        """
        score = self.predict(x)
        return self.loss_layer.forward(score, t)

    def backward(self, dout=1.0):
        """逆伝播で ``grads`` を求める（``forward`` のあとに呼ぶ）。

        Returns
        -------
        ndarray, shape (N, D)
            入力についての勾配。
        """
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def accuracy(self, x, t):
        """正解率（スコアが最大のクラスが正解と一致する割合）。

        Parameters
        ----------
        x : ndarray, shape (N, D)
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（ラベル）

        Returns
        -------
        float
        """
        score = self.predict(x)
        t = targets_like(t, score.shape)
        return float(np.mean(score.argmax(axis=1) == t.argmax(axis=1)))
