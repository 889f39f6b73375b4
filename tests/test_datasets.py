"""オフラインで使うデータセット（Keras のローダーのテストは test_datasets_keras.py）。"""

import numpy as np
import pytest

from nnbook import datasets


def test_spiral_shapes_and_one_hot_labels():
    x, t = datasets.load_spiral()
    assert x.shape == (300, 2)
    assert t.shape == (300, 3)
    np.testing.assert_array_equal(t.sum(axis=1), np.ones(300))
    np.testing.assert_array_equal(t.sum(axis=0), [100, 100, 100])
    assert np.all(np.linalg.norm(x, axis=1) < 1.0)


def test_spiral_is_reproducible_and_seeded():
    a, _ = datasets.load_spiral(seed=0)
    b, _ = datasets.load_spiral(seed=0)
    c, _ = datasets.load_spiral(seed=1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"n_per_class": 0}, ValueError),
        ({"n_classes": 1}, ValueError),
        ({"noise": -1}, ValueError),
        ({"n_per_class": 2.5}, TypeError),
    ],
)
def test_spiral_bad_input(kwargs, error):
    with pytest.raises(error):
        datasets.load_spiral(**kwargs)


def test_digits_split_is_stratified_and_normalised():
    x_train, t_train, x_test, t_test = datasets.load_digits()
    assert x_train.shape == (1257, 64) and x_test.shape == (540, 64)
    assert x_train.max() == 1.0 and x_train.min() == 0.0
    assert np.bincount(t_test).min() >= 50


def test_digits_bad_test_size():
    with pytest.raises(ValueError):
        datasets.load_digits(test_size=1.5)


def test_co2_series_keeps_missing_values(capsys):
    s = datasets.load_co2()
    assert len(s) == 2284
    assert int(s.isna().sum()) == 59
    assert "欠測 59 週" in capsys.readouterr().out


def test_fashion_mnist_class_names():
    assert len(datasets.FASHION_MNIST_CLASSES) == len(datasets.FASHION_MNIST_CLASSES_EN) == 10


# ---------------------------------------------------------------- Fashion-MNIST の置き場所


def _fake_fashion_files(folder, content=b"fake"):
    folder.mkdir(parents=True, exist_ok=True)
    for name in datasets.FASHION_MNIST_FILES:
        (folder / name).write_bytes(content)
    return folder


def test_fashion_mnist_without_package_or_cache_names_the_package(tmp_path, monkeypatch):
    # Debian パッケージもキャッシュもない（どちらも空の一時フォルダ）。本物の ~/.keras には触れない
    monkeypatch.setattr(datasets, "FASHION_MNIST_SYSTEM_DIR", tmp_path / "no-package")
    monkeypatch.setattr(datasets, "_keras_dataset_dir", lambda name: tmp_path / "keras" / name)
    with pytest.raises(datasets.DatasetNotFoundError, match="dataset-fashion-mnist") as info:
        datasets.load_fashion_mnist()
    assert "allow_download=True" in str(info.value)
    assert not (tmp_path / "keras").exists(), "見つからないときは何も作らない"


def test_fashion_mnist_system_files_are_linked_into_the_cache(tmp_path, monkeypatch):
    system = _fake_fashion_files(tmp_path / "system")
    monkeypatch.setattr(datasets, "FASHION_MNIST_SYSTEM_DIR", system)
    target = tmp_path / "keras" / "fashion-mnist"
    assert datasets._link_system_fashion_mnist(target) == "system"
    for name in datasets.FASHION_MNIST_FILES:
        assert (target / name).read_bytes() == b"fake"
    # 2 回目はもうあるので、そのまま使う
    assert datasets._link_system_fashion_mnist(target) == "system"


def test_fashion_mnist_cache_without_package(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "FASHION_MNIST_SYSTEM_DIR", tmp_path / "no-package")
    target = _fake_fashion_files(tmp_path / "keras" / "fashion-mnist", b"downloaded")
    assert datasets._link_system_fashion_mnist(target) == "cache"


def test_fashion_mnist_partial_cache_is_completed_from_package(tmp_path, monkeypatch):
    system = _fake_fashion_files(tmp_path / "system")
    target = tmp_path / "keras" / "fashion-mnist"
    target.mkdir(parents=True)
    (target / datasets.FASHION_MNIST_FILES[0]).write_bytes(b"fake")
    assert datasets._link_system_fashion_mnist(target, source=system) == "system"
    assert all((target / name).exists() for name in datasets.FASHION_MNIST_FILES)


@pytest.mark.parametrize("test_size", [0.001, 0.999])
def test_load_digits_test_size_must_leave_ten_per_split(test_size):
    with pytest.raises(ValueError, match="test_size"):
        datasets.load_digits(test_size=test_size)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"noise": np.nan}, ValueError),
        ({"noise": np.inf}, ValueError),
        ({"noise": "x"}, TypeError),
        ({"n_per_class": np.int64(0)}, ValueError),
        ({"n_classes": 2.0}, TypeError),
    ],
)
def test_load_spiral_bad_arguments_name_the_parameter(kwargs, error):
    with pytest.raises(error, match=next(iter(kwargs))):
        datasets.load_spiral(**kwargs)


def test_load_spiral_accepts_numpy_integers():
    x, t = datasets.load_spiral(np.int64(5), np.int32(4), np.float32(0.1))
    assert x.shape == (20, 2) and t.shape == (20, 4)


@pytest.mark.parametrize("test_size", [None, "0.3"])
def test_load_digits_test_size_must_be_a_number(test_size):
    with pytest.raises(TypeError, match="test_size"):
        datasets.load_digits(test_size=test_size)
