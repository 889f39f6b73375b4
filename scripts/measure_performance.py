"""実行時間と学習結果の記録（reference/performance.md）を測り直して書き出す（著者用）。

数値はすべてこのスクリプトが測るか、保存されたノートブックの出力から読み取ります。手では書きません。

1. README のテストのコマンド（``bash scripts/test.sh``）を実行して、テスト一式の時間と、
   nbval が各ノートブックを実行した時間を測る
2. README の組版のコマンド（``bash scripts/build.sh``）を実行して、組版の時間と各ページの重さを測る
3. 各章の保存された出力から、モデルの正解率や誤差を読み取って公表されている値と並べる

使い方::

    .venv/bin/python scripts/measure_performance.py            # 測って書き出す（十数分）
    .venv/bin/python scripts/measure_performance.py --check    # 学習結果の表が出力と一致するかだけ確かめる
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "reference" / "performance.md"

#: (章, モデル, 出力の中の正規表現（最初のグループが値）, 公表されている値, その出典)
METRICS = [
    (
        "05_digit_inference",
        "手書き数字 8×8（64-50-100-10、学習済み重み）のテスト正解率",
        r"テストデータの正解率: ([0-9.]+)",
        "—（注 1）",
        "—",
    ),
    (
        "06_loss_and_gradient_descent",
        "手書き数字 8×8（64-10、数値微分の勾配で SGD を 40 イテレーション）のテスト正解率",
        r"^テストデータの正解率: ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "07_backpropagation",
        "渦巻き（TwoLayerNet、隠れ層 10、300 エポック）の最後の平均損失",
        r"最後の 10 イテレーションの平均損失: ([0-9.]+)",
        "約 0.11",
        "{cite:t}`saito2018` 1.4 節",
    ),
    (
        "07_backpropagation",
        "渦巻き（同上）の訓練データの正解率",
        r"訓練データの正解率: ([0-9.]+)",
        "—",
        "—",
    ),
    (
        "07_backpropagation",
        "渦巻き（同上）の検証データの正解率",
        r"^検証データの正解率: ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "08_training_techniques",
        "手書き数字 8×8、ランダムサーチで選んだ学習率と荷重減衰のテスト正解率",
        r"テストデータの正解率 ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "09_decision_boundary_animation",
        "同心円状のデータ（MLPClassifier、隠れ層 5）の検証データの正解率",
        r"検証データの正解率: ([0-9.]+)",
        "—",
        "—",
    ),
    (
        "10_convolution",
        "手書き数字 8×8（訓練データ 300 枚）、SimpleConvNet（NumPy の CNN、パラメータ 13,520 個）のテスト正解率",
        r"^CNN（SimpleConvNet） +[0-9,]+ +[0-9.]+ +([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "10_convolution",
        "同じデータで第 8 章のランダムサーチで選んだ多層パーセプトロン（64-50-50-10）のテスト正解率",
        r"^多層パーセプトロン（第 8 章、50-50） +[0-9,]+ +[0-9.]+ +([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "10_convolution",
        "渦巻き、22 層の残差接続のネットワーク（SGD、40 エポック）の最後の平均損失",
        r"^残差接続 *: 最後の 10 イテレーションの平均損失 ([0-9.]+)",
        "—",
        "—",
    ),
    (
        "10_convolution",
        "同じく残差接続のない 22 層の平坦なネットワークの最後の平均損失（log 3 ≈ 1.099 で止まる）",
        r"^平坦 *: 最後の 10 イテレーションの平均損失 ([0-9.]+)",
        "—",
        "—",
    ),
    (
        "11_keras_mlp",
        "Fashion-MNIST、多層パーセプトロン（784-512-10）のテスト正解率",
        r"テストデータの損失: [0-9.]+, 正解率: ([0-9.]+)",
        "0.8833（「MLP 256-128-100」、注 2）",
        "{cite:t}`xiao2017` のリポジトリの表",
    ),
    (
        "12_keras_cnn",
        "Fashion-MNIST、CNN（畳み込み 2 層）のテスト正解率",
        r"CNN のテストデータの損失: [0-9.]+, 正解率: ([0-9.]+)",
        "0.876〜0.932（2 Conv の 6 件、注 3）",
        "{cite:t}`xiao2017` のリポジトリの表",
    ),
    (
        "13_keras_rnn",
        "Fashion-MNIST を行ごとに読む LSTM(64)（4 エポック）のテスト正解率",
        r"^LSTM +\d+ +([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "13_keras_rnn",
        "CO2 の 1 週先の予測、LSTM の平均絶対誤差 [ppm]（小さいほどよい）",
        r"^LSTM +([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "13_keras_rnn",
        "CO2 の予測の基準：前の週の値をそのまま使う予測の平均絶対誤差 [ppm]",
        r"^前の週の値 +([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "13_keras_rnn",
        "CO2 の予測の基準：52 週前の値を使う予測の平均絶対誤差 [ppm]",
        r"^52 週前の値 +([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "Fashion-MNIST のオートエンコーダ（コード 2 次元）のテスト再構成誤差",
        r"^2 +([0-9.]+) +[0-9.]+ +[0-9.]+$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じく PCA（2 成分）のテスト再構成誤差",
        r"^2 +[0-9.]+ +([0-9.]+) +[0-9.]+$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じくコード 32 次元のオートエンコーダのテスト再構成誤差",
        r"^32 +([0-9.]+) +[0-9.]+ +[0-9.]+$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じく PCA（32 成分）のテスト再構成誤差",
        r"^32 +[0-9.]+ +([0-9.]+) +[0-9.]+$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "8 つのガウス分布の輪の GAN：生成した点のうち質の高い点の割合",
        r"学習後の生成器 2,000 点: 覆ったモード \d/8、質の高い点 ([0-9.]+)",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じく覆ったモードの数（8 つのうち）",
        r"学習後の生成器 2,000 点: 覆ったモード (\d)/8",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "DCGAN：生成した画像 1,000 枚の、コード 32 次元のオートエンコーダでの再構成誤差",
        r"^生成した画像 +[0-9.]+ +[0-9.]+ +([0-9.]+) *$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じくテスト画像（本物）1,000 枚の再構成誤差",
        r"^テスト画像（本物） +[0-9.]+ +[0-9.]+ +([0-9.]+) *$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じく雑音の画像 1,000 枚の再構成誤差",
        r"^雑音の画像 +[0-9.]+ +[0-9.]+ +([0-9.]+) *$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "DCGAN：生成した画像 300 枚の、最近傍の訓練画像までの距離の中央値",
        r"^生成した画像 +([0-9.]+) +[0-9.]+ *$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じくテスト画像（本物）300 枚の距離の中央値",
        r"^テスト画像（本物） +([0-9.]+) +[0-9.]+ *$",
        "—",
        "—",
    ),
    (
        "14_generative_models",
        "同じく雑音の画像 300 枚の距離の中央値",
        r"^雑音の画像 +([0-9.]+) +[0-9.]+ *$",
        "—",
        "—",
    ),
    (
        "15_tokens_and_language_models",
        "講座の本文（文字のトークン、語彙 762）：検証データのパープレキシティ、ユニグラムモデル",
        r"^  ユニグラムモデル: ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "15_tokens_and_language_models",
        "同じ分割：バイグラムモデル（加算スムージング、k は検証データで選択）",
        r"^  バイグラムモデル（k = [0-9.]+）: ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "15_tokens_and_language_models",
        "同じ分割：ニューラル言語モデル（直前 4 文字 → 埋め込み 24 → 隠れ層 128、3 エポック）",
        r"^  ニューラル言語モデル（直前 4 文字）: ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "16_attention",
        "日付の書き方 → ISO 形式（双方向 GRU のエンコーダ・デコーダ、注意機構あり、5 エポック）の"
        "テストの完全一致の正解率",
        r"^注意機構あり: 完全一致の正解率 ([0-9.]+)$",
        "—",
        "{cite:t}`saito2018` 8 章（英語の日付）",
    ),
    (
        "16_attention",
        "同じく注意機構なし（同じデータ・同じ 5 エポック）のテストの完全一致の正解率",
        r"^注意機構なし: 完全一致の正解率 ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "17_transformer_gpt",
        "講座の本文（第 15 章と同じ分割と語彙）：小さな GPT（D = 64、2 ブロック、4 ヘッド、文脈 64 文字、"
        "6 エポック）の検証データのパープレキシティ",
        r"^  小さな GPT（パラメータ [0-9,]+ 個）: ([0-9.]+)$",
        "—",
        "—",
    ),
    (
        "17_transformer_gpt",
        "同じ分割：LSTM の言語モデル（隠れ状態 112、パラメータの数はほぼ同じ、同じ 6 エポック）",
        r"^  LSTM（隠れ状態 112、パラメータ [0-9,]+ 個）: ([0-9.]+)$",
        "—",
        "—",
    ),
]

#: 公表されている値の注（出典の表の項目名は原文のまま）
NOTES = [
    "注 1. 第 5 章の手書き数字は scikit-learn に同梱の 8×8 画素の画像です。{cite:t}`saito2016` 3.6 節の",
    "0.9352 は同じ形のネットワークの MNIST（28×28 画素）での正解率で、データが違うので比べられません。",
    "",
    "注 2・注 3 の出典は、Fashion-MNIST のリポジトリ（zalandoresearch/fashion-mnist）の README にある表（Benchmark）です。",
    "この表は利用者が寄せた結果で、リポジトリの作者は表の値をまだ確かめていないと断っています。",
    "",
    "注 2. 表の「MLP 256-128-100」は隠れ層 256・128・100 個の 3 層の多層パーセプトロン（前処理なし）です。",
    "この講座の多層パーセプトロンは隠れ層 1 つ（512 個）で、学習のしかたも違いますが、",
    "どちらもデータ拡張を使わない全結合のネットワークです。",
    "",
    "注 3. 同じ表の畳み込み層 2 つ（2 Conv）の CNN は 10 件あり、0.876〜0.939 です。そのうちデータ拡張も",
    "バッチ正規化も使わない次の 6 件が、この講座の CNN（データ拡張・バッチ正規化なし、パラメータ約 21 万個）と比べられます。",
    "",
    "- 「2 Conv+pooling」：0.876 と 0.916",
    "- 「2 Conv+pooling+ELU activation (PyTorch)」：0.903",
    "- 「2 Conv ~113K parameters」：0.922",
    "- 「2 Conv <100K parameters」：0.925",
    "- 「2 Conv+3 FC ~1.8M parameters」：0.932",
    "",
    "残りの 4 件は、データ拡張かバッチ正規化を使っているので比べられません。",
    "",
    "- 「2 Conv」：0.919",
    "- 「2 Conv+3 FC ~500K parameters」：0.934",
    "- 「2 Conv+pooling+BN」：0.934",
    "- 「2 Conv+2 FC」：0.939",
]

#: 学習にかかった時間：METRICS のモデルの名前 → 保存された出力の中の「学習時間 … 秒」の正規表現
#: （最初のグループが秒数）。章を保存したときの 1 回の実行（scripts/execute_notebooks.py）で測ったもの。
TRAIN_TIMES = {
    "Fashion-MNIST、多層パーセプトロン（784-512-10）のテスト正解率": r"^学習時間 ([0-9.]+) 秒",
    "Fashion-MNIST、CNN（畳み込み 2 層）のテスト正解率": r"^学習時間 ([0-9.]+) 秒",
    "Fashion-MNIST を行ごとに読む LSTM(64)（4 エポック）のテスト正解率": (
        r"(?s)^SimpleRNN 学習時間.*^SimpleRNN 学習時間.*?^LSTM 学習時間 ([0-9.]+) 秒"
    ),
    "CO2 の 1 週先の予測、LSTM の平均絶対誤差 [ppm]（小さいほどよい）": r"^LSTM 学習時間 ([0-9.]+) 秒",
    "Fashion-MNIST のオートエンコーダ（コード 2 次元）のテスト再構成誤差": (
        r"(?s)コード 2 次元.*?^学習時間 ([0-9.]+) 秒"
    ),
    "同じくコード 32 次元のオートエンコーダのテスト再構成誤差": (
        r"(?s)コード 32 次元.*?^学習時間 ([0-9.]+) 秒"
    ),
    "8 つのガウス分布の輪の GAN：生成した点のうち質の高い点の割合": (
        r"(?s)^イテレーション +\d+ +L_D.*?^学習時間 ([0-9.]+) 秒"
    ),
    "DCGAN：生成した画像 1,000 枚の、コード 32 次元のオートエンコーダでの再構成誤差": (
        r"(?s)エポック 5/5.*?^学習時間 ([0-9.]+) 秒"
    ),
    "日付の書き方 → ISO 形式（双方向 GRU のエンコーダ・デコーダ、注意機構あり、5 エポック）の"
    "テストの完全一致の正解率": r"(?s)^--- 注意機構あり.*?^学習時間 ([0-9.]+) 秒",
    "同じく注意機構なし（同じデータ・同じ 5 エポック）のテストの完全一致の正解率": (
        r"(?s)^--- 注意機構なし.*?^学習時間 ([0-9.]+) 秒"
    ),
    "講座の本文（第 15 章と同じ分割と語彙）：小さな GPT（D = 64、2 ブロック、4 ヘッド、文脈 64 文字、"
    "6 エポック）の検証データのパープレキシティ": r"^学習時間 ([0-9.]+) 秒",
    "同じ分割：LSTM の言語モデル（隠れ状態 112、パラメータの数はほぼ同じ、同じ 6 エポック）": (
        r"(?s)^学習時間 [0-9.]+ 秒.*?^学習時間 ([0-9.]+) 秒"
    ),
}

#: 表に出すパッケージ
PACKAGES = [
    "numpy",
    "matplotlib",
    "scikit-learn",
    "tensorflow-cpu",
    "keras",
    "jupyter-book",
    "nbval",
]


def _chapters():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [ch["file"] for part in toc["parts"] for ch in part["chapters"]]
    return [f.split("/", 1)[1] for f in files if f.startswith("chapters/")]


def _outputs_text(chapter):
    """ノートブックの保存された出力（テキスト）をつなげたもの。"""
    nb = json.loads((ROOT / "chapters" / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def read_metrics():
    """METRICS の各行の値を、保存された出力から読む。見つからなければ ValueError。"""
    rows = []
    unknown = set(TRAIN_TIMES) - {model for _, model, *_ in METRICS}
    if unknown:
        raise ValueError(f"TRAIN_TIMES の {sorted(unknown)} が METRICS にありません")
    for chapter, model, pattern, baseline, source in METRICS:
        outputs = _outputs_text(chapter)
        m = re.search(pattern, outputs, flags=re.M)
        if m is None:
            raise ValueError(f"{chapter} の出力に {pattern!r} が見つかりません")
        seconds = "—"
        if model in TRAIN_TIMES:
            t = re.search(TRAIN_TIMES[model], outputs, flags=re.M)
            if t is None:
                raise ValueError(f"{chapter} の出力に {TRAIN_TIMES[model]!r} が見つかりません")
            seconds = f"{float(t.group(1)):.0f} 秒"
        rows.append((chapter, model, m.group(1), seconds, baseline, source))
    return rows


def _timed(command, **kwargs):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, **kwargs)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"失敗しました: {' '.join(command)}")
    return elapsed


def measure_tests(junit):
    """テスト一式の時間（秒）と、ノートブックごとの nbval の時間（秒）。"""
    total = _timed(["bash", "scripts/test.sh", f"--junitxml={junit}"])
    per_file = defaultdict(float)
    for case in ET.parse(junit).getroot().iter("testcase"):
        name = case.get("file") or case.get("classname", "")
        m = re.search(r"chapters[/.](\d\d_[A-Za-z0-9_]+)", name)
        if m:
            per_file[m.group(1)] += float(case.get("time", 0))
    return total, dict(per_file)


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src")
        if tag in ("img", "source", "video") and src and not urlsplit(src).scheme:
            self.sources.append(unquote(urlsplit(src).path))


def page_weight(html_file):
    """ページの HTML と、その画像などの大きさの合計（バイト）。"""
    parser = _Assets()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return html_file.stat().st_size + sum(
        (html_file.parent / s).stat().st_size
        for s in parser.sources
        if (html_file.parent / s).exists()
    )


def _cpu():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "—"


def render(measured, tests_total, per_notebook, build_total, weights, metrics):
    chapters = _chapters()
    lines = [
        "# 実行時間と学習結果の記録",
        "",
        "このページの数値はすべて `scripts/measure_performance.py` が測って書き出したものです（手では書いていません）。",
        "ノートブックの実行時間は、テスト一式の中で `pytest --nbval` が各章を新しいカーネルで最初から実行した時間です。",
        "",
        "## 測った環境",
        "",
        "| 項目 | 値 |",
        "| --- | --- |",
        f"| 測った日時（UTC） | {measured:%Y-%m-%d %H:%M} |",
        f"| CPU | {_cpu()}（{os.cpu_count()} コア）、GPU なし |",
        f"| OS | {platform.platform()} |",
        f"| Python | {platform.python_version()} |",
    ]
    lines += [f"| {p} | {_version(p)} |" for p in PACKAGES]
    lines += [
        "",
        "## 全体の時間",
        "",
        "| コマンド | 時間 |",
        "| --- | --- |",
        f"| テスト一式（`bash scripts/test.sh`、インストール済みの状態から） | {tests_total / 60:.1f} 分 |",
        f"| サイトの組版（`bash scripts/build.sh`、インストール済みの状態から） | {build_total:.0f} 秒 |",
        "",
        "## 各章",
        "",
        "| 章 | ノートブックの実行時間 | ページの重さ（画像を含む） |",
        "| --- | --: | --: |",
    ]
    for chapter in chapters:
        seconds = per_notebook.get(chapter)
        time_text = f"{seconds:.1f} 秒" if seconds is not None else "—"
        lines.append(
            f"| {{doc}}`../chapters/{chapter}` | {time_text} | {weights[chapter] / 1e6:.2f} MB |"
        )
    lines += [
        "",
        "## 学習結果と公表されている値",
        "",
        "この講座の値は、各章の保存された出力から読み取ったものです。CI は毎回ノートブックを実行し直し、",
        "各章の隠しセルの `assert` で基準を下回っていないことを確かめています。",
        "「学習時間」は、その値に届くまでの学習にかかった時間です。章を保存したときの 1 回の実行で",
        "（上の「測った環境」と同じ機械で、ほかの仕事をさせずに）測り、章の中にも表示しています。",
        "",
        "| 章 | モデル | この講座 | 学習時間 | 公表されている値 | 出典 |",
        "| --- | --- | --: | --: | --: | --- |",
    ]
    for chapter, model, value, seconds, baseline, source in metrics:
        lines.append(
            f"| {{doc}}`../chapters/{chapter}` | {model} | {value} | {seconds} | {baseline} | {source} |"
        )
    lines += ["", *NOTES]
    lines += [
        "",
        "同じ条件でも、CPU の種類が違えば学習の結果は最後の桁で変わることがあります。",
        "時間は機械によって数倍違います。自分の機械で測り直すには次を実行します。",
        "",
        "```bash",
        ".venv/bin/python scripts/measure_performance.py",
        "```",
        "",
    ]
    return "\n".join(lines)


def table_metrics(text):
    """書き出したページの学習結果の表から (章, 値, 学習時間) の組を読む（--check とテスト用）。"""
    return re.findall(
        r"^\| \{doc\}`\.\./chapters/([^`]+)` \| [^|]+ \| ([0-9.]+) \| ([^|]+?) \|",
        text,
        flags=re.M,
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="学習結果の表が出力と一致するかだけ確かめる"
    )
    args = parser.parse_args(argv)
    metrics = read_metrics()
    if args.check:
        expected = [(chapter, value, seconds) for chapter, _, value, seconds, _, _ in metrics]
        found = table_metrics(PAGE.read_text(encoding="utf-8"))
        if found != expected:
            print(
                f"performance.md の学習結果 {found} が出力 {expected} と違います。測り直してください。"
            )
            return 1
        return 0
    measured = dt.datetime.now(dt.UTC)
    # テスト一式は、このページの学習結果の表が出力と一致することも確かめるので、先に表だけ書いておく
    chapters = _chapters()
    PAGE.write_text(
        render(measured, 0.0, {}, 0.0, dict.fromkeys(chapters, 0), metrics), encoding="utf-8"
    )
    junit = ROOT / "_build" / "reports" / "junit.xml"
    junit.parent.mkdir(parents=True, exist_ok=True)
    tests_total, per_notebook = measure_tests(junit)
    build_total = _timed(["bash", "scripts/build.sh"], stdout=subprocess.DEVNULL)
    html = ROOT / "_build" / "html"
    weights = {c: page_weight(html / "chapters" / f"{c}.html") for c in chapters}
    PAGE.write_text(
        render(measured, tests_total, per_notebook, build_total, weights, metrics), encoding="utf-8"
    )
    print(f"{PAGE.relative_to(ROOT)} を書き出しました")
    return 0


if __name__ == "__main__":
    sys.exit(main())
