"""各章のブートストラップセル（最初のコードセル）を、1 つのひな形と _config.yml の repository.url
から書く。

講座のリポジトリ URL は _config.yml に一度だけ書きます（起動ボタンもそれを使う）。
フォークしたら _config.yml を書き換えてから、これを実行してください::

    .venv/bin/python scripts/set_repository.py          # 書き換える
    .venv/bin/python scripts/set_repository.py --check  # 一致しているか確かめるだけ

ブートストラップは Colab ではこのリポジトリから、ブラウザ（JupyterLite、``sys.platform`` が
``"emscripten"``）ではサイトのパッケージ置き場から nnbook を入れ、ほかの環境では何もしません。
出力は変えずにセルのソースだけを書き換えるので、ノートブックの再実行は要りません。
"""

import argparse
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP_URL = re.compile(r'"nnbook @ git\+(?P<url>[^"]+)"')

#: ブートストラップセルのひな形（{url} にリポジトリの URL が入る）。CONTRIBUTING.md にも同じものを載せる
TEMPLATE = """\
# Colab とブラウザ（JupyterLite）で開いたときだけ、講座のパッケージ nnbook をインストールします。
# Colab にある TensorFlow・NumPy・matplotlib は入れ直しません。ほかの環境では何もしません。
import sys

if "google.colab" in sys.modules:
    %pip install --quiet "nnbook @ git+{url}"
elif sys.platform == "emscripten":  # ブラウザの中の Python（Pyodide）：サイトの置き場から
    %pip install nnbook ipywidgets"""


def bootstrap_source(url=None):
    """ブートストラップセルのソース（url を省くと _config.yml の repository.url）。"""
    return TEMPLATE.format(url=url or repository_url())


def repository_url(config=ROOT / "_config.yml"):
    """_config.yml の repository.url（末尾の / と .git は除く）。"""
    url = yaml.safe_load(Path(config).read_text(encoding="utf-8"))["repository"]["url"]
    return url.rstrip("/").removesuffix(".git")


def bootstrap_cell(nb):
    """ノートブックの最初のコードセル（ブートストラップ）を返す。"""
    for cell in nb.cells:
        if cell.cell_type == "code":
            return cell
    raise ValueError("コードセルがありません")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="書き換えずに確かめるだけ")
    args = parser.parse_args(argv)
    url = repository_url()
    new = bootstrap_source(url)
    wrong = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cell = bootstrap_cell(nb)
        if not BOOTSTRAP_URL.search(cell.source):
            wrong.append(f"{path.name}: 最初のコードセルがブートストラップではありません")
        elif new != cell.source:
            wrong.append(path.name)
            if not args.check:
                cell.source = new
                nbformat.write(nb, path)
    if args.check and wrong:
        print("ブートストラップがひな形と一致しない章:", *wrong, sep="\n  ")
        return 1
    print(f"{url}: {'一致しています' if not wrong else f'{len(wrong)} 冊を書き換えました'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
