#!/usr/bin/env bash
# README のコマンド 2：すべてを入れて、テスト一式を実行する（.ci/run もこれを呼ぶ）。
#   - ruff（パッケージ・テスト・ノートブックのコードの検査）
#   - textlint（本文と図の中の日本語の表記と用語。scripts/lint_text.py）
#   - pytest：nnbook の単体テスト、全ノートブックの nbval（厳密比較）、サイトの組版と
#     ブラウザでのテスト
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/ruff check src tests scripts chapters
.venv/bin/ruff format --check src tests scripts
.venv/bin/python scripts/lint_text.py
.venv/bin/python -m pytest "$@"
