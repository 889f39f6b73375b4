"""本文の引用（{cite}`key`）と reference/references.bib が食い違っていないことを確かめます。"""

import json
import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parent.parent
BIB = parse_file(str(ROOT / "reference" / "references.bib"), bib_format="bibtex")
CITE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")


def _texts():
    """本文の markdown（ノートブックの markdown セルと .md ファイル）を (場所, 文字列) で返します。"""
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                yield f"{path.name} セル {i}", "".join(cell["source"])
    for path in [ROOT / "intro.md", *sorted((ROOT / "reference").glob("*.md"))]:
        yield path.name, path.read_text(encoding="utf-8")


def cited_keys():
    """本文で引用しているキーと、その場所の辞書を返します。"""
    keys = {}
    for where, text in _texts():
        for group in CITE.findall(text):
            for key in group.split(","):
                keys.setdefault(key.strip(), []).append(where)
    return keys


def test_the_pattern_finds_citations():
    assert CITE.findall("本 {cite:p}`a2020` と {cite}`b2021,c2022`") == ["a2020", "b2021,c2022"]
    assert len(cited_keys()) >= 20


def test_every_citation_is_in_the_bibliography():
    missing = {key: where for key, where in cited_keys().items() if key not in BIB.entries}
    assert not missing, f"references.bib にないキー: {missing}"


def test_every_entry_is_cited_somewhere():
    unused = sorted(set(BIB.entries) - set(cited_keys()))
    assert not unused, f"どこからも引用されていない文献: {unused}"


@pytest.mark.parametrize("key", sorted(BIB.entries))
def test_entry_has_author_title_and_year(key):
    entry = BIB.entries[key]
    assert entry.persons.get("author"), f"{key}: 著者がない"
    assert entry.fields.get("title"), f"{key}: 題名がない"
    assert re.fullmatch(r"(19|20)\d\d", entry.fields.get("year", "")), f"{key}: 発行年がない"
