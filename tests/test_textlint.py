"""日本語の表記の検査（scripts/lint_text.py と textlint、用語の辞書 prh.yml）のテスト。

一時的なノートブックに用語の誤り・表記の誤り・図の題名の誤りを仕込み、検査が
ノートブックとセルを名指しして失敗すること、正しいセルは通ることを確かめる。
"""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("lint_text", ROOT / "scripts" / "lint_text.py")
lint_text = importlib.util.module_from_spec(_spec)
sys.modules["lint_text"] = lint_text
_spec.loader.exec_module(lint_text)


def _notebook(path: Path, cells: list[tuple]) -> Path:
    nb = {
        "cells": [
            {"cell_type": kind, "metadata": meta[0] if meta else {}, "source": src}
            | ({"outputs": [], "execution_count": None} if kind == "code" else {})
            for kind, src, *meta in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """誤りを仕込んだノートブックを検査し、(終了コード, 出力の行, ノートブックの名前) を返す。"""
    tmp = tmp_path_factory.mktemp("textlint")
    nb = _notebook(
        tmp / "99_planted.ipynb",
        [
            ("markdown", "# 仕込んだ章\n\n隠れ層のニューロンは 5 個です。"),  # 0: 正しい
            ("markdown", "ここでは中間層の出力を調べます。"),  # 1: 用語の誤り
            ("markdown", "## 学習\n\nKerasのモデルを作ります。"),  # 2: 半角と全角の間の空白
            (  # 3: 図の題名と代替テキスト
                "code",
                'plt.title("中間層の出力")\nplt.xlabel("入力 $x$")',
                {"mystnb": {"image": {"alt": "中間層の出力のグラフ。"}}},
            ),
            (
                "markdown",  # 4: 正しい（数式・ロール・dropdown・コードが誤検出されない）
                "重み $W^{(1)}$ と {term}`バイアス` を使い、`np.dot` で計算します。\n\n"
                "````{dropdown} 解答\n"
                "1 つ目の層の出力は $\\boldsymbol{a}$ です。\n\n"
                "```python\nx=中間層(1)\n```\n"
                "````\n\n"
                "$$\ny = h(a)\n$$\n\n全体としてはどうでしょうか。\n\n- 箇条書きは説明できる\n",
            ),
            ("markdown", "確率として読めるようにしたい。"),  # 5: 普通体の文末
        ],
    )
    out_lines = []

    class _Capture:
        def write(self, s):
            out_lines.append(s)

        def flush(self):
            pass

    old_out, old_err = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = _Capture()
    try:
        code = lint_text.main([str(nb)])
    finally:
        sys.stdout, sys.stderr = old_out, old_err
    return code, "".join(out_lines).splitlines(), nb.as_posix()


def test_planted_errors_fail_the_check(planted):
    code, _, _ = planted
    assert code == 1


def test_term_error_names_notebook_and_cell(planted):
    _, lines, name = planted
    hits = [ln for ln in lines if "中間層 => 隠れ層" in ln and "セル 1 " in ln]
    assert hits, "\n".join(lines)
    assert hits[0].startswith(f"{name} セル 1 行 1:")


def test_spacing_error_names_the_cell(planted):
    _, lines, name = planted
    hits = [ln for ln in lines if ln.startswith(f"{name} セル 2 行 3:")]
    assert any("ja-space-between-half-and-full-width" in ln for ln in hits), "\n".join(lines)


def test_plain_form_sentence_ending_is_an_error(planted):
    _, lines, name = planted
    hits = [ln for ln in lines if ln.startswith(f"{name} セル 5 行 1:")]
    assert any("(desumasu-ending)" in ln for ln in hits), "\n".join(lines)


def test_figure_title_is_checked_with_the_dictionary(planted):
    _, lines, name = planted
    assert f"{name} セル 3 行 1  中間層 => 隠れ層" in "\n".join(lines), "\n".join(lines)
    assert f"{name} セル 3 代替テキスト  中間層 => 隠れ層" in "\n".join(lines)
    assert not any("セル 3 行 2" in ln for ln in lines)


def test_clean_cells_pass(planted):
    _, lines, name = planted
    assert not [ln for ln in lines if ln.startswith((f"{name} セル 0 ", f"{name} セル 4 "))], (
        "\n".join(lines)
    )


def test_myst_to_markdown_keeps_lines_and_hides_math_and_roles():
    text = "式 $a_k$ と {term}`重み` です。\n:::{note}\n:class: tip\n本文\n:::\n\n$$\nE\n$$"
    md = lint_text.myst_to_markdown(text)
    assert md.count("\n") == text.count("\n")
    first = md.split("\n")[0]
    assert first == "式 `m` と `重み` です。"
    assert md.split("\n")[1:5] == ["", "", "本文", ""]
    assert md.split("\n")[5:] == ["", "```", "E", "```"]


def test_figure_strings_come_from_literals_and_comments():
    code = '%matplotlib inline\nax.set_title("中間層")  # 隠れ層の図\nprint("ok")\n'
    found = lint_text.python_japanese_strings(code, comments=True)
    assert found == [(2, "中間層"), (2, "隠れ層の図")]


def test_repository_dictionary_loads_and_its_specs_hold(tmp_path):
    """prh.yml の specs（直る例・直らない例）は読み込み時に確かめられる。壊れた辞書なら失敗する。"""
    src = lint_text.Source("見本", "ステップ関数と前のステップ。倍精度の数と精度。")
    errors = lint_text.run_textlint(lint_text.PRH_CONFIG, [src], tmp_path)
    assert [e.split("  ")[1].split(" ")[0:3] for e in errors] == [
        ["ステップ", "=>", "時刻"],
        ["精度", "=>", "正解率"],
    ]


def test_columns_map_back_over_math_and_roles():
    line = "式 $\\boldsymbol{x}$ と {term}`重み` の中間層"
    md, shifts = lint_text.myst_to_lintable(line)
    col = md.index("中間層") + 1
    assert lint_text.original_column(col, shifts[1]) == line.index("中間層") + 1


def test_sentence_flowing_into_display_math_is_not_cut():
    md = lint_text.myst_to_markdown("形で書くと\n\n$$\nAB\n$$\n\nとなります。")
    assert md.split("\n") == ["形で書くと", "`数式`", "```", "AB", "```", "", "となります。"]
