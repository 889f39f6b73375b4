"""実行時間と学習結果の記録（reference/performance.md）が、測った結果から作られていること。"""

import importlib.util
import subprocess
import sys

from conftest import ROOT

SCRIPT = ROOT / "scripts" / "measure_performance.py"
PAGE = (ROOT / "reference" / "performance.md").read_text(encoding="utf-8")


def test_accuracy_table_matches_the_stored_notebook_outputs():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_chapter_in_the_toc_has_a_row():
    spec = importlib.util.spec_from_file_location("measure_performance", SCRIPT)
    measure_performance = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(measure_performance)
    for chapter in measure_performance._chapters():
        assert f"{{doc}}`../chapters/{chapter}` |" in PAGE, (
            f"{chapter} の行がありません（測り直す）"
        )


def test_page_says_when_and_on_what_machine():
    assert "測った日時（UTC）" in PAGE and "| CPU |" in PAGE
    assert "scripts/measure_performance.py" in PAGE
