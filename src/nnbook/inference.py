"""重みの辞書で表したネットワークの順伝播（推論）。

第 3 章で 1 層ずつ書いた順伝播を、層の数によらず使える形にまとめたものです。
ネットワークは ``{"W1": ..., "b1": ..., "W2": ..., "b2": ..., ...}`` という dict で、
中間層の活性化関数はシグモイド、出力層は恒等関数かソフトマックス関数です。

- ``init_network()``   : 第 3 章の小さな 3 層ネットワーク（教科書の重み）
- ``forward()``        : 順伝播（入力 1 つでもバッチでも）
- ``predict()``        : いちばん大きい出力の番号（予測したクラス）
- ``load_pretrained()``: パッケージに同梱の学習済み重み（.npz）を読む
- ``accuracy()``       : 正解率
"""

import re
from importlib import resources

import numpy as np

from ._validation import finite_array, labels, probabilities, text
from .functions import identity, sigmoid, softmax

__all__ = ["OUTPUTS", "init_network", "forward", "predict", "load_pretrained", "accuracy"]

#: 出力層の活性化関数の名前 → 関数
OUTPUTS = {"identity": identity, "softmax": softmax}

_KEY = re.compile(r"^([Wb])([1-9][0-9]*)$")


def init_network():
    """第 3 章の 3 層ネットワーク（2 → 3 → 2 → 2）の重みとバイアスを返す。

    Returns
    -------
    dict[str, ndarray]
        W1 : shape (2, 3), b1 : shape (3,), W2 : shape (3, 2), b2 : shape (2,),
        W3 : shape (2, 2), b3 : shape (2,)
    """
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]),
        "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]),
        "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]),
        "b3": np.array([0.1, 0.2]),
    }


def _layers(network):
    """network を調べ、[(W1, b1), (W2, b2), ...] を返す。形が合わなければ ValueError。"""
    if not isinstance(network, dict):
        raise TypeError(
            f"network は {{'W1': ..., 'b1': ..., ...}} の dict である必要があります"
            f"（{type(network).__name__} が渡されました）"
        )
    numbers = {"W": set(), "b": set()}
    for key in network:
        m = _KEY.match(key) if isinstance(key, str) else None
        if m is None:
            raise ValueError(f"network のキー {key!r} は W1, b1, W2, b2, ... の形ではありません")
        numbers[m.group(1)].add(int(m.group(2)))
    depth = len(numbers["W"])
    if depth == 0 or numbers["W"] != set(range(1, depth + 1)) or numbers["b"] != numbers["W"]:
        raise ValueError(
            f"network には W1〜WL と b1〜bL がそろっている必要があります（キー: {sorted(network)}）"
        )
    layers = []
    for i in range(1, depth + 1):
        W = finite_array(network[f"W{i}"], f"W{i}", ndim=2)
        b = finite_array(network[f"b{i}"], f"b{i}", ndim=1)
        if b.shape[0] != W.shape[1]:
            raise ValueError(
                f"b{i} の形 {b.shape} が W{i} の形 {W.shape} の列の数 {W.shape[1]} と合いません"
            )
        if layers and layers[-1][0].shape[1] != W.shape[0]:
            prev = layers[-1][0].shape
            raise ValueError(
                f"W{i - 1} の形 {prev} と W{i} の形 {W.shape} がつながりません"
                f"（{prev[1]} と {W.shape[0]} が違います）"
            )
        layers.append((W, b))
    return layers


