"""レイヤを組み合わせたネットワーク（第 7 章の TwoLayerNet、第 8 章の MultiLayerNet）。"""

import numpy as np

from ._validation import (
    boolean,
    class_count,
    finite_array,
    integer,
    number,
    positive_int,
    random_seed,
    targets_like,
    text,
)
from .layers import Affine, BatchNormalization, Dropout, ReLU, Sigmoid, SoftmaxWithLoss

__all__ = ["TwoLayerNet", "MultiLayerNet", "init_std"]

_ACTIVATIONS = {"sigmoid": Sigmoid, "relu": ReLU}


def _activation(name):
    """活性化関数の名前（"sigmoid" か "relu"）からレイヤのクラスを返す。"""
    if text("activation", name) not in _ACTIVATIONS:
        raise ValueError(f"activation は {list(_ACTIVATIONS)} のどれかです（{name!r}）")
    return _ACTIVATIONS[name]


def _sizes(name, sizes):
    """ニューロン数のリスト（list・tuple・1 次元の整数の ndarray。空でもよい）を int のリストにする。"""
    if isinstance(sizes, np.ndarray) and sizes.ndim == 1:
        sizes = sizes.tolist()
    if not isinstance(sizes, (list, tuple)):
        raise TypeError(f"{name} は整数のリストです（{type(sizes).__name__} の {sizes!r}）")
    return [integer(f"{name}[{i}]", h, minimum=1) for i, h in enumerate(sizes)]


