"""講座で使うデータセット。

オフライン優先の方針
--------------------
- 実行時に黙ってダウンロードすることはありません。
- パッケージに同梱された本物のデータ（scikit-learn の手書き数字、statsmodels の CO2、
  Debian パッケージ ``dataset-fashion-mnist``）か、授業のために生成するデータ（渦巻き）を使います。
- 見つからないときは、何をインストールすればよいかを書いた ``DatasetNotFoundError`` を出します。
- MNIST / CIFAR-10 / IMDB はネットワークにつながる学習者向けの「オンライン拡張」です。
  Keras 本来のローダー（キャッシュとハッシュ確認つき）を呼ぶだけで、つながらなければ
  その旨のエラーを出します。
"""

import os
import shutil
from pathlib import Path

import numpy as np

from ._quiet import import_keras
from ._validation import boolean, integer, number, random_seed

__all__ = [
    "DatasetNotFoundError",
    "FASHION_MNIST_CLASSES",
    "FASHION_MNIST_CLASSES_EN",
    "FASHION_MNIST_SYSTEM_DIR",
    "FASHION_MNIST_FILES",
    "load_spiral",
    "load_digits",
    "load_fashion_mnist",
    "load_co2",
    "load_mnist",
    "load_cifar10",
    "load_imdb",
]


class DatasetNotFoundError(FileNotFoundError):
    """データセットが手元になく、オフラインでは用意できないときのエラー。"""


#: Fashion-MNIST のクラス名（ラベル 0〜9 の順）
FASHION_MNIST_CLASSES = [
    "Tシャツ/トップ",
    "ズボン",
    "プルオーバー",
    "ドレス",
    "コート",
    "サンダル",
    "シャツ",
    "スニーカー",
    "バッグ",
    "アンクルブーツ",
]
FASHION_MNIST_CLASSES_EN = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]
#: Debian/Ubuntu の dataset-fashion-mnist が元のファイルを置く場所
FASHION_MNIST_SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
FASHION_MNIST_FILES = [
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
]


def load_spiral(n_per_class=100, n_classes=3, noise=0.2, seed=1984):
    """渦巻き状の 2 次元データ（線形分離できない多クラス分類の練習用）を生成する。

    クラス j の i 番目の点は、r = i / n_per_class,
    θ = 4j + 4r + noise·ε（ε は標準正規乱数）として (r sin θ, r cos θ)。

    Parameters
    ----------
    n_per_class : int
        1 クラスあたりの点の数。
    n_classes : int
        クラス数（2 以上）。
    noise : float
        角度に加える雑音の標準偏差（0 以上の有限の数）。
    seed : int or numpy.random.Generator
        乱数の種（``np.random.default_rng``）。

    Returns
    -------
    x : ndarray, shape (n_per_class * n_classes, 2)
    t : ndarray, shape (n_per_class * n_classes, n_classes)
        one-hot のラベル。
    """
    n_per_class = integer("n_per_class", n_per_class, minimum=1)
    n_classes = integer("n_classes", n_classes, minimum=2)
    noise = number("noise", noise, minimum=0)
    seed = random_seed("seed", seed)
    rng = np.random.default_rng(seed)
    r = np.tile(np.arange(n_per_class) / n_per_class, n_classes)
    j = np.repeat(np.arange(n_classes), n_per_class)
    theta = 4.0 * j + 4.0 * r + noise * rng.standard_normal(r.shape)
    x = np.stack([r * np.sin(theta), r * np.cos(theta)], axis=1)
    t = np.eye(n_classes)[j]
    return x, t


