"""What the TF1 environment adds to ``import tensorflow``, side by side.

Each variant runs in a fresh Python process (an import is cached after the
first time), several times; the table shows medians and the difference from
plain ``import tensorflow``.

    python benchmarks/import_overhead.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

VARIANTS = {
    "import tensorflow": "import tensorflow",
    "install() + import tensorflow": (
        "import compat.legacy as l; l.install(); import tensorflow as tf"
    ),
    "install() + tf.contrib.rnn": (
        "import compat.legacy as l; l.install(); import tensorflow as tf; "
        "tf.contrib.rnn.BasicLSTMCell"
    ),
}


def _time_once(code: str) -> float:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    timed = (
        "import time; _t = time.perf_counter(); "
        f"{code}; print(time.perf_counter() - _t)"
    )
    done = subprocess.run(
        [sys.executable, "-c", timed],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    _time_once("import tensorflow")  # warm the file cache
    medians: dict[str, float] = {}
    started = time.perf_counter()
    for name, code in VARIANTS.items():
        medians[name] = statistics.median(_time_once(code) for _ in range(args.runs))
    base = medians["import tensorflow"]
    print(f"{'variant':34} {'median s':>9} {'added s':>8} {'ratio':>6}")
    for name, value in medians.items():
        print(f"{name:34} {value:9.3f} {value - base:8.3f} {value / base:6.2f}")
    print(f"({args.runs} runs each, {time.perf_counter() - started:.0f} s in all)")


if __name__ == "__main__":
    main()
