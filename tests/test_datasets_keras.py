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


# ---------------------------------------------------------------- CIFAR-10 と IMDB
# 本物のファイルはダウンロードしない。Keras のローダーがファイルを取りに行く関数 get_file
# （ローダーのモジュールが import したもの）を、手元に書いた小さなファイルを返す関数に差し替え、
# ファイルを読む部分は Keras 本来のコードのまま通す。


def _patch_get_file(monkeypatch, module_name, result):
    """module_name の get_file を、呼ばれた引数を記録して result を返す関数に差し替える。"""
    module = importlib.import_module(module_name)
    calls = []

    def fake_get_file(fname=None, origin=None, **kwargs):
        calls.append({"fname": fname, "origin": origin, **kwargs})
        if isinstance(result, Exception):
            raise result
        return str(result)

    monkeypatch.setattr(module, "get_file", fake_get_file)
    return calls


def _write_cifar_batch(path, n=10000):
    """CIFAR-10 の python 版と同じ形式（pickle の dict、画素は R・G・B の面の順）の 1 バッチ。"""
    import pickle

    data = np.empty((n, 3 * 32 * 32), dtype=np.uint8)
    data[:, :1024], data[:, 1024:2048], data[:, 2048:] = 10, 20, 30
    data[:, 1] = 11  # R の面の 0 行 1 列目（行優先の並びを確かめる）
    batch = {b"batch_label": b"fixture", b"labels": [i % 10 for i in range(n)], b"data": data}
    with open(path, "wb") as f:
        # プロトコル 5 の配列は Keras の制限つき unpickler が読まない形になるので 4 で書く
        pickle.dump(batch, f, protocol=4)


def test_cifar10_reads_keras_file_format(tmp_path, monkeypatch):
    # Keras のローダーは訓練 5 バッチ × 10,000 枚を前提にするので、1 つ書いて 6 つの名前で見せる
    folder = tmp_path / "cifar-10-batches-py-target"
    inner = folder / "cifar-10-batches-py"
    inner.mkdir(parents=True)
    _write_cifar_batch(inner / "test_batch")
    for i in range(1, 6):
        (inner / f"data_batch_{i}").symlink_to(inner / "test_batch")
    calls = _patch_get_file(monkeypatch, "keras.src.datasets.cifar10", folder)

    (x_train, y_train), (x_test, y_test) = datasets.load_cifar10()

    assert calls[0]["origin"].endswith("cifar-10-python.tar.gz") and calls[0]["extract"]
    assert x_train.shape == (50000, 32, 32, 3) and x_test.shape == (10000, 32, 32, 3)
    assert y_train.shape == (50000, 1) and y_test.shape == (10000, 1)
    assert x_train.dtype == np.uint8
    np.testing.assert_array_equal(x_test[0, 1, 1], [10, 20, 30])  # 最後の軸が色
    assert x_test[0, 0, 1, 0] == 11 and x_test[0, 1, 0, 0] == 10
    np.testing.assert_array_equal(y_train[:12, 0], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])


def _write_imdb_npz(path):
    """Keras の imdb.npz と同じ形式（単語 ID のリストの object 配列）の小さなファイル。"""

    def ragged(lists):
        out = np.empty(len(lists), dtype=object)
        for i, seq in enumerate(lists):
            out[i] = list(seq)
        return out

    x_train = [[1, 2, 3], [4, 5, 6, 7], [8], [2, 9, 1, 4, 6]]
    x_test = [[5, 5], [7, 1, 2]]
    np.savez(
        path,
        x_train=ragged(x_train),
        y_train=np.array([len(s) % 2 for s in x_train]),
        x_test=ragged(x_test),
        y_test=np.array([len(s) % 2 for s in x_test]),
    )


def test_imdb_reads_keras_file_format(tmp_path, monkeypatch):
    path = tmp_path / "imdb.npz"
    _write_imdb_npz(path)
    calls = _patch_get_file(monkeypatch, "keras.src.datasets.imdb", path)

    (x_train, y_train), (x_test, y_test) = datasets.load_imdb(num_words=10)

    assert calls[0]["fname"] == "imdb.npz" and calls[0]["origin"].endswith("imdb.npz")
    assert len(x_train) == len(y_train) == 4 and len(x_test) == len(y_test) == 2
    # Keras の約束：先頭に開始記号 1、単語 ID は 3 ずらす、num_words 以上は未知語 2
    assert sorted(x_train.tolist()) == sorted(
        [[1, 4, 5, 6], [1, 7, 8, 9, 2], [1, 2], [1, 5, 2, 4, 7, 9]]
    )
    for seq, label in zip(x_train, y_train):  # シャッフルしてもラベルは文と一緒に動く
        assert label == (len(seq) - 1) % 2
    assert all(max(seq) < 10 for seq in x_test)


def test_imdb_maxlen_drops_long_reviews(tmp_path, monkeypatch):
    path = tmp_path / "imdb.npz"
    _write_imdb_npz(path)
    _patch_get_file(monkeypatch, "keras.src.datasets.imdb", path)
    (x_train, _), (x_test, _) = datasets.load_imdb(maxlen=4)
    assert all(len(seq) < 4 for seq in list(x_train) + list(x_test))


@pytest.mark.parametrize(
    ("loader", "module_name", "name"),
    [
        (datasets.load_cifar10, "keras.src.datasets.cifar10", "CIFAR-10"),
        (datasets.load_imdb, "keras.src.datasets.imdb", "IMDB"),
    ],
)
def test_online_loader_offline_error(monkeypatch, loader, module_name, name):
    _patch_get_file(monkeypatch, module_name, Exception("URL fetch failure"))
    with pytest.raises(datasets.DatasetNotFoundError, match=name):
        loader()


def test_fashion_mnist_download_failure_names_the_package(tmp_path, monkeypatch):
    # Debian パッケージもキャッシュもなく、ダウンロードもできない（Keras のローダーの get_file が失敗する）
    monkeypatch.setattr(datasets, "FASHION_MNIST_SYSTEM_DIR", tmp_path / "no-package")
    monkeypatch.setattr(datasets, "_keras_dataset_dir", lambda name: tmp_path / "keras" / name)
    calls = _patch_get_file(
        monkeypatch, "keras.src.datasets.fashion_mnist", Exception("URL fetch failure")
    )
    with pytest.raises(datasets.DatasetNotFoundError, match="dataset-fashion-mnist") as info:
        datasets.load_fashion_mnist(allow_download=True)
    assert "URL fetch failure" in str(info.value)
    assert calls and calls[0]["origin"].endswith("train-labels-idx1-ubyte.gz")
