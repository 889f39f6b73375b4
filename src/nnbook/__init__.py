"""nnbook: 日本語ニューラルネットワーク講座の補助パッケージ。

各モジュールは単独で import できます（TensorFlow を読み込むのは Keras 用の関数だけ）。

- ``functions`` : 活性化関数・ソフトマックスなど
- ``plotting``  : 日本語フォントと講座の配色、グラフの補助
- ``diagrams``  : graphviz によるネットワーク図
- ``datasets``  : オフラインで使えるデータセットの読み込み
- ``check``     : 演習の自動チェック
"""

__version__ = "0.1.0"