def load_digits(test_size=0.3, seed=0, normalize=True):
    """scikit-learn に同梱の手書き数字（8×8 画素、1797 枚、UCI）を読み込み、分割する。

    クラスの比率を保ったまま（stratify）、``random_state=seed`` で訓練用とテスト用に分けます。
    第 5 章の学習済み重み（``scripts/train_digits_weights.py``）も同じ分割を使います。

    Parameters
    ----------
    test_size : float
        テストに回す割合（0 と 1 の間）。
    seed : int
        分割の乱数の種（0 以上の整数）。
    normalize : bool
        True なら画素値 0〜16 を 0〜1 に割る（前処理としての正規化）。

    Returns
    -------
    x_train : ndarray, shape (N_train, 64)
    t_train : ndarray, shape (N_train,), 0〜9 の整数ラベル
    x_test : ndarray, shape (N_test, 64)
    t_test : ndarray, shape (N_test,)
    """
    test_size = number("test_size", test_size, positive=True, below=1)
    seed = integer("seed", seed, minimum=0, maximum=2**32 - 1)
    normalize = boolean("normalize", normalize)
    from sklearn.datasets import load_digits as _sk_load_digits
    from sklearn.model_selection import train_test_split

    digits = _sk_load_digits()
    n_test = int(np.ceil(test_size * len(digits.target)))
    if not 10 <= n_test <= len(digits.target) - 10:
        raise ValueError(
            f"test_size={test_size} ではテストデータが {n_test} 枚になり、10 クラスを層別に"
            "分けられません（訓練データとテストデータがどちらも 10 枚以上になる割合にしてください）"
        )
    x = digits.data.astype(np.float64)
    if normalize:
        x = x / 16.0
    t = digits.target.astype(np.int64)
    x_train, x_test, t_train, t_test = train_test_split(
        x, t, test_size=test_size, random_state=seed, stratify=t
    )
    return x_train, t_train, x_test, t_test


def _keras_dataset_dir(name):
    """Keras のローダーがファイルを探すフォルダ（$KERAS_HOME か ~/.keras の datasets/name）。"""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets" / name


def _link_system_fashion_mnist(target, source=None):
    """Debian パッケージのファイルを Keras のキャッシュから見えるようにする（リンクを張る）。

    Parameters
    ----------
    target : pathlib.Path
        Keras がファイルを探すフォルダ。
    source : pathlib.Path, optional
        Debian パッケージのフォルダ。省略すると呼んだ時点の ``FASHION_MNIST_SYSTEM_DIR``。

    Returns
    -------
    "system"（Debian パッケージのファイル）、"cache"（以前に Keras が保存したファイル）、
    または None（どちらにもない）。
    """
    source = Path(FASHION_MNIST_SYSTEM_DIR if source is None else source)
    missing = [f for f in FASHION_MNIST_FILES if not (target / f).exists()]
    if missing and not all((source / f).exists() for f in missing):
        return None
    if missing:
        target.mkdir(parents=True, exist_ok=True)
    for f in missing:
        try:
            (target / f).symlink_to(source / f)
        except OSError:
            shutil.copyfile(source / f, target / f)
    from_system = all(
        (target / f).resolve() == (source / f).resolve()
        or (target / f).read_bytes() == (source / f).read_bytes()
        for f in FASHION_MNIST_FILES
        if (source / f).exists()
    ) and all((source / f).exists() for f in FASHION_MNIST_FILES)
    return "system" if from_system else "cache"


