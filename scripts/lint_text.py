"""日本語の表記と用語を textlint で検査する（README のテストのコマンドから呼ばれる）。

検査するもの：

1. 本文：全章のノートブックの Markdown セル、`intro.md`、`reference/*.md`、`README.md`、
   `CONTRIBUTING.md`、`data/README.md`。設定は `.textlintrc.yml`（日本語の技術文書のプリセット、
   半角と全角の間の空白、用語の辞書 `prh.yml`）と、講座の独自の規則
   `scripts/textlint-rules/desumasu-ending.js`（段落の文末は です・ます）。
2. 図の中の文字：ノートブックのコードセルの日本語の文字列とコメント（図の題名・軸ラベル・凡例・
   注記、graphviz のラベル、表示するメッセージ）と、`src/nnbook/` の図を描くモジュールの日本語の
   文字列。用語の辞書（`prh.yml`）だけで検査する（設定は `scripts/textlint-prh.yml`）。

MyST の記法（指令のフェンス、`$...$` の数式、``{term}`...` `` などのロール）は、行の数を変えずに
textlint が読める Markdown に直してから検査するので、誤りは元のファイル・セル・行を指す。
textlint の起動は本文と図で 1 回ずつ（セルごとには起動しない）。

使い方::

    python scripts/lint_text.py            # すべて検査する。誤りがあれば終了コード 1
    python scripts/lint_text.py chapters/01_perceptron.ipynb README.md   # 指定したものだけ

誤りの表示は ``chapters/01_perceptron.ipynb セル 3 行 2:5  メッセージ (規則)`` の形。
セルの番号は 0 から数えた ``cells`` の添字、行はセルの中の行（1 から）。
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import subprocess
import sys
import tempfile
import tokenize
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_CONFIG = ROOT / ".textlintrc.yml"
PRH_CONFIG = ROOT / "scripts" / "textlint-prh.yml"
TEXTLINT = ROOT / "node_modules" / ".bin" / "textlint"
# 講座の独自の規則（本文の文末を です・ます にそろえる）。本文の検査だけで読み込む
RULES_DIR = ROOT / "scripts" / "textlint-rules"

MARKDOWN_FILES = ["intro.md", "README.md", "CONTRIBUTING.md", "data/README.md"]
MARKDOWN_GLOBS = ["reference/*.md"]
NOTEBOOK_GLOB = "chapters/*.ipynb"
# 図に文字を描くモジュール（題名・軸ラベル・凡例・graphviz のラベル・学習曲線の軸）
FIGURE_MODULES = [
    "src/nnbook/plotting.py",
    "src/nnbook/diagrams.py",
    "src/nnbook/animation.py",
    "src/nnbook/trainer.py",
]

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff60]")
# 本文として読む MyST の指令。ほかの指令（math、code-cell、bibliography など）はコードとして飛ばす。
PROSE_DIRECTIVES = {
    "admonition", "attention", "caution", "danger", "dropdown", "epigraph", "error", "figure",
    "glossary", "hint", "important", "margin", "note", "seealso", "sidebar", "tip", "topic",
    "warning", "card", "tab-item", "div",
}  # fmt: skip
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})\s*(\{([\w:-]+)\})?")
ROLE = re.compile(r"\{[\w:-]+\}(?=`)")
TARGET = re.compile(r"^\s*\([\w:-]+\)=\s*$")


@dataclass
class Source:
    """検査する 1 つの断片（ファイル、ノートブックの 1 セル、図の文字列の集まり）。"""

    label: str  # 表示する場所（例：chapters/01_perceptron.ipynb セル 3）
    text: str
    suffix: str = ".md"
    # 一時ファイルの行（1 から）→ 元の行の表示。None なら同じ行番号。
    line_map: dict[int, str] | None = None
    # 行（1 から）→ MyST を直したときに縮めた場所（列を元に戻すため）
    shifts: dict[int, list[tuple[int, int]]] = field(default_factory=dict)


# ---------------------------------------------------------------- MyST → Markdown


def _inline_myst(line: str) -> tuple[str, list[tuple[int, int]]]:
    """行の中の MyST のインライン記法を直す。既存のインラインコードの中は触らない。

    - `$...$` の数式は短いインラインコード `m` にする（表示では数式は短いので、文の長さに
      数式の TeX の文字数を数えない。空白の規則はコードとして検査される）
    - ``{term}`重み` `` などのロールは ``{term}`` を消してインラインコードだけ残す

    戻り値は直した行と、縮めた場所の一覧 [(直した行での位置, 縮めた文字数)]（列を元に戻すため）。
    """
    out: list[str] = []
    shifts: list[tuple[int, int]] = []
    pos = 0  # 直した行での位置
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        role = ROLE.match(line, i) if ch == "{" else None
        if role:
            shifts.append((pos, role.end() - i))
            i = role.end()
        elif ch == "`":
            j = i
            while j < n and line[j] == "`":
                j += 1
            end = line.find(line[i:j], j)
            stop = n if end < 0 else end + (j - i)
            out.append(line[i:stop])
            pos += stop - i
            i = stop
        elif ch == "\\" and i + 1 < n:
            out.append(line[i : i + 2])
            pos += 2
            i += 2
        elif ch == "$":
            dollars = 2 if line.startswith("$$", i) else 1
            end = line.find("$" * dollars, i + dollars)
            if end < 0:
                out.append(line[i:])
                break
            stop = end + dollars
            out.append("`m`")
            shifts.append((pos + 3, (stop - i) - 3))
            pos += 3
            i = stop
        else:
            out.append(ch)
            pos += 1
            i += 1
    return "".join(out), shifts


def original_column(col: int, shifts: list[tuple[int, int]]) -> int:
    """直した行の列（1 から）を、元の行の列に戻す。"""
    return col + sum(removed for at, removed in shifts if at < col)


def myst_to_markdown(text: str) -> str:
    """MyST の記法を、行の数を変えずに textlint の読める Markdown に直す（myst_to_lintable を参照）。"""
    return myst_to_lintable(text)[0]


def myst_to_lintable(text: str) -> tuple[str, dict[int, list[tuple[int, int]]]]:
    """MyST の記法を、行の数を変えずに textlint の読める Markdown に直す。

    - 本文の指令（dropdown、note、glossary など）のフェンスと `:option:` の行を空行にして、
      中身を本文として検査する。コードや数式の指令はフェンスのまま（検査しない）。
    - `$$` で始まる数式の段落はコードブロックに、`$...$` は短いインラインコードにし、
      ロールの ``{term}`` などの部分を消す（_inline_myst）。
    - ラベル ``(name)=`` と MyST のコメント ``% ...`` の行を空行にする。

    戻り値は直したテキストと、行（1 から）ごとの縮めた場所（original_column で列を戻す）。
    """
    shifts: dict[int, list[tuple[int, int]]] = {}
    lines = text.split("\n")
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (閉じるフェンス, 本文の指令か)
    in_options = False
    in_math = False
    for i, line in enumerate(lines):
        code_fence = stack and not stack[-1][1]
        m = FENCE.match(line)
        if in_math:
            if "$$" in line:
                in_math = False
                out.append(m_indent(line) + "```")
            else:
                out.append(line)
            continue
        if m and stack and line.strip() == stack[-1][0]:
            fence, prose = stack.pop()
            if prose:
                out.append("")
            else:
                out.append(line if not fence.startswith(":") else m.group(1) + "```")
            in_options = False
            continue
        if code_fence:
            out.append(line)
            continue
        if m:
            fence = m.group(2)
            name = m.group(4)
            if name is not None and name in PROSE_DIRECTIVES:
                stack.append((fence, True))
                out.append("")
                in_options = True
                continue
            stack.append((fence, False))
            out.append(line if not fence.startswith(":") else m.group(1) + "```")
            continue
        if in_options and re.match(r"^\s*:[\w-]+:", line):
            out.append("")
            continue
        in_options = False
        stripped = line.strip()
        if stripped.startswith("$$"):
            _continue_into_math(out, lines[:i])
            rest = stripped[2:]
            if "$$" in rest:
                out.append("")
            else:
                in_math = True
                out.append(m_indent(line) + "```")
            continue
        if TARGET.match(line) or stripped.startswith("% ") or stripped == "%":
            out.append("")
            continue
        fixed, line_shifts = _inline_myst(line)
        if line_shifts:
            shifts[len(out) + 1] = line_shifts
        out.append(fixed)
    return "\n".join(out), shifts


def _continue_into_math(out: list[str], before: list[str]) -> None:
    """数式の前で終わる段落（「…を掛けると」$$…$$「となります。」）に、文が数式へ続く印を付ける。

    句点のない段落の末尾に `数式` を置く（末尾がインラインコードの段落は句点の検査から外れる）。
    before は元の行（数式の前まで）、out は直した行。
    """
    k = len(before) - 1
    if k >= 1 and before[k] == "":
        k -= 1
    prev = before[k].strip() if k >= 0 else ""
    if not prev or out[k] != before[k] and not out[k].strip():
        return  # 段落ではない（空行、本文の指令のフェンスなど）
    if prev.startswith(("```", "~~~", ":::", "#", "|", "$$")) or prev[-1] in "。：:！？":
        return
    if k == len(before) - 1:
        out[k] = out[k].rstrip() + " `数式`"
    else:
        out[k + 1] = "`数式`"


def m_indent(line: str) -> str:
    """行の先頭の空白。"""
    return line[: len(line) - len(line.lstrip())]


# ---------------------------------------------------------------- 集める


def _cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def notebook_sources(path: Path) -> tuple[list[Source], list[Source]]:
    """ノートブックの Markdown セル（本文）と、コードセルの日本語の文字列（図）を集める。"""
    rel = _rel(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    prose, figures = [], []
    for k, cell in enumerate(nb.get("cells", [])):
        label = f"{rel} セル {k}"
        if cell.get("cell_type") == "markdown":
            text, shifts = myst_to_lintable(_cell_source(cell))
            prose.append(Source(label, text, shifts=shifts))
        elif cell.get("cell_type") == "code":
            strings = python_japanese_strings(_cell_source(cell), comments=True)
            source = strings_source(label, strings)
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            if isinstance(alt, str) and JAPANESE.search(alt):
                # 図の代替テキスト（セルのメタデータ）も図の一部として同じ辞書で検査する
                n = len(source.text.split("\n")) if strings else 0
                source.text = (source.text + "\n" if strings else "") + alt.replace("\n", " ")
                source.line_map[n + 1] = "代替テキスト"
            if source.text.strip():
                figures.append(source)
    return prose, figures


def python_japanese_strings(code: str, *, comments: bool) -> list[tuple[int, str]]:
    """Python のコードの、日本語を含む文字列リテラル（とコメント）を (行, 文字列) で返す。"""
    # IPython のマジック（%pip、!ls）は Python として読めないので空行にする
    code = "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in code.split("\n"))
    found: list[tuple[int, str]] = []
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [(1, code)] if JAPANESE.search(code) else []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if JAPANESE.search(node.value):
                found.append((node.lineno, node.value))
    if comments:
        tokens = tokenize.generate_tokens(io.StringIO(code).readline)
        for tok in tokens:
            if tok.type == tokenize.COMMENT and JAPANESE.search(tok.string):
                found.append((tok.start[0], tok.string.lstrip("# ")))
    return sorted(found)


def strings_source(label: str, strings: list[tuple[int, str]]) -> Source:
    """文字列を 1 つずつ段落にしたテキストと、その行 → 元の行の対応を作る。"""
    lines: list[str] = []
    line_map: dict[int, str] = {}
    for lineno, value in strings:
        for offset, part in enumerate(value.split("\n")):
            lines.append(part)
            line_map[len(lines)] = f"行 {lineno + offset}"
        lines.append("")
    return Source(label, "\n".join(lines), suffix=".txt", line_map=line_map)


def collect(paths: list[str] | None) -> tuple[list[Source], list[Source]]:
    """検査する本文と図の文字列を集める。paths が None ならリポジトリの決まったもの全部。"""
    if paths is None:
        notebooks = sorted(ROOT.glob(NOTEBOOK_GLOB))
        markdown = [ROOT / p for p in MARKDOWN_FILES]
        for pattern in MARKDOWN_GLOBS:
            markdown += sorted(ROOT.glob(pattern))
        modules = [ROOT / p for p in FIGURE_MODULES]
    else:
        given = [Path(p).resolve() for p in paths]
        notebooks = [p for p in given if p.suffix == ".ipynb"]
        markdown = [p for p in given if p.suffix == ".md"]
        modules = [p for p in given if p.suffix == ".py"]
    prose: list[Source] = []
    figures: list[Source] = []
    for path in notebooks:
        p, f = notebook_sources(path)
        prose += p
        figures += f
    for path in markdown:
        if path.exists():
            text, shifts = myst_to_lintable(path.read_text("utf-8"))
            prose.append(Source(_rel(path), text, shifts=shifts))
    for path in modules:
        strings = python_japanese_strings(path.read_text("utf-8"), comments=False)
        if strings:
            figures.append(strings_source(_rel(path), strings))
    return prose, figures


def _rel(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


# ---------------------------------------------------------------- 実行する


def run_textlint(config: Path, sources: list[Source], workdir: Path) -> list[str]:
    """1 回の textlint で sources をまとめて検査し、誤りを元の場所で表した行のリストを返す。"""
    if not sources:
        return []
    by_file: dict[str, Source] = {}
    for i, src in enumerate(sources):
        tmp = workdir / f"{i:05d}{src.suffix}"
        tmp.write_text(src.text, encoding="utf-8")
        by_file[str(tmp.resolve())] = src
    if not TEXTLINT.exists():
        sys.exit(f"{_rel(TEXTLINT)} がありません。リポジトリの根で `npm ci` を実行してください。")
    cmd = [str(TEXTLINT), "--config", str(config), "--format", "json"]
    if config == TEXT_CONFIG:
        cmd += ["--rulesdir", str(RULES_DIR)]
    cmd += list(by_file)
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    try:
        results = json.loads(proc.stdout)
    except json.JSONDecodeError:
        sys.exit(f"textlint が失敗しました（終了コード {proc.returncode}）：\n{proc.stderr}")
    errors = []
    for result in results:
        src = by_file[str(Path(result["filePath"]).resolve())]
        lines = src.text.split("\n")
        for msg in result["messages"]:
            line, col = msg["line"], msg["column"]
            if _indent_false_positive(msg, lines):
                continue
            width = len(lines[line - 1]) if 0 < line <= len(lines) else 0
            if src.line_map:
                where = src.line_map.get(line, f"行 {line}")
            elif col > width + 1:  # 文の長さの規則は段落の中の位置を返すので、行だけを示す
                where = f"行 {line}"
            else:
                where = f"行 {line}:{original_column(col, src.shifts.get(line, []))}"
            errors.append(f"{src.label} {where}  {_first_lines(msg['message'])} ({msg['ruleId']})")
    return errors


def _indent_false_positive(msg: dict, lines: list[str]) -> bool:
    """箇条書きの続きの行の字下げを、括弧の前の空白と誤って数えた報告か。

    Markdown の字下げは表示されない（textlint は字下げを文字として数える）。
    """
    if not msg["ruleId"].endswith("ja-no-space-around-parentheses"):
        return False
    text = lines[msg["line"] - 1] if 0 < msg["line"] <= len(lines) else ""
    indent = len(text) - len(text.lstrip())
    return indent > 0 and msg["column"] <= indent + 1


def _first_lines(message: str) -> str:
    """規則のメッセージの要点（説明の段落や集計の前まで）を 1 行にする。"""
    keep = []
    for part in message.split("\n"):
        if not part.strip() or part.startswith(("理由:", "Total:", "次の助詞")):
            break
        keep.append(part.strip())
    return " ".join(keep)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="検査するファイル（省略するとすべて）")
    args = parser.parse_args(argv)
    prose, figures = collect(args.paths or None)
    with tempfile.TemporaryDirectory(prefix="nnbook-textlint-") as tmp:
        workdir = Path(tmp)
        (workdir / "prose").mkdir()
        (workdir / "figures").mkdir()
        # 本文と図の 2 つの textlint を並べて動かす（どちらも 1 回の起動でまとめて検査する）
        with ThreadPoolExecutor(max_workers=2) as pool:
            text_job = pool.submit(run_textlint, TEXT_CONFIG, prose, workdir / "prose")
            figure_job = pool.submit(run_textlint, PRH_CONFIG, figures, workdir / "figures")
            errors = text_job.result() + figure_job.result()
    for line in errors:
        print(line)
    n_fig = sum(len(s.line_map or {}) for s in figures)
    summary = f"textlint：本文 {len(prose)} 件、図とコードの日本語 {n_fig} 行を検査"
    if errors:
        print(f"{summary}、誤り {len(errors)} 件", file=sys.stderr)
        return 1
    print(f"{summary}、誤りなし")
    return 0


if __name__ == "__main__":
    sys.exit(main())
