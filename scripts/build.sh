#!/usr/bin/env bash
# README のコマンド 1：すべてを入れて、HTML のサイトを _build/html に組版する。
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
# 警告はすべてエラー扱い（-W -n）。ノートブックは保存済みの出力から組版し、再実行しない。
.venv/bin/jupyter-book build -W -n --keep-going .
# 日本語の本文も検索できるよう、Pagefind の索引を作る
.venv/bin/python -m pagefind --site _build/html --silent
echo "==> サイト: _build/html/index.html"