def load_fashion_mnist(allow_download=False, verbose=True):
    """Fashion-MNIST（訓練 60,000 枚・テスト 10,000 枚、28×28 のグレー画像）を読み込む。

    読み込みは Keras 本来の ``keras.datasets.fashion_mnist.load_data()`` が行います。
    その前に、Debian/Ubuntu パッケージ ``dataset-fashion-mnist`` の元ファイル
    （/usr/share/datasets/fashion-mnist/）を Keras のキャッシュから見えるようにします。

    Parameters
    ----------
    allow_download : bool
        True なら、手元にないとき Keras にダウンロードさせる（オンラインの環境、例えば Colab）。
        手元にあればダウンロードはしない。ダウンロードもできなければ ``DatasetNotFoundError``。
    verbose : bool
        どこから読んだかを 1 行表示する。

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        x: ndarray, shape (N, 28, 28), uint8（0〜255）; y: ndarray, shape (N,), uint8（0〜9）
    """
    allow_download = boolean("allow_download", allow_download)
    verbose = boolean("verbose", verbose)
    target = _keras_dataset_dir("fashion-mnist")
    source = _link_system_fashion_mnist(target)
    missing = (
        "Fashion-MNIST が見つかりません。Debian/Ubuntu では\n"
        "    sudo apt-get install dataset-fashion-mnist\n"
        f"で {FASHION_MNIST_SYSTEM_DIR}/ に入ります。"
    )
    if source is None and not allow_download:
        raise DatasetNotFoundError(
            missing + "ネットワークにつながる環境では "
            "load_fashion_mnist(allow_download=True) で Keras にダウンロードさせることもできます。"
        )
    keras = import_keras()
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    except Exception as exc:  # Keras は取得失敗を Exception で知らせる
        if source is not None:
            raise
        raise DatasetNotFoundError(missing + f"ダウンロードもできませんでした（{exc}）。") from exc
    if verbose:
        where = {
            "system": "Debian パッケージ dataset-fashion-mnist のファイル",
            "cache": "Keras のキャッシュ",
            None: "Keras のダウンロード",
        }[source]
        print(
            f"Fashion-MNIST（{where}）: 訓練 {len(x_train)} 枚, テスト {len(x_test)} 枚, "
            f"画像 {x_train.shape[1]}×{x_train.shape[2]}"
        )
    return (x_train, y_train), (x_test, y_test)


def load_co2(verbose=True):
    """マウナロア観測所の大気中 CO2 濃度（週ごと、1958 年〜、statsmodels 同梱）を読み込む。

    欠測（NaN）はそのまま返します。扱い方（補間など）は使う側で明示的に決めてください。

    Returns
    -------
    pandas.Series, shape (2284,)
        週の日付を index に持つ CO2 濃度 [ppm]。NaN を含む。
    """
    verbose = boolean("verbose", verbose)
    from statsmodels.datasets import co2

    series = co2.load_pandas().data["co2"]
    if verbose:
        print(
            f"CO2（statsmodels 同梱, マウナロア週次）: {len(series)} 週, "
            f"{series.index[0]:%Y-%m-%d}〜{series.index[-1]:%Y-%m-%d}, 欠測 {int(series.isna().sum())} 週"
        )
    return series


def _online(loader, name):
    """Keras のオンライン用ローダーを呼び、つながらなければわかりやすいエラーにする。"""
    try:
        return loader()
    except Exception as exc:  # Keras は取得失敗を Exception で知らせる
        raise DatasetNotFoundError(
            f"{name} はダウンロードが必要なデータセットで、取得できませんでした（{exc}）。"
            "ネットワークにつながる環境（Colab など）で実行してください。"
            "一度取得できれば Keras のキャッシュ（~/.keras/datasets/）から読み込まれます。"
        ) from exc


def load_mnist():
    """MNIST（手書き数字 28×28、訓練 60,000・テスト 10,000）を Keras のローダーで読み込む。

    オンライン拡張：初回はダウンロードが必要です（ハッシュ確認つき）。

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        x: shape (N, 28, 28), uint8; y: shape (N,), uint8
    """
    keras = import_keras()
    return _online(keras.datasets.mnist.load_data, "MNIST")


def load_cifar10():
    """CIFAR-10（32×32 のカラー画像 10 クラス）を Keras のローダーで読み込む（オンライン拡張）。

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        x: shape (N, 32, 32, 3), uint8; y: shape (N, 1), uint8
    """
    keras = import_keras()
    return _online(keras.datasets.cifar10.load_data, "CIFAR-10")


def load_imdb(num_words=10000, maxlen=None):
    """IMDB 映画レビューの感情分類データを Keras のローダーで読み込む（オンライン拡張）。

    Parameters
    ----------
    num_words : int
        使う単語の数（出現頻度の上位）。
    maxlen : int, optional
        これより長いレビューを除く。

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        x: 単語 ID のリストの配列, shape (N,); y: shape (N,), 0/1
    """
    num_words = integer("num_words", num_words, minimum=1)
    maxlen = None if maxlen is None else integer("maxlen", maxlen, minimum=1)
    keras = import_keras()
    return _online(
        lambda: keras.datasets.imdb.load_data(num_words=num_words, maxlen=maxlen), "IMDB"
    )
