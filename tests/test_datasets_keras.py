"""Keras のローダーを呼ぶデータセット（オンライン拡張）を、ネットワークなしで確かめる。

``load_mnist()`` は ``keras.datasets.mnist.load_data()`` をそのまま呼び、そのローダーは
``get_file()`` でキャッシュ（``<Keras のホーム>/datasets/mnist.npz``）を探し、sha256 を確かめ、
合わなければダウンロードし直します。本物のハッシュに合う偽のファイルは作れないので、
テストはローダー自身のファイル取得の継ぎ目（``keras.src.datasets.mnist.get_file``）で、
期待するハッシュだけを小さな MNIST 形式の fixture のものに差し替えます。キャッシュの探索・
ハッシュの確認・ダウンロードのやり直しは Keras 本来の ``get_file`` がそのまま行います。
ダウンロードの関数（``urlretrieve``）は、呼ばれたら記録して URLError にする偽物に替えます。
"""

import hashlib
import importlib
import urllib.error

import numpy as np
import pytest

from nnbook import datasets
from nnbook._quiet import import_keras

import_keras()  # TensorFlow の起動ログを出さずに読み込む
# Keras の内部のモジュール（場所が変わったら、このテストが落ちて知らせる）
mnist_module = importlib.import_module("keras.src.datasets.mnist")
file_utils = importlib.import_module("keras.src.utils.file_utils")
keras_config = importlib.import_module("keras.src.backend.config")


def _fixture_arrays():
    """MNIST と同じ名前・型・次元の小さな配列（訓練 6 枚・テスト 4 枚）。"""
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8),
        "y_train": np.array([5, 0, 4, 1, 9, 2], dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8),
        "y_test": np.array([7, 2, 1, 0], dtype=np.uint8),
    }


@pytest.fixture
def keras_cache(tmp_path, monkeypatch):
    """一時的な Keras のホームに MNIST 形式の fixture を置き、ローダーの継ぎ目を差し替える。

    Returns
    -------
    dict
        arrays（fixture の中身）、path（キャッシュのファイル）、requests（get_file が
        受け取った引数）、downloads（urlretrieve が呼ばれた URL）。
    """
    home = tmp_path / "keras_home"
    cached = home / "datasets" / "mnist.npz"
    cached.parent.mkdir(parents=True)
    arrays = _fixture_arrays()
    np.savez(cached, **arrays)
    fixture_hash = hashlib.sha256(cached.read_bytes()).hexdigest()

    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(keras_config, "_KERAS_DIR", str(home))  # import 後の KERAS_HOME と同じ効果

    requests, downloads = [], []
    real_get_file = file_utils.get_file

    def get_file_with_fixture_hash(*args, **kwargs):
        requests.append(dict(kwargs))
        kwargs["file_hash"] = fixture_hash  # 本物の MNIST のハッシュの代わりに fixture のもの
        return real_get_file(*args, **kwargs)

    def offline_urlretrieve(url, filename, reporthook=None, data=None):
        downloads.append(url)
        raise urllib.error.URLError("テスト中はネットワークに接続しません")

    monkeypatch.setattr(mnist_module, "get_file", get_file_with_fixture_hash)
    monkeypatch.setattr(file_utils, "urlretrieve", offline_urlretrieve)
    return {"arrays": arrays, "path": cached, "requests": requests, "downloads": downloads}


def test_load_mnist_reads_the_keras_cache(keras_cache):
    (x_train, y_train), (x_test, y_test) = datasets.load_mnist()
    arrays = keras_cache["arrays"]
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_train, arrays["y_train"])
    np.testing.assert_array_equal(x_test, arrays["x_test"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])
    assert x_train.dtype == np.uint8 and x_test.shape == (4, 28, 28)
    assert keras_cache["downloads"] == [], "キャッシュがあるのにダウンロードしようとした"


def test_load_mnist_goes_through_kerass_own_loader(keras_cache):
    datasets.load_mnist()
    (request,) = keras_cache["requests"]
    assert request["fname"] == "mnist.npz"
    assert request["origin"].endswith("/mnist.npz")
    assert len(request["file_hash"]) == 64, "Keras のローダーは sha256 を確かめるはず"


def test_load_mnist_with_a_corrupted_cache_tries_to_download_and_explains(keras_cache):
    keras_cache["path"].write_bytes(b"not an npz file")
    with pytest.raises(datasets.DatasetNotFoundError, match="MNIST"):
        datasets.load_mnist()
    assert keras_cache["downloads"] == [keras_cache["requests"][0]["origin"]]
    assert not keras_cache["path"].exists(), "壊れたファイルは Keras が消すはず"


def test_load_mnist_without_cache_offline_explains(keras_cache):
    keras_cache["path"].unlink()
    with pytest.raises(datasets.DatasetNotFoundError, match="ダウンロードが必要"):
        datasets.load_mnist()
    assert len(keras_cache["downloads"]) == 1
