"""章のコードを乱数の種だけ変えて何度も実行し、隠しセルの assert が何回成り立つかを数える（著者用）。

隠しセル（タグ ``remove-cell``）の ``assert`` の基準は、1 つの種でたまたま成り立つ値ではなく、
ほぼすべての種で成り立つ値にします（CONTRIBUTING.md の「結果の確認」）。このスクリプトは、
ノートブックのコードセルを上から順に 1 つの名前空間で実行します。そのとき ``set_seed(0)`` と
``default_rng(0)``（``--pattern`` で変えられる）の 0 を調べる種に置き換え、隠しセルの ``assert`` を
1 つずつ評価して、成り立たなかったものを記録します。最後に、assert ごとの成り立った回数と、
``--report`` の式の最小・中央値・最大を表示します。

使い方::

    .venv/bin/python scripts/sweep_seeds.py chapters/14_generative_models.ipynb --seeds 0-19 \\
        --skip 1,44,45 --stop 68 --report "final_cov.n_covered" --report "clf_acc"

``--skip`` には飛ばすセルの番号（0 から数える。動画を作るセルなど時間だけかかるもの）、
``--stop`` にはそこから先を実行しないセルの番号を渡します。図は描きますが、表示せずに閉じます。
"""

import argparse
import ast
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from IPython.core.inputtransformer2 import TransformerManager  # noqa: E402

DEFAULT_PATTERNS = ("set_seed({seed})", "default_rng({seed})")


def parse_seeds(text):
    """``"0-19"`` や ``"0,3,5"`` を種のリストにする。読めなければ ValueError。"""
    seeds = []
    for part in text.split(","):
        part = part.strip()
        try:
            if "-" in part:
                first, last = (int(v) for v in part.split("-"))
                if last < first:
                    raise ValueError
                seeds.extend(range(first, last + 1))
            else:
                seeds.append(int(part))
        except ValueError:
            raise ValueError(f"種の指定 {text!r} が読めません（例：0-19 や 0,3,5）") from None
    if any(seed < 0 for seed in seeds):
        raise ValueError(f"種は 0 以上の整数です：{text!r}")
    return seeds


def parse_cells(text):
    """``"1,44,45"`` をセル番号の集合にする（空文字列なら空の集合）。"""
    try:
        return {int(v) for v in text.split(",") if v.strip()}
    except ValueError:
        raise ValueError(f"セル番号の指定 {text!r} が読めません（例：1,44,45）") from None


def code_cells(path, skip=(), stop=None):
    """実行するコードセルを (番号, ソース, 隠しセルか) のリストで返す。"""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    selected = []
    for index, cell in enumerate(cells):
        if stop is not None and index >= stop:
            break
        if cell["cell_type"] != "code" or index in skip:
            continue
        hidden = "remove-cell" in cell.get("metadata", {}).get("tags", [])
        selected.append((index, "".join(cell["source"]), hidden))
    return selected


def with_seed(source, seed, patterns=DEFAULT_PATTERNS):
    """ソースの中の種 0 の呼び出し（patterns の {seed} が 0 のもの）を、種 seed に置き換える。"""
    for pattern in patterns:
        source = source.replace(pattern.format(seed=0), pattern.format(seed=seed))
    return source


def run_once(cells, seed, patterns=DEFAULT_PATTERNS, reports=()):
    """1 つの種でセルを実行し、(assert の結果のリスト, report の値のリスト) を返す。

    assert の結果は (セル番号, assert の式, 成り立ったか) の組です。
    """
    namespace = {"__name__": "__main__"}
    transform = TransformerManager().transform_cell
    results = []
    for index, source, hidden in cells:
        tree = ast.parse(transform(with_seed(source, seed, patterns)), filename=f"<セル {index}>")
        with contextlib.redirect_stdout(io.StringIO()):
            for node in tree.body:
                if hidden and isinstance(node, ast.Assert):
                    test = compile(ast.Expression(node.test), f"<セル {index}>", "eval")
                    results.append((index, ast.unparse(node.test), bool(eval(test, namespace))))
                else:
                    exec(compile(ast.Module([node], []), f"<セル {index}>", "exec"), namespace)
        plt.close("all")
    values = [float(eval(expr, namespace)) for expr in reports]
    return results, values


def summarize(all_results, all_values, reports):
    """assert ごとの成り立った回数と、report の最小・中央値・最大の行を返す。"""
    lines = []
    n = len(all_results)
    for k, (index, text, _) in enumerate(all_results[0]):
        passed = sum(results[k][2] for results in all_results)
        lines.append(f"{passed:>3}/{n}  セル {index}: assert {text}")
    for k, expr in enumerate(reports):
        column = [values[k] for values in all_values]
        lines.append(
            f"{expr}: 最小 {min(column):.4g}、中央値 {statistics.median(column):.4g}、"
            f"最大 {max(column):.4g}"
        )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--seeds", default="0-19", help="種（例：0-19、0,3,5）")
    parser.add_argument("--skip", default="", help="飛ばすセルの番号（例：1,44,45）")
    parser.add_argument("--stop", type=int, default=None, help="ここから先のセルは実行しない")
    parser.add_argument(
        "--pattern",
        action="append",
        help="種を置き換える呼び出し（{seed} を含む。既定は set_seed({seed}) と default_rng({seed})）",
    )
    parser.add_argument("--report", action="append", default=[], help="種ごとに表示する式")
    args = parser.parse_args(argv)
    seeds = parse_seeds(args.seeds)
    patterns = tuple(args.pattern) if args.pattern else DEFAULT_PATTERNS
    if any("{seed}" not in p for p in patterns):
        parser.error("--pattern には {seed} を含めてください")
    cells = code_cells(args.notebook, parse_cells(args.skip), args.stop)
    all_results, all_values = [], []
    for seed in seeds:
        start = time.perf_counter()
        results, values = run_once(cells, seed, patterns, args.report)
        all_results.append(results)
        all_values.append(values)
        failed = [f"セル {i}: {t}" for i, t, ok in results if not ok]
        shown = "  ".join(f"{e} = {v:.4g}" for e, v in zip(args.report, values, strict=True))
        print(
            f"種 {seed:>2}: {len(results) - len(failed)}/{len(results)} 成立  {shown}  "
            f"{time.perf_counter() - start:.0f} 秒" + "".join(f"\n    × {f}" for f in failed),
            flush=True,
        )
    print("\n".join(["", "--- まとめ ---", *summarize(all_results, all_values, args.report)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
