"""ノートブックを新しいカーネルで上から順に実行し、出力ごと保存し直す（著者用）。

保存されたノートブックはいつも「一度のきれいな実行」の結果にします。手で出力を
直したり、一部のセルだけ再実行したりしないでください。

使い方::

    .venv/bin/python scripts/execute_notebooks.py                 # chapters/ のすべて
    .venv/bin/python scripts/execute_notebooks.py chapters/01_perceptron.ipynb
"""

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path, timeout):
    """path のノートブックを実行して上書きし、かかった秒数を返す。"""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.metadata.pop("execution", None)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,  # ipywidgets の Output に必要。保存前に消す
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="省略すると chapters/*.ipynb")
    parser.add_argument("--timeout", type=int, default=1200, help="1 セルの制限時間（秒）")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "chapters").glob("*.ipynb"))
    for path in paths:
        elapsed = execute(path.resolve(), args.timeout)
        print(f"{path}: {elapsed:.1f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
