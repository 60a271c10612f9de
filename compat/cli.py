"""Command-line front end: ``tf1compat <command>``.

Only this module prints: results to stdout, progress and errors to stderr.
``main(argv)`` returns the exit code (0 clean, 1 a check failed, 2 usage,
123 an internal error), so tests can call it directly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import compat
from compat.unsupported import UNSUPPORTED

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 123

# The seed notebook's stacked example: batch 2, time 3, depth 6.
_SEED_INPUT = [
    [[1, 2, 3, 4, 3, 2], [1, 2, 1, 1, 1, 2], [1, 2, 2, 2, 2, 2]],
    [[1, 2, 3, 4, 3, 2], [3, 2, 2, 1, 1, 2], [0, 0, 0, 0, 3, 2]],
]


def _status(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_selfcheck(args: argparse.Namespace) -> int:
    """Run the seed notebook's two examples on the shim in graph and eager mode."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _status(f"tf1-compat {compat.__version__}: loading TensorFlow ...")
    import numpy as np
    import tensorflow as tf

    from compat import rnn

    compat.set_seed(args.seed)
    v1 = tf.compat.v1

    def single_cell() -> tuple[Any, Any]:
        cell = rnn.BasicLSTMCell(4, state_is_tuple=True)
        state = (tf.zeros([1, 4]),) * 2
        with v1.variable_scope("LSTM_sample1"):
            return cell(tf.constant([[3, 2, 2, 2, 2, 2]], tf.float32), state)

    def stacked(data: Any) -> tuple[Any, Any]:
        cell = rnn.MultiRNNCell([rnn.LSTMCell(4), rnn.LSTMCell(5)])
        return rnn.dynamic_rnn(cell, data, dtype=tf.float32)

    with tf.Graph().as_default(), v1.Session() as session:
        _, state = single_cell()
        data = v1.placeholder(tf.float32, [None, None, 6])
        stacked_output, _ = stacked(data)
        session.run(v1.global_variables_initializer())
        graph_single = session.run(state)
        graph_stacked = session.run(stacked_output, {data: _SEED_INPUT})
        names = [v.name for v in v1.global_variables()]
    v1.get_default_graph().clear_collection(("__varscope",))
    _, eager_state = single_cell()
    eager_stacked, _ = stacked(tf.constant(_SEED_INPUT, tf.float32))

    print("variables:", *names, sep="\n  ")
    print("single cell state (graph):", graph_single, sep="\n")
    print("stacked output (graph):", graph_stacked, sep="\n")

    problems = []
    if [a.shape for a in graph_single] != [(1, 4), (1, 4)]:
        problems.append(f"single-cell state shapes {[a.shape for a in graph_single]}")
    if graph_stacked.shape != (2, 3, 5):
        problems.append(f"stacked output shape {graph_stacked.shape}")
    eager_single = [np.asarray(t) for t in eager_state]
    if not all(
        np.allclose(g, e, rtol=1e-6, atol=1e-6)
        for g, e in zip(graph_single, eager_single)
    ):
        problems.append("single-cell state differs between graph and eager mode")
    if not np.allclose(graph_stacked, np.asarray(eager_stacked), rtol=1e-6, atol=1e-6):
        problems.append("stacked output differs between graph and eager mode")
    for problem in problems:
        _status(f"selfcheck: FAILED: {problem}")
    _status(
        "selfcheck: "
        + (
            "failed"
            if problems
            else f"ok (seed {args.seed}): shapes are TF1's and "
            "graph mode equals eager mode"
        )
    )
    return EXIT_FAILED if problems else EXIT_OK


def _run_limits(args: argparse.Namespace) -> int:
    """Print the TF1 features the toolkit does not provide."""
    del args
    for entry in UNSUPPORTED.values():
        print(f"- {entry.feature}: {entry.reason}.\n  Instead: {entry.workaround}.")
    return EXIT_OK


_COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "selfcheck": (
        "run the seed notebook's two examples on the shim (graph and eager mode)",
        _run_selfcheck,
    ),
    "limits": ("list the TF1 features tf1-compat does not provide", _run_limits),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tf1compat",
        description="Run TensorFlow 1 RNN code on TensorFlow 2.16+.",
    )
    parser.add_argument("--version", action="version", version=compat.__version__)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, _) in _COMMANDS.items():
        sub = commands.add_parser(name, help=help_text, description=help_text)
        if name == "selfcheck":
            sub.add_argument(
                "--seed",
                type=int,
                default=1234,
                help="seed of the shim's initial weights (default 1234)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    try:
        return _COMMANDS[args.command][1](args)
    except (ValueError, TypeError) as error:
        _status(f"tf1compat {args.command}: error: {error}")
        return EXIT_USAGE
    except Exception as error:
        _status(
            f"tf1compat {args.command}: internal error: "
            f"{type(error).__name__}: {error}\n"
            "This is a bug in tf1-compat; please report it with the command you ran "
            "and this message."
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
