"""演習の自動チェック。

学習者が書いた関数を用意したケースで実行し、何が合っていて何が違うか（形・値・
オーバーフローなど）を日本語で答えます。答えそのものは見せません。

使い方::

    from nnbook import check
    check.sigmoid(my_sigmoid)   # 結果を表示し、すべて合っていれば True を返す

チェッカーは部ごとのモジュールにあります：``part1``（第 1〜5 章）、``part2``（第 6〜10 章）、
``part3``（第 11〜14 章）、``part4``（第 15〜17 章）。共通の部品（結果の表示、学習者の関数の
呼び方と戻り値の調べ方）は ``_harness`` にあります。新しいチェッカーはその章の部のモジュールに
書き、そのモジュールの ``__all__`` に足します。
"""

from ._harness import CheckResult as CheckResult  # 戻り値の型（isinstance のため）
from .part1 import *  # noqa: F403
from .part1 import __all__ as _part1_all
from .part2 import *  # noqa: F403
from .part2 import __all__ as _part2_all
from .part3 import *  # noqa: F403
from .part3 import __all__ as _part3_all
from .part4 import *  # noqa: F403
from .part4 import __all__ as _part4_all

__all__ = [*_part1_all, *_part2_all, *_part3_all, *_part4_all]

del _part1_all, _part2_all, _part3_all, _part4_all
