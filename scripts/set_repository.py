"""各章の Colab 用ブートストラップセルの URL を、_config.yml の repository.url に合わせる。

講座のリポジトリ URL は _config.yml に一度だけ書きます（起動ボタンもそれを使う）。
フォークしたら _config.yml を書き換えてから、これを実行してください::

    .venv/bin/python scripts/set_repository.py          # 書き換える
    .venv/bin/python scripts/set_repository.py --check  # 一致しているか確かめるだけ

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
    wrong = []
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cell = bootstrap_cell(nb)
        new = BOOTSTRAP_URL.sub(f'"nnbook @ git+{url}"', cell.source)
        if not BOOTSTRAP_URL.search(cell.source):
            wrong.append(f"{path.name}: 最初のコードセルがブートストラップではありません")
        elif new != cell.source:
            wrong.append(path.name)
            if not args.check:
                cell.source = new
                nbformat.write(nb, path)
    if args.check and wrong:
        print("リポジトリ URL と一致しない章:", *wrong, sep="\n  ")
        return 1
    print(f"{url}: {'一致しています' if not wrong else f'{len(wrong)} 冊を書き換えました'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
