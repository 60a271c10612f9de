"""dynamic_rnn speed, side by side in one run: the shim, TF1's own, Keras 3.

Each configuration (size x layers x pass) is timed for:

* ``shim graph``: compat.rnn.dynamic_rnn in a v1 graph, run by a Session, on
  the path it picks by itself (printed after the name);
* ``shim eager``: the same called eagerly (its loop runs as one tf.function);
* ``shim graph ref`` / ``shim eager ref``: the same on the reference path
  (TF1's op order, ``compat.rnn.rnn_path("reference")``);
* ``tf1 graph``: TF1's own dynamic_rnn with TF1's own LSTMCell (tf-keras'
  legacy cells, in the oracle environment, in its own process); skipped with
  a note when that environment is absent;
* ``keras tf.function``: keras.layers.LSTM (stacked) inside tf.function.

It prints medians, the ratio of each to TF1's path (>1 is faster), the
achieved GFLOP/s against a GEMM rate measured in the same run (one matmul of
the size the LSTM does per step, batched over time) and peak resident memory
of the forward+backward pass, each variant in its own process.

    python benchmarks/rnn_speed.py [--sizes tiny,medium] [--repeats 20]
    python benchmarks/rnn_speed.py --smoke        # seconds; for CI
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = {
    "tiny": (2, 3, 6, 5),
    "medium": (32, 50, 64, 128),
    "large": (64, 200, 256, 512),
}
VARIANTS = (
    "shim graph",
    "shim eager",
    "shim graph ref",
    "shim eager ref",
    "tf1 graph",
    "keras tf.function",
)


def _flops(batch: int, time_: int, depth: int, units: int, layers: int) -> float:
    """Multiply-adds of the LSTM matmuls, counted as 2 flops each."""
    total = 0.0
    for layer in range(layers):
        in_depth = depth if layer == 0 else units
        total += 2.0 * batch * time_ * (in_depth + units) * 4 * units
    return total


def _measure(
    variant: str, size: str, layers: int, backward: bool, repeats: int
) -> dict[str, Any]:
    """Runs in a child process: build, warm up, time; return medians and memory."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if variant == "tf1 graph":
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
    import resource

    import numpy as np
    import tensorflow as tf

    reference = variant.endswith(" ref")
    variant = variant.removesuffix(" ref")
    if variant.startswith("shim"):
        from compat.rnn import set_rnn_path

        set_rnn_path("reference" if reference else "auto")
    batch, time_, depth, units = SIZES[size]
    data = (
        np.random.default_rng(0)
        .standard_normal((batch, time_, depth))
        .astype(np.float32)
    )
    v1 = tf.compat.v1

    if variant in ("shim graph", "tf1 graph"):
        if variant == "shim graph":
            from compat.rnn import LSTMCell, MultiRNNCell, dynamic_rnn
        else:
            LSTMCell = v1.nn.rnn_cell.LSTMCell
            MultiRNNCell = v1.nn.rnn_cell.MultiRNNCell
            dynamic_rnn = v1.nn.dynamic_rnn
        graph = tf.Graph()
        with graph.as_default():
            x = v1.placeholder(tf.float32, [None, None, depth])
            cells = [LSTMCell(units) for _ in range(layers)]
            cell = cells[0] if layers == 1 else MultiRNNCell(cells)
            out, _ = dynamic_rnn(cell, x, dtype=tf.float32)
            target = tf.reduce_sum(out)
            if backward:
                target = tf.gradients(target, v1.trainable_variables())
            session = v1.Session(graph=graph)
            session.run(v1.global_variables_initializer())

        def step() -> None:
            session.run(target, {x: data})

    elif variant == "shim eager":
        from compat.rnn import LSTMCell, MultiRNNCell, dynamic_rnn

        cells = [LSTMCell(units) for _ in range(layers)]
        cell = cells[0] if layers == 1 else MultiRNNCell(cells)
        x_eager = tf.constant(data)

        def step() -> None:
            if backward:
                with tf.GradientTape() as tape:
                    out, _ = dynamic_rnn(cell, x_eager, dtype=tf.float32)
                    total = tf.reduce_sum(out)
                tape.gradient(total, cell.trainable_variables)
            else:
                dynamic_rnn(cell, x_eager, dtype=tf.float32)[0].numpy()

    else:
        import keras

        model = keras.Sequential(
            [keras.Input((None, depth))]
            + [keras.layers.LSTM(units, return_sequences=True) for _ in range(layers)]
        )
        x_eager = tf.constant(data)

        @tf.function
        def forward() -> Any:
            return tf.reduce_sum(model(x_eager))

        @tf.function
        def forward_backward() -> Any:
            with tf.GradientTape() as tape:
                total = tf.reduce_sum(model(x_eager))
            return tape.gradient(total, model.trainable_variables)

        run = forward_backward if backward else forward

        def step() -> None:
            tf.nest.map_structure(lambda t: t.numpy(), run())

    if size == "large":  # a second per call: fewer runs still give a median
        repeats = min(repeats, 5)
    for _ in range(2 if size == "large" else 3):
        step()
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        samples.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = ""
    if variant.startswith("shim"):
        path = "reference" if reference else _path_of(depth, units, batch, layers)
    return {
        "median": statistics.median(samples),
        "peak_mb": peak_kb / 1024,
        "path": path,
    }


