#!/usr/bin/env bash
# README のコマンド 2：すべてを入れて、テスト一式を実行する（.ci/run もこれを呼ぶ）。
#   - ruff（パッケージ・テスト・ノートブックのコードの検査）
#   - pytest：nnbook の単体テスト、全ノートブックの nbval（厳密比較）、サイトの組版と
#     ブラウザでのテスト
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/ruff check src tests scripts chapters
.venv/bin/ruff format --check src tests scripts
.venv/bin/python -m pytest "$@"