def forward(network, x, output="identity"):
    """順伝播：中間層はシグモイド、出力層は ``output`` の関数。

    各層で a = x · W + b を計算し、中間層では z = sigmoid(a) を次の層へ渡します。

    Parameters
    ----------
    network : dict[str, ndarray]
        W1 : shape (D, H1), b1 : shape (H1,), ..., WL : shape (H_{L-1}, K), bL : shape (K,)
    x : array_like, shape (D,) または (N, D)
        入力 1 つ、または N 個の入力（バッチ）。
    output : {"identity", "softmax"}
        出力層の活性化関数（回帰なら恒等関数、分類ならソフトマックス関数）。

    Returns
    -------
    ndarray, shape (K,) または (N, K)
    """
    if text("output", output) not in OUTPUTS:
        raise ValueError(f"output は {list(OUTPUTS)} のどれかです（{output!r}）")
    layers = _layers(network)
    x = finite_array(x, "x", ndim=(1, 2))
    if x.shape[-1] != layers[0][0].shape[0]:
        raise ValueError(
            f"x の形 {x.shape} と W1 の形 {layers[0][0].shape} では行列の積が計算できません"
            f"（x の最後の次元 {x.shape[-1]} と W1 の行の数 {layers[0][0].shape[0]} が違います）"
        )
    z = x
    for W, b in layers[:-1]:
        z = sigmoid(np.dot(z, W) + b)
    W, b = layers[-1]
    return OUTPUTS[output](np.dot(z, W) + b)


def predict(network, x):
    """予測したクラス（出力がいちばん大きいニューロンの番号）を返す。

    ソフトマックス関数は大小の順番を変えないので、ここでは省きます。

    Parameters
    ----------
    network : dict[str, ndarray]
        ``forward`` と同じ。
    x : array_like, shape (D,) または (N, D)

    Returns
    -------
    int または ndarray, shape (N,), dtype int64
    """
    y = forward(network, x, output="identity")
    labels = np.argmax(y, axis=-1)
    return int(labels) if labels.ndim == 0 else labels.astype(np.int64)


def load_pretrained(name="digits_mlp"):
    """パッケージに同梱の学習済み重み（``nnbook/data/<name>.npz``）を読み込む。

    pickle は使いません（``allow_pickle=False``）。

    Parameters
    ----------
    name : str
        重みの名前。``"digits_mlp"`` は第 5 章の 64 → 50 → 100 → 10 のネットワーク
        （``scripts/train_digits_weights.py`` で作ったもの）。

    Returns
    -------
    dict[str, ndarray]
        W1, b1, W2, b2, ... の配列。
    """
    if not isinstance(name, str):
        raise TypeError(f"name は文字列です（{type(name).__name__} が渡されました）")
    folder = resources.files("nnbook") / "data"
    available = sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".npz"))
    if name not in available:
        raise ValueError(f"学習済みの重み {name!r} はありません（使えるもの: {available}）")
    with resources.as_file(folder / f"{name}.npz") as path, np.load(path, allow_pickle=False) as f:
        network = {key: f[key] for key in f.files}
    _layers(network)  # 壊れたファイルならここで気づく
    return network


def accuracy(y, t):
    """正解率（予測が正解と一致した割合）。

    Parameters
    ----------
    y : array_like, shape (N, K) または (N,)
        ネットワークの出力（各クラスのスコアや確率、有限の値）、または予測したクラスの番号
        （0 以上の整数。1 次元の y は番号として扱う）。
    t : array_like, shape (N,) または (N, K)
        正解のクラスの番号（0〜K-1 の整数）、または one-hot 表現（0 以上 1 以下）。

    Returns
    -------
    float
        0 以上 1 以下。
    """
    y_in, t_in = y, t  # ラベルのエラーには渡された値をそのまま書く
    y = finite_array(y, "y", ndim=(1, 2))
    t = finite_array(t, "t", ndim=(1, 2))
    if y.shape[0] != t.shape[0]:
        raise ValueError(f"y の形 {y.shape} と t の形 {t.shape} でサンプルの数が違います")
    if y.ndim == 2 and t.ndim == 2 and y.shape != t.shape:
        raise ValueError(f"y の形 {y.shape} と t の形 {t.shape} でクラスの数が違います")
    n_classes = y.shape[1] if y.ndim == 2 else t.shape[1] if t.ndim == 2 else None
    if y.ndim == 1:
        y = labels(
            y_in,
            "y",
            n_classes,
            hint="1 次元の y は予測したクラスの番号です（確率なら shape (N, K)）",
        )
    t = labels(t_in, "t", n_classes) if t.ndim == 1 else probabilities(t, "t").argmax(axis=1)
    y_label = np.argmax(y, axis=1) if y.ndim == 2 else y
    return float(np.mean(y_label == t))
