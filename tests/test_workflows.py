"""GitHub Actions のワークフローを、GitHub なしで静的に確かめる。

- actionlint（と、run: のシェルを検査する shellcheck）がすべてのワークフローで通ること
- tests ワークフロー・.ci/run・README が同じテストのコマンドを、publish ワークフローと README が
  同じ組版のコマンドを使うこと（3 か所がずれないように）
- すべての action がコミットかバージョンのタグに固定され、権限が必要最小限であること
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def _load(name):
    # YAML 1.1 では on: が True になるので、文字列のまま読む
    text = (ROOT / ".github" / "workflows" / f"{name}.yml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=yaml.BaseLoader)


def _readme_command(heading):
    """README の見出しの直後にある ```bash ブロックのコマンド（1 行）。"""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(re.escape(heading) + r".*?```bash\n(.+?)\n```", readme, flags=re.S)
    assert m, f"README に「{heading}」のコマンドがありません"
    return m.group(1).strip()


def _run_steps(workflow):
    return [
        step["run"].strip()
        for job in workflow["jobs"].values()
        for step in job.get("steps", [])
        if "run" in step
    ]


TEST_COMMAND = _readme_command("テスト一式を実行する")
BUILD_COMMAND = _readme_command("サイトを組版する")


def test_the_three_workflows_exist():
    assert {p.stem for p in WORKFLOWS} == {"tests", "publish", "latest"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(path):
    actionlint = shutil.which("actionlint", path=str(BIN)) or shutil.which("actionlint")
    assert actionlint, "actionlint がありません（requirements-dev.txt）"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    assert shutil.which("shellcheck", path=env["PATH"]), "shellcheck がありません"
    result = subprocess.run(
        [actionlint, "-no-color", str(path)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_tests_workflow_and_readme_run_the_same_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(rf"^exec {re.escape(TEST_COMMAND)}$", ci, flags=re.M), ci
    assert TEST_COMMAND in _run_steps(_load("tests"))


def test_publish_workflow_builds_with_the_readme_build_command():
    publish = _load("publish")
    assert BUILD_COMMAND in _run_steps(publish)
    # 保存済みの出力から組版し、ノートブックを再実行しない
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "off"
    uses = [s.get("uses", "") for job in publish["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert set(publish["on"]) == {"push", "workflow_dispatch"}
    assert publish["on"]["push"]["branches"] == ["main"]


def test_latest_workflow_is_scheduled_and_separate_from_publishing():
    latest = _load("latest")
    assert set(latest["on"]) == {"schedule", "workflow_dispatch"}
    assert "pytest chapters" in " ".join(_run_steps(latest)), "ノートブックを nbval で実行すること"
    assert "--upgrade" in " ".join(_run_steps(latest))
    python = [
        s["with"]["python-version"]
        for job in latest["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("actions/setup-python@")
    ]
    assert python == ["3.12"], "Colab と同じ Python で確かめる"
    # 「ブラウザで実行」の全章のテストは、インターネットのある latest でだけ（依存を上げる前に）動く
    runs = _run_steps(latest)
    lite = [i for i, r in enumerate(runs) if "tests/test_browser.py -k online_every_part" in r]
    upgrade = [i for i, r in enumerate(runs) if "--upgrade" in r]
    assert lite and upgrade and lite[0] < upgrade[0], runs
    steps = [s for job in latest["jobs"].values() for s in job["steps"]]
    lite_step = next(s for s in steps if "online_every_part" in s.get("run", ""))
    assert lite_step.get("env", {}).get("NNBOOK_LITE_ONLINE") == "1"
    # publish は latest の結果を待たない
    for job in _load("publish")["jobs"].values():
        assert "latest" not in str(job.get("needs", ""))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*(?:-\s*)?uses:\s*(\S+)", line)
        if not m:
            continue
        ref = m.group(1).split("@", 1)
        assert len(ref) == 2, f"{line.strip()}: 版が固定されていません"
        assert re.fullmatch(r"[0-9a-f]{40}|v\d+\.\d+\.\d+", ref[1]), (
            f"{line.strip()}: コミット（40 桁）か vX.Y.Z のタグに固定すること"
        )


def _permissions(workflow):
    """{ジョブ名: 実際に効く権限（ジョブの指定、なければワークフローの指定）}。"""
    top = workflow.get("permissions")
    return {name: job.get("permissions", top) for name, job in workflow["jobs"].items()}


def test_permissions_are_the_least_each_job_needs():
    assert _permissions(_load("tests")) == {"test": {"contents": "read"}}
    assert _permissions(_load("latest")) == {"notebooks": {"contents": "read"}}
    publish = _load("publish")
    assert publish["permissions"] == {}, "ワークフロー全体の既定は権限なし"
    assert _permissions(publish) == {
        "build": {"contents": "read"},
        "deploy": {"pages": "write", "id-token": "write"},
    }
