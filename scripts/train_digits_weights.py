"""第 5 章の学習済み重み ``src/nnbook/data/digits_mlp.npz`` を作り直す（著者用）。

scikit-learn 同梱の手書き数字（8×8）の訓練データ（``nnbook.datasets.load_digits()``：
クラスの比率を保った分割、test_size=0.3, seed=0、画素値を 16 で割る正規化）だけで、
64 → 50 → 100 → 10 のネットワーク（中間層はシグモイド、出力層はソフトマックス）を
NumPy だけのミニバッチ SGD で学習します。誤差逆伝播法は第 6 章で学ぶ内容です。

乱数の種を固定しているので、同じ環境なら何度実行しても同じ重みになります。

使い方::

    .venv/bin/python scripts/train_digits_weights.py            # 学習して保存
    .venv/bin/python scripts/train_digits_weights.py --check    # 保存済みの重みの正解率だけ表示
"""

import argparse
import sys
from pathlib import Path

import numpy as np

from nnbook.datasets import load_digits
from nnbook.functions import sigmoid, softmax
from nnbook.inference import accuracy, forward, load_pretrained

OUT = Path(__file__).resolve().parent.parent / "src" / "nnbook" / "data" / "digits_mlp.npz"
SIZES = (64, 50, 100, 10)
SEED = 0
EPOCHS = 200
BATCH_SIZE = 32
LEARNING_RATE = 0.5


def init_params(rng):
    """Xavier の初期値（標準偏差 1/√入力数）で重みを作り、バイアスは 0 にする。"""
    params = {}
    for i, (n_in, n_out) in enumerate(zip(SIZES[:-1], SIZES[1:], strict=True), start=1):
        params[f"W{i}"] = rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)
        params[f"b{i}"] = np.zeros(n_out)
    return params


def gradients(params, x, t):
    """ソフトマックスと交差エントロピー誤差の損失の勾配を誤差逆伝播法で求める。

    Parameters
    ----------
    x : ndarray, shape (N, 64)
    t : ndarray, shape (N,)  正解ラベル
    """
    z1 = sigmoid(x @ params["W1"] + params["b1"])
    z2 = sigmoid(z1 @ params["W2"] + params["b2"])
    y = softmax(z2 @ params["W3"] + params["b3"])  # 最大値を引く安全なソフトマックス
    n = x.shape[0]
    da3 = y.copy()
    da3[np.arange(n), t] -= 1.0  # softmax + 交差エントロピーの勾配は (y - t)
    da3 /= n
    grads = {"W3": z2.T @ da3, "b3": da3.sum(axis=0)}
    da2 = (da3 @ params["W3"].T) * z2 * (1.0 - z2)
    grads["W2"], grads["b2"] = z1.T @ da2, da2.sum(axis=0)
    da1 = (da2 @ params["W2"].T) * z1 * (1.0 - z1)
    grads["W1"], grads["b1"] = x.T @ da1, da1.sum(axis=0)
    return grads


def loss(params, x, t):
    """交差エントロピー誤差の平均（log(0) を避けるため小さな値を足す）。"""
    y = forward(params, x, output="softmax")
    return float(-np.mean(np.log(y[np.arange(len(t)), t] + 1e-12)))


def train():
    x_train, t_train, x_test, t_test = load_digits()
    rng = np.random.default_rng(SEED)
    params = init_params(rng)
    n = len(x_train)
    for epoch in range(1, EPOCHS + 1):
        order = rng.permutation(n)
        for start in range(0, n, BATCH_SIZE):
            idx = order[start : start + BATCH_SIZE]
            grads = gradients(params, x_train[idx], t_train[idx])
            for key in params:
                params[key] -= LEARNING_RATE * grads[key]
        if epoch % 20 == 0:
            print(
                f"epoch {epoch:3d}  loss {loss(params, x_train, t_train):.4f}  "
                f"train acc {accuracy(forward(params, x_train), t_train):.4f}"
            )
    params = {key: value.astype(np.float32) for key, value in params.items()}
    np.savez(OUT, **params)
    print(f"保存しました: {OUT.relative_to(OUT.parents[3])}")
    print(f"テスト正解率: {accuracy(forward(params, x_test), t_test):.4f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="学習せず、保存済みの重みを評価する")
    args = parser.parse_args(argv)
    if args.check:
        _, _, x_test, t_test = load_digits()
        print(f"テスト正解率: {accuracy(forward(load_pretrained(), x_test), t_test):.4f}")
    else:
        train()
    return 0


if __name__ == "__main__":
    sys.exit(main())
