"""講座の章の日本語の本文から、第 15 章の言語モデルのためのコーパスを作る（著者用）。

``chapters/*.ipynb`` の Markdown セルと ``intro.md``・``reference/glossary.md`` から、コード・数式・
MyST のロールとディレクティブ・URL・表・HTML を取り除き、日本語を含む段落だけを 1 行に 1 つずつ残します。
書き出すのはパッケージの中の 2 つのファイルです（``pip install nnbook`` で Colab や JupyterLite にも届く）。

- ``src/nnbook/data/ja_course_text.txt``：本文（UTF-8、1 行 = 1 段落）
- ``src/nnbook/data/ja_course_text.json``：取り出した元のコミット、元のファイル、文字数

本文はこの講座自身の文章なので、ライセンスはリポジトリと同じ（MIT）です。使い方::

    .venv/bin/python scripts/make_corpus.py            # 書き出す
    .venv/bin/python scripts/make_corpus.py --check    # 今の章から作り直したものと同じかだけ調べる

第 15 章より後の章は入れません（``--before`` の章番号より前の章だけ）。その章の本文が、その章の
コーパスに入らないようにするためです。
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "nnbook" / "data" / "ja_course_text.txt"
META = OUT.with_suffix(".json")
EXTRA = ("intro.md", "reference/glossary.md")

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
WIDE = r"[\u3000-\u30ff\u4e00-\u9fff\uff01-\uff5e]"
FENCE = re.compile(r"^(`{3,}|:{3,})\s*(\{(?P<directive>[\w-]+)\})?")


def _strip_fences(text):
    """コードのフェンスは中身ごと消し、ディレクティブ（dropdown・note など）は枠だけ消す。"""
    out, stack = [], []
    for line in text.splitlines():
        match = FENCE.match(line.strip())
        if match:
            fence = match.group(1)
            if stack and stack[-1][0] == fence and not match.group("directive"):
                stack.pop()  # 閉じるフェンス
                continue
            directive = match.group("directive")
            prose = directive is not None and directive not in ("code-cell", "code", "math")
            stack.append((fence, prose))
            continue
        if stack and not all(prose for _, prose in stack):
            continue  # コードか数式の中
        if stack and re.match(r"^:[\w-]+:", line.strip()):
            continue  # ディレクティブのオプション
        out.append(line)
    return "\n".join(out)


def clean(markdown):
    """Markdown の本文から、日本語の段落のリストを作る。"""
    text = _strip_fences(markdown)
    text = re.sub(r"\$\$.*?\$\$", " ", text, flags=re.S)  # 別行の数式
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)  # コメント
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = []
        for line in block.splitlines():
            s = line.strip()
            if not s or s.startswith("|") or s.startswith("(") and s.endswith(")="):
                continue  # 空行・表・ラベル
            s = re.sub(r"^#+\s*", "", s)  # 見出し
            item = re.match(r"^([-*+]|\d+\.)\s+", s)
            s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)  # 箇条書き
            s = re.sub(r"^>\s*", "", s)  # 引用
            if item and lines:
                lines.append("\n")  # 箇条書きの項目は 1 行ずつ
            lines.append(s)
        para = "".join(lines)
        para = re.sub(r"\$[^$]*\$", "", para)  # 行内の数式
        para = re.sub(r"</?[A-Za-z][^<>]*>", " ", para)  # HTML のタグ
        para = re.sub(r"\{(term|doc|ref|numref|eq)\}`([^`<]*?)\s*(<[^`]*>)?`", r"\2", para)
        para = re.sub(r"\{[\w:-]+\}`[^`]*`", "", para)  # 引用などほかのロール
        para = re.sub(r"`[^`]*`", "", para)  # インラインコード
        para = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", para)  # 画像
        para = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", para)  # リンク → 文字だけ
        para = re.sub(r"https?://\S+", "", para)  # URL
        para = re.sub(r"\*+|_{2,}", "", para)  # 太字・斜体
        para = re.sub(r"[ \t\u3000]+", " ", para)
        # 日本語の文字どうしの間の空白は、消したものの跡（この講座は和文の間に空白を入れない）
        para = re.sub(rf"(?<={WIDE}) (?={WIDE})", "", para)
        para = "\n".join(line.strip() for line in para.split("\n"))
        para = re.sub(r"\s+([、。，．）」』])", r"\1", para)
        para = re.sub(r"([（「『])\s+", r"\1", para)
        paragraphs += [p for p in para.split("\n") if len(JAPANESE.findall(p)) >= 5]
    return paragraphs


def sources(before=15):
    """コーパスにするファイル：第 before 章より前の章と EXTRA。"""
    chapters = sorted(
        p for p in (ROOT / "chapters").glob("*.ipynb") if int(p.name.split("_", 1)[0]) < before
    )
    return chapters + [ROOT / name for name in EXTRA]


def markdown_of(path):
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n\n".join(
            "".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "markdown"
        )
    text = path.read_text(encoding="utf-8")
    return re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)  # front matter


def make(before=15):
    paragraphs = []
    for path in sources(before):
        paragraphs += clean(markdown_of(path))
    return "\n".join(paragraphs) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=int, default=15, help="この番号より前の章だけ使う")
    parser.add_argument("--check", action="store_true", help="書き出さずに、同じかだけ調べる")
    args = parser.parse_args(argv)
    text = make(args.before)
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print("同じです" if same else "違います（章の本文が変わりました）")
        return 0 if same else 1
    files = [p.relative_to(ROOT).as_posix() for p in sources(args.before)]
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", *files], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    if dirty:
        print(
            f"元のファイルにコミットしていない変更があります（記録するコミットと合わない）:\n{dirty}"
        )
        return 1
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    OUT.write_text(text, encoding="utf-8")
    meta = {
        "source": "nnbook の章の Markdown セルと intro.md・reference/glossary.md（scripts/make_corpus.py）",
        "commit": commit,
        "files": files,
        "license": "MIT（このリポジトリと同じ）",
        "n_chars": len(text),
        "n_lines": text.count("\n"),
    }
    META.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"{OUT.relative_to(ROOT)}: {len(text):,} 文字、{text.count(chr(10)):,} 行（{commit[:12]}）"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
