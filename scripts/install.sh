#!/usr/bin/env bash
# 講座に必要なものをすべて入れる（Debian/Ubuntu、root か sudo）。何度実行してもよい。
#   - Debian パッケージ：graphviz（dot）、日本語フォント、Fashion-MNIST、ffmpeg、Chromium
#   - Python：.venv/ に requirements-dev.txt と nnbook（編集可能インストール）
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  graphviz                # 図を描く dot
  fonts-noto-cjk          # graphviz の日本語ラベル
  dataset-fashion-mnist   # Fashion-MNIST の元ファイル（MIT ライセンス）
  ffmpeg                  # アニメーションを動画にする
  chromium chromium-driver  # 組版したサイトを本物のブラウザでテストする
  python3-venv            # .venv を作る
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  # CHROME_BIN と CHROMEDRIVER で動くブラウザが指定されていれば apt の Chromium は入れない（Ubuntu 24.04 の apt の chromium は snap で CI では動かない）
  if [[ $pkg == chromium* && -x ${CHROME_BIN:-} && -x ${CHROMEDRIVER:-} ]]; then continue; fi
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "==> apt-get install ${missing[*]}"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> $PYTHON -m venv .venv"
  "$PYTHON" -m venv .venv
fi
echo "==> pip install -r requirements-dev.txt -e ."
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e .

# 日本語の表記の検査（textlint）：Node.js と、package-lock.json に固定した npm パッケージ（node_modules/）
if ! command -v node >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "==> apt-get install nodejs npm"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm
fi
if ! cmp -s package-lock.json node_modules/.nnbook-package-lock.json; then
  echo "==> npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.nnbook-package-lock.json  # 次回は lockfile が変わったときだけ入れ直す
fi
