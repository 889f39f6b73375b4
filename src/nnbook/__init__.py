"""nnbook: 日本語ニューラルネットワーク講座の補助パッケージ。

各モジュールは単独で import できます（TensorFlow を読み込むのは Keras 用の関数だけ）。

- ``functions`` : 活性化関数・ソフトマックス・損失関数・数値微分
- ``layers``    : 誤差逆伝播法のレイヤ（Affine・Sigmoid・ReLU・計算グラフのノード・SoftmaxWithLoss・
  バッチ正規化・ドロップアウト・畳み込み・プーリング・残差接続・注意機構・マルチヘッド注意・層正規化・埋め込み）
- ``im2col``    : 畳み込みを行列の積にする im2col と、その転置 col2im
- ``optimizers``: 最適化アルゴリズム（SGD・Momentum）
- ``networks``  : レイヤを組み合わせたネットワーク（TwoLayerNet）
- ``trainer``   : ミニバッチ学習を回す Trainer
- ``plotting``  : 日本語フォントと講座の配色、グラフと決定領域の補助
- ``animation`` : 学習中の決定領域のアニメーション（H.264 の動画）
- ``diagrams``  : graphviz によるネットワーク図
- ``datasets``  : オフラインで使えるデータセットの読み込み
- ``text``      : 言語モデルのための講座の本文のコーパス、文字の語彙、符号化、決まった分割
- ``check``     : 演習の自動チェック
"""

__version__ = "0.1.0"
