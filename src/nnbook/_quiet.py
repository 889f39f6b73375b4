"""TensorFlow / Keras を静かに import する（非公開）。

TensorFlow は import 時にタイムスタンプやプロセス ID 入りのログを標準エラー（ファイル
記述子 2）へ直接書きます。環境変数では止まらないので、import の間だけ fd 2 を
/dev/null に向け、終わったら必ず元に戻します。
"""

import contextlib
import importlib
import os
import sys


@contextlib.contextmanager
def _stderr_to_devnull():
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras():
    """keras モジュールを返す（初回の import のログを出さない）。

    TensorFlow の C++ のログ（学習中に出る E0000 … の行など）も、利用者が
    ``TF_CPP_MIN_LOG_LEVEL`` を自分で決めていなければ止める。
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    with _stderr_to_devnull():
        importlib.import_module("tensorflow")
        return importlib.import_module("keras")