class TwoLayerNet:
    """Affine → Sigmoid → Affine → SoftmaxWithLoss の 2 層ネットワーク。

    重みは平均 0・標準偏差 ``weight_init_std`` の正規乱数、バイアスは 0 で初期化します。
    ``params`` と ``grads`` は各レイヤの同名のリストをつないだもので、
    ``[W1, b1, W2, b2]`` の順に並びます（レイヤと同じ配列を参照しています）。

    Parameters
    ----------
    input_size, hidden_size, output_size : int
        入力 D・中間層 H・出力 K のニューロン数（K はクラスの数で 2 以上）。
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
        K = class_count("output_size", output_size)
        weight_init_std = number("weight_init_std", weight_init_std, positive=True)
        rng = np.random.default_rng(random_seed("seed", seed))
        activation = _activation(activation)
        W1 = weight_init_std * rng.standard_normal((D, H))
        b1 = np.zeros(H)
        W2 = weight_init_std * rng.standard_normal((H, K))
        b2 = np.zeros(K)

        self.layers = [Affine(W1, b1), activation(), Affine(W2, b2)]
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
        x = finite_array(x, "x", ndim=2)
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


def init_std(weight_init_std, fan_in):
    """重みの初期値の標準偏差。

    Parameters
    ----------
    weight_init_std : float or {"xavier", "he"}
        数ならその値。``"xavier"`` なら √(1 / n)、``"he"`` なら √(2 / n)
        （n は前の層のニューロン数 fan_in）。
    fan_in : int
        前の層のニューロン数 n。

    Returns
    -------
    float
    """
    n = positive_int("fan_in", fan_in)
    if isinstance(weight_init_std, str):
        scale = {"xavier": 1.0, "he": 2.0}.get(weight_init_std.lower())
        if scale is None:
            raise ValueError(
                f"weight_init_std は正の数か 'xavier' か 'he' です（{weight_init_std!r}）"
            )
        return float(np.sqrt(scale / n))
    try:
        return number("weight_init_std", weight_init_std, positive=True)
    except TypeError:
        raise TypeError(
            "weight_init_std は正の数か 'xavier' か 'he' です"
            f"（{type(weight_init_std).__name__} の {weight_init_std!r}）"
        ) from None


class MultiLayerNet:
    """隠れ層をいくつでも持てる全結合のネットワーク。

    隠れ層ごとに Affine →（BatchNormalization）→ 活性化関数 →（Dropout）と並べ、
    最後に Affine → SoftmaxWithLoss を置きます。荷重減衰の係数 λ が正なら、損失に
    ½ λ Σ ‖W‖²（すべての Affine の重み W の 2 乗和。バイアスは含めない）を足し、
    勾配に λ W を足します。

    Parameters
    ----------
    input_size : int
        入力のニューロン数 D。
    hidden_size_list : list of int
        隠れ層のニューロン数（例: ``[100, 100]``。tuple や 1 次元の整数の ndarray も可）。
        空なら隠れ層なし。
    output_size : int
        出力のニューロン数 K（クラスの数で 2 以上）。
    activation : {"relu", "sigmoid"}
        隠れ層の活性化関数。
    weight_init_std : float or {"xavier", "he"}
        重みの初期値の標準偏差（:func:`init_std`）。
    weight_decay_lambda : float
        荷重減衰の係数 λ（0 以上）。
    use_batchnorm : bool
        True なら各隠れ層の Affine のあとにバッチ正規化を入れる（γ = 1, β = 0 で始める）。
    dropout_ratio : float
        0 以上 1 未満。0 より大きければ各隠れ層の活性化関数のあとにドロップアウトを入れる。
    seed : int or numpy.random.Generator
        重みの初期化とドロップアウトのマスクの乱数の種。

    Attributes
    ----------
    layers : list
        順伝播の順に並んだレイヤ。
    params, grads : list of ndarray
        各レイヤの同名のリストをつないだもの（``[W1, b1, (gamma1, beta1,) W2, ...]``）。
    """

    def __init__(
        self,
        input_size,
        hidden_size_list,
        output_size,
        activation="relu",
        weight_init_std="he",
        weight_decay_lambda=0.0,
        use_batchnorm=False,
        dropout_ratio=0.0,
        seed=0,
    ):
        D = positive_int("input_size", input_size)
        K = class_count("output_size", output_size)
        hidden = _sizes("hidden_size_list", hidden_size_list)
        activation = _activation(activation)
        init_std(weight_init_std, D)  # 層を作る前に調べる
        self.weight_decay_lambda = number("weight_decay_lambda", weight_decay_lambda, minimum=0)
        use_batchnorm = boolean("use_batchnorm", use_batchnorm)
        dropout_ratio = number("dropout_ratio", dropout_ratio, minimum=0, below=1)
        rng = np.random.default_rng(random_seed("seed", seed))
        sizes = [D, *hidden, K]
        self.layers, self.affines = [], []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W = init_std(weight_init_std, n_in) * rng.standard_normal((n_in, n_out))
            affine = Affine(W, np.zeros(n_out))
            self.layers.append(affine)
            self.affines.append(affine)
            if i == len(hidden):
                break
            if use_batchnorm:
                self.layers.append(BatchNormalization(np.ones(n_out), np.zeros(n_out)))
            self.layers.append(activation())
            if dropout_ratio:
                self.layers.append(Dropout(dropout_ratio, seed=rng))
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x, train=False):
        """スコア（ソフトマックスの前）を返す。

        Parameters
        ----------
        x : ndarray, shape (N, D)
        train : bool
            True なら学習時の動作（バッチ正規化はミニバッチの統計、ドロップアウトは有効）。

        Returns
        -------
        ndarray, shape (N, K)
        """
        x = finite_array(x, "x", ndim=2)
        train = boolean("train", train)
        for layer in self.layers:
            if isinstance(layer, (BatchNormalization, Dropout)):
                x = layer.forward(x, train=train)
            else:
                x = layer.forward(x)
        return x

    def forward(self, x, t, train=True):
        """損失（交差エントロピー誤差 + ½ λ Σ ‖W‖²）を返す。

        Parameters
        ----------
        x : ndarray, shape (N, D)
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（ラベル）
        train : bool
            学習時の動作にするか（既定は True。Trainer はこのまま呼ぶ）。

        Returns
        -------
        float
        """
        score = self.predict(x, train=train)
        loss = self.loss_layer.forward(score, t)
        lam = self.weight_decay_lambda
        if lam:
            loss += 0.5 * lam * sum(np.sum(a.params[0] ** 2) for a in self.affines)
        return loss

    def backward(self, dout=1.0):
        """逆伝播で ``grads`` を求める（``forward`` のあとに呼ぶ）。各 dW には λ W を足す。

        Returns
        -------
        ndarray, shape (N, D)
            入力についての勾配。
        """
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        for a in self.affines:
            a.grads[0] += self.weight_decay_lambda * a.params[0]
        return dout

    def accuracy(self, x, t):
        """正解率（推論時の動作で、スコアが最大のクラスが正解と一致する割合）。

        Parameters
        ----------
        x : ndarray, shape (N, D)
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（ラベル）

        Returns
        -------
        float
        """
        score = self.predict(x, train=False)
        t = targets_like(t, score.shape)
        return float(np.mean(score.argmax(axis=1) == t.argmax(axis=1)))


# ---------------------------------------------------------------- 第 10 章 畳み込みと残差接続

__all__ += ["Sequential", "SimpleConvNet"]

_TRAIN_MODE = (BatchNormalization, Dropout)  # 学習時と推論時で動きが変わるレイヤ


def _layer_list(layers):
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError(
            f"layers はレイヤのリスト（1 つ以上）です（{type(layers).__name__} が渡されました）"
        )
    for i, layer in enumerate(layers):
        for attr in ("forward", "backward", "params", "grads"):
            if not hasattr(layer, attr):
                raise TypeError(f"layers[{i}]（{type(layer).__name__}）に {attr} がありません")
    return list(layers)


class Sequential:
    """レイヤを順に並べ、最後に SoftmaxWithLoss を置いたネットワーク（Keras の ``Sequential`` に当たる）。

    ``params`` と ``grads`` は各レイヤの同名のリストをつないだもので、レイヤと同じ配列を
    参照します。``nnbook.trainer.Trainer`` と第 8 章の最適化アルゴリズムでそのまま学習できます。

    Parameters
    ----------
    layers : list
        順伝播の順に並べたレイヤ（``forward``・``backward``・``params``・``grads`` を持つもの。
        ``nnbook.layers.Residual`` で包んだものも可）。

    Attributes
    ----------
    layers : list
    loss_layer : SoftmaxWithLoss
    params, grads : list of ndarray
    """

    def __init__(self, layers):
        self.layers = _layer_list(layers)
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x, train=False):
        """スコア（ソフトマックスの前）を返す。

        Parameters
        ----------
        x : ndarray, shape (N, D) または shape (N, C, H, W)
        train : bool
            True なら学習時の動作（バッチ正規化・ドロップアウトがあれば）。

        Returns
        -------
        ndarray, shape (N, K)
        """
        x = finite_array(x, "x", ndim=(2, 4))
        train = boolean("train", train)
        for layer in self.layers:
            if isinstance(layer, _TRAIN_MODE):
                x = layer.forward(x, train=train)
            else:
                x = layer.forward(x)
        return x

    def forward(self, x, t, train=True):
        """損失（交差エントロピー誤差）を返す。

        Parameters
        ----------
        x : ndarray, shape (N, D) または shape (N, C, H, W)
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（ラベル）
        train : bool

        Returns
        -------
        float
        """
        return self.loss_layer.forward(self.predict(x, train=train), t)

    def backward(self, dout=1.0):
        """逆伝播で ``grads`` を求める（``forward`` のあとに呼ぶ）。入力についての勾配を返す。"""
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout

    def accuracy(self, x, t, batch_size=500):
        """正解率（推論時の動作。メモリを節約するため batch_size 枚ずつ予測する）。

        Parameters
        ----------
        x : ndarray, shape (N, D) または shape (N, C, H, W)
        t : ndarray, shape (N, K)（one-hot）または shape (N,)（ラベル）
        batch_size : int

        Returns
        -------
        float
        """
        x = finite_array(x, "x", ndim=(2, 4))
        batch_size = positive_int("batch_size", batch_size)
        score = np.concatenate(
            [self.predict(x[i : i + batch_size]) for i in range(0, x.shape[0], batch_size)]
        )
        t = targets_like(t, score.shape)
        return float(np.mean(score.argmax(axis=1) == t.argmax(axis=1)))


def _triple(name, v):
    """(C, H, W) の 3 つの正の整数の組にする。"""
    if isinstance(v, np.ndarray) and v.ndim == 1:
        v = v.tolist()
    if not isinstance(v, (tuple, list)) or len(v) != 3:
        raise TypeError(f"{name} は (C, H, W) の 3 つの整数の組です（{v!r}）")
    return tuple(positive_int(f"{name}[{i}]", s) for i, s in enumerate(v))


class SimpleConvNet(Sequential):
    """Convolution → ReLU → Pooling → Affine → ReLU → Affine → SoftmaxWithLoss の CNN。

    『ゼロから作る Deep Learning』の 7 章の SimpleConvNet と同じ形です。プーリングは重ならない
    pool_size × pool_size の最大値プーリング（stride = pool_size）で、その出力を ``Flatten`` で
    並べてから全結合層に渡します。

    Parameters
    ----------
    input_dim : tuple of int
        1 枚の画像の形 (C, H, W)。
    filter_num, filter_size : int
        フィルタの枚数 FN と大きさ（filter_size × filter_size）。
    stride, pad : int
        畳み込みのストライドとパディング。
    pool_size : int
        プーリングの窓の大きさとストライド。
    hidden_size, output_size : int
        全結合の隠れ層と出力層のニューロン数。
    weight_init_std : float or {"xavier", "he"}
        重みの初期値の標準偏差（:func:`init_std`。畳み込みの前の層のニューロン数は C·FH·FW）。
    seed : int or numpy.random.Generator
        重みの初期化の乱数の種。

    Attributes
    ----------
    layers : list
        ``[Convolution, ReLU, Pooling, Flatten, Affine, ReLU, Affine]``。
    params, grads : list of ndarray
        ``[W1, b1, W2, b2, W3, b3]``（W1 は shape (FN, C, FH, FW)）。
    """

    def __init__(
        self,
        input_dim=(1, 8, 8),
        filter_num=16,
        filter_size=3,
        stride=1,
        pad=1,
        pool_size=2,
        hidden_size=50,
        output_size=10,
        weight_init_std="he",
        seed=0,
    ):
        from .im2col import conv_output_size
        from .layers import Convolution, Flatten, Pooling

        C, H, W = _triple("input_dim", input_dim)
        FN = positive_int("filter_num", filter_num)
        FS = positive_int("filter_size", filter_size)
        stride = positive_int("stride", stride)
        pad = integer("pad", pad, minimum=0)
        pool = positive_int("pool_size", pool_size)
        hidden = positive_int("hidden_size", hidden_size)
        K = positive_int("output_size", output_size)
        init_std(weight_init_std, 1)  # 層を作る前に調べる
        rng = np.random.default_rng(random_seed("seed", seed))
        conv_h = conv_output_size(H, FS, stride, pad)
        conv_w = conv_output_size(W, FS, stride, pad)
        if pool > min(conv_h, conv_w):
            raise ValueError(f"pool_size {pool} が畳み込みの出力 {conv_h}×{conv_w} より大きいです")
        pool_out = FN * conv_output_size(conv_h, pool, pool) * conv_output_size(conv_w, pool, pool)
        W1 = init_std(weight_init_std, C * FS * FS) * rng.standard_normal((FN, C, FS, FS))
        W2 = init_std(weight_init_std, pool_out) * rng.standard_normal((pool_out, hidden))
        W3 = init_std(weight_init_std, hidden) * rng.standard_normal((hidden, K))
        super().__init__(
            [
                Convolution(W1, np.zeros(FN), stride=stride, pad=pad),
                ReLU(),
                Pooling(pool, pool, stride=pool),
                Flatten(),
                Affine(W2, np.zeros(hidden)),
                ReLU(),
                Affine(W3, np.zeros(K)),
            ]
        )
