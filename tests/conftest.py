"""テスト全体で共有するもの：組版したサイト（一度だけ作る）。"""

import subprocess
import sys
from pathlib import Path

import pytest

# hypothesis は requirements-dev.txt にある。ないときは test_properties*.py だけが集められない
try:
    from hypothesis import HealthCheck, settings
except ImportError:
    pass
else:
    # 性質のテスト（tests/test_properties*.py）の設定：例のデータベースは作らない（リポジトリに
    # .hypothesis/ を残さない）、毎回同じ例を試す（どこで実行しても同じ結果）、時間の上限なし
    # （CPU を共有する CI でも落ちない）。例の数はテストごとに @settings で決める。
    settings.register_profile(
        "nnbook",
        database=None,
        derandomize=True,
        deadline=None,
        max_examples=20,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    settings.load_profile("nnbook")

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """README の組版と同じ手順（警告はエラー、保存済みの出力から、Pagefind の索引つき）で
    一時フォルダにサイトを作り、(html フォルダ, 組版のログ) を返す。"""
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [
            str(BIN / "jupyter-book"),
            "build",
            "-W",
            "-n",
            "--keep-going",
            "--path-output",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    log = build.stdout + build.stderr
    assert build.returncode == 0, f"サイトの組版に失敗しました:\n{log[-4000:]}"
    html = out / "_build" / "html"
    index = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(html), "--silent"],
        capture_output=True,
        text=True,
    )
    assert index.returncode == 0, index.stdout + index.stderr
    return html, log
