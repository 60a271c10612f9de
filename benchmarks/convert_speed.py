"""Notebooks converted per second, one core, side by side with tf_upgrade_v2.

The input is a typical 20-code-cell TF1 notebook built from the bundled seed
notebook's code cells (repeated to 20) plus markdown. Both tools convert the
same notebook text in this process, one after the other; the table gives the
median time per notebook and the rate. tf_upgrade_v2 ships with TensorFlow
(``tensorflow.tools.compatibility``); it is skipped with a note if absent.

    python benchmarks/convert_speed.py [--repeats 30]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from compat.convert.notebook import convert_notebook_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "legacy_notebooks" / "lstm_basics.ipynb"


def typical_notebook() -> str:
    seed = nbformat.read(SEED, as_version=4)
    code = [c for c in seed.cells if c.cell_type == "code"]
    notebook = nbformat.v4.new_notebook()
    for index in range(20):
        notebook.cells.append(nbformat.v4.new_markdown_cell(f"## Step {index}"))
        notebook.cells.append(nbformat.v4.new_code_cell(code[index % len(code)].source))
    return nbformat.writes(notebook)


def time_per_call(function: Callable[[], object], repeats: int) -> float:
    function()  # warm caches and imports
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def tf_upgrade_v2_runner(text: str, scratch: Path) -> Callable[[], object] | None:
    try:
        from tensorflow.tools.compatibility import ast_edits, ipynb, tf_upgrade_v2
    except ImportError:
        return None
    upgrader = ast_edits.ASTCodeUpgrader(tf_upgrade_v2.TFAPIChangeSpec())
    source = scratch / "in.ipynb"
    source.write_text(text, encoding="utf-8")

    def run() -> object:
        # It prints progress to stdout; keep the table readable.
        with contextlib.redirect_stdout(io.StringIO()):
            return ipynb.process_file(str(source), str(scratch / "out.ipynb"), upgrader)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    text = typical_notebook()
    cells = len(json.loads(text)["cells"])

    rows: list[tuple[str, float | None, str]] = []
    ours = time_per_call(
        lambda: convert_notebook_text(text, "typical.ipynb"), args.repeats
    )
    rows.append(("tf1compat convert (compat target)", ours, ""))
    with tempfile.TemporaryDirectory() as scratch:
        runner = tf_upgrade_v2_runner(text, Path(scratch))
        if runner is None:
            rows.append(("tf_upgrade_v2", None, "not installed"))
        else:
            rows.append(
                (
                    "tf_upgrade_v2 (renames only)",
                    time_per_call(runner, args.repeats),
                    "",
                )
            )

    print(f"notebook: {cells} cells (20 code), {args.repeats} runs each, median")
    print(f"{'tool':36} {'ms/notebook':>12} {'notebooks/s':>12} {'vs ours':>8}")
    for name, seconds, note in rows:
        if seconds is None:
            print(f"{name:36} {'-':>12} {'-':>12} {'':>8}  {note}")
            continue
        print(
            f"{name:36} {seconds * 1000:12.1f} {1 / seconds:12.1f} "
            f"{seconds / ours:8.2f}"
        )


if __name__ == "__main__":
    main()