def _path_of(depth: int, units: int, batch: int, layers: int) -> str:
    """The path the shim picks for this configuration (read off a new graph)."""
    import tensorflow as tf

    from compat.rnn import LSTMCell, MultiRNNCell, dynamic_rnn

    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [batch, None, depth])
        cells = [LSTMCell(units) for _ in range(layers)]
        dynamic_rnn(
            cells[0] if layers == 1 else MultiRNNCell(cells), x, dtype=tf.float32
        )
        types = {op.type for op in graph.get_operations()}
    if "BlockLSTM" in types:
        return "fused"
    # The hoisted path has a matmul before the loop or a custom gradient.
    return "hoisted" if types & {"MatMul", "IdentityN"} else "reference"


def _gemm_rate(size: str, repeats: int) -> float:
    """GFLOP/s of one [batch*time, depth+units] x [depth+units, 4*units] matmul."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    batch, time_, depth, units = SIZES[size]
    a = tf.random.stateless_normal([batch * time_, depth + units], seed=[1, 2])
    b = tf.random.stateless_normal([depth + units, 4 * units], seed=[3, 4])
    matmul = tf.function(lambda: tf.matmul(a, b))
    for _ in range(3):
        matmul().numpy()
    samples = []
    for _ in range(max(repeats, 5)):
        start = time.perf_counter()
        matmul().numpy()
        samples.append(time.perf_counter() - start)
    return (
        2.0
        * batch
        * time_
        * (depth + units)
        * 4
        * units
        / statistics.median(samples)
        / 1e9
    )


def _device_line() -> str:
    """TensorFlow's version and the GPUs it sees (it uses them when present)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import tensorflow as tf; "
            "print(tf.__version__, len(tf.config.list_physical_devices('GPU')))",
        ],
        capture_output=True,
        text=True,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"),
        check=False,
    )
    try:
        version, gpus = done.stdout.split()
    except ValueError:
        return "TensorFlow version unknown"
    return f"TensorFlow {version}, " + (f"{gpus} GPU(s)" if gpus != "0" else "CPU only")


def _child(args: list[str], python: str) -> dict[str, Any] | None:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [python, __file__, "--child", json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        print(
            f"  ({args[0]} failed: {done.stderr.strip().splitlines()[-1:]})",
            file=sys.stderr,
        )
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="tiny,medium")
    parser.add_argument("--layers", default="1,2")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="tiny size, few repeats")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        spec = json.loads(args.child)
        if spec[0] == "gemm":
            print(json.dumps({"gflops": _gemm_rate(spec[1], spec[2])}))
        else:
            print(json.dumps(_measure(*spec)))
        return

    if args.smoke:
        args.sizes, args.layers, args.repeats = "tiny", "1", 3
    oracle = os.environ.get("TF1COMPAT_ORACLE_PYTHON") or str(
        ROOT / ".venv-oracle" / "bin" / "python"
    )
    have_oracle = Path(oracle).exists()
    if not have_oracle:
        print(
            "note: no tf-keras environment (TF1COMPAT_ORACLE_PYTHON or .venv-oracle); "
            "TF1's path is skipped and ratios are to the shim's graph path"
        )
    import platform

    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {_device_line()}"
    )
    header = (
        f"{'size':7} {'layers':6} {'pass':8} {'variant':18} {'median ms':>10} "
        f"{'vs tf1':>7} {'GFLOP/s':>8} {'% GEMM':>7} {'peak MB':>8}"
    )
    print(header)
    for size in args.sizes.split(","):
        gemm = _child(["gemm", size, args.repeats], sys.executable)
        if gemm:
            print(f"{size}: GEMM rate {gemm['gflops']:.1f} GFLOP/s")
        for layers in (int(n) for n in args.layers.split(",")):
            for backward in (False, True):
                results: dict[str, dict[str, Any] | None] = {}
                for variant in VARIANTS:
                    if variant == "tf1 graph" and not have_oracle:
                        results[variant] = None
                        continue
                    python = oracle if variant == "tf1 graph" else sys.executable
                    results[variant] = _child(
                        [variant, size, layers, backward, args.repeats], python
                    )
                base = results.get("tf1 graph") or results.get("shim graph")
                flops = _flops(*SIZES[size], layers) * (3 if backward else 1)
                for variant, result in results.items():
                    if result is None:
                        continue
                    ratio = base["median"] / result["median"] if base else float("nan")
                    rate = flops / result["median"] / 1e9
                    # At the tiny size call overhead dominates: no GEMM share.
                    share = (
                        100 * rate / gemm["gflops"]
                        if gemm and size != "tiny"
                        else float("nan")
                    )
                    name = variant
                    if result["path"] and not variant.endswith(" ref"):
                        name = f"{variant} ({result['path']})"
                    print(
                        f"{size:7} {layers:<6} {'fwd+bwd' if backward else 'fwd':8} "
                        f"{name:26} {result['median'] * 1000:10.3f} {ratio:7.2f} "
                        f"{rate:8.2f} {share:6.1f}% "
                        f"{result['peak_mb']:8.0f}"
                    )
    print("ratios: TF1 time / variant time (>1 means faster than TF1's dynamic_rnn)")


if __name__ == "__main__":
    main()
