"""リポジトリ全体の pytest の設定（tests/ と chapters/ のノートブックの両方に効く）。"""

import os

# 図に豆腐（□）が出ると matplotlib は「Glyph … missing from font(s)」の UserWarning を出す。
# nbval が起動するカーネルはこのプロセスの環境変数を引き継ぐので、その警告を例外にしておくと、
# 豆腐のある図を描いたセルはエラーになり、出力を比べないセルでもテストが失敗する。
GLYPH_WARNING_AS_ERROR = "error:Glyph:UserWarning"
if GLYPH_WARNING_AS_ERROR not in os.environ.get("PYTHONWARNINGS", ""):
    os.environ["PYTHONWARNINGS"] = ",".join(
        filter(None, [os.environ.get("PYTHONWARNINGS"), GLYPH_WARNING_AS_ERROR])
    )
