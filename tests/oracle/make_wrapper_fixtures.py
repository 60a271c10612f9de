"""Record TF1's own numbers for the RNN cell wrappers, as fixtures for the shim.

Run with the oracle environment (TensorFlow plus tf-keras, whose legacy
``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper`` are TF1's own
code)::

    .venv-oracle/bin/python tests/oracle/make_wrapper_fixtures.py

It writes ``tests/rnn/fixtures_wrappers/`` in the format of
``tests/oracle/make_fixtures.py`` (whose helpers it uses), with these
differences:

- Cell specs nest: ``{"class": "DropoutWrapper" | "ResidualWrapper" |
  "DeviceWrapper", "cell": spec, "kwargs": {...}}`` wraps ``spec``;
  ``MultiRNNCell`` specs may hold wrapper specs. A keep probability given as
  ``{"placeholder": NAME}`` is ``placeholder_with_default(1.0, [], name=NAME)``,
  one placeholder per name; ``dtype`` is a dtype name.
- Every graph gets ``tf.compat.v1.set_random_seed(graph_seed)`` before the cell
  is made, so dropout masks with a wrapper ``seed`` are reproducible.
- ``parallel_iterations`` is recorded and passed to ``dynamic_rnn``: with
  per-step dropout masks it is 1, because with parallel iterations TF1 draws
  the masks of different steps in whatever order the iterations run.
- ``runs``: one feed per ``Session.run`` (placeholder name to value; an empty
  feed leaves each placeholder at its default). Run ``k`` (from 1) stores
  ``output``/``state/<i>`` for k = 1, ``output<k>``/``state<k>/<i>`` after.
- ``cell_call`` cases call the cell ``calls`` times on the same input, each
  call from the state the previous returned (the first from
  ``initial_state/<i>``), and store call ``k``'s results like run ``k``'s.
- ``random``: whether any dropout mask is drawn (keep probability below 1 or
  fed); ``random`` cases are only comparable in v1 graph mode.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

# make_fixtures sets TF_USE_LEGACY_KERAS before TensorFlow is first imported.
import make_fixtures as base
import numpy as np
import tensorflow as tf
import tf_keras

DEFAULT_OUT = base.REPO_ROOT / "tests" / "rnn" / "fixtures_wrappers"
GRAPH_SEED = 1234

v1 = tf.compat.v1
rnn_cell = v1.nn.rnn_cell

Spec = dict[str, Any]
_WRAPPERS = ("DropoutWrapper", "ResidualWrapper", "DeviceWrapper")


def dropout(cell: Spec, **kwargs: Any) -> Spec:
    """Spec of a ``DropoutWrapper`` around ``cell``."""
    return {"class": "DropoutWrapper", "cell": cell, "kwargs": kwargs}


def residual(cell: Spec) -> Spec:
    """Spec of a ``ResidualWrapper`` around ``cell``."""
    return {"class": "ResidualWrapper", "cell": cell, "kwargs": {}}


def device(cell: Spec, name: str = "/cpu:0") -> Spec:
    """Spec of a ``DeviceWrapper`` around ``cell``."""
    return {"class": "DeviceWrapper", "cell": cell, "kwargs": {"device": name}}


@dataclass(frozen=True)
class WrapperCase:
    """One fixture: what to build and how to feed it."""

    name: str
    cell: Spec
    kind: str = "dynamic_rnn"
    batch: int = 3
    time: int = 5
    depth: int = 3
    dtype: str = "float32"
    sequence_length: tuple[int, ...] | None = None
    scope: str | None = None
    parallel_iterations: int = 32
    runs: tuple[dict[str, float], ...] = ({},)
    calls: int = 1
    random: bool = True
    weights: str = "random"


def _cases() -> list[WrapperCase]:
    lstm4 = base.lstm(4)
    probs = {"input_keep_prob": 0.6, "output_keep_prob": 0.7, "state_keep_prob": 0.8}
    keep_prob = {"placeholder": "keep_prob"}
    cases = [
        # DropoutWrapper.
        WrapperCase(
            "dyn_dropout_keep1_lstm",
            dropout(
                lstm4, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0
            ),
            random=False,
        ),
        WrapperCase(
            "dyn_dropout_keep1_default_basic_seqlen",
            dropout(base.basic(4)),
            sequence_length=(5, 2, 0),
            random=False,
        ),
        WrapperCase(
            "dyn_dropout_all_seed_lstm",
            dropout(lstm4, seed=3, **probs),
            time=8,
            parallel_iterations=1,
        ),
        WrapperCase(
            "dyn_dropout_state_seed_basic_seqlen",
            dropout(base.basic(4), state_keep_prob=0.5, seed=11),
            sequence_length=(5, 2, 0),
            parallel_iterations=1,
        ),
        WrapperCase(
            "dyn_dropout_variational_lstm",
            dropout(
                lstm4,
                seed=7,
                variational_recurrent=True,
                input_size=3,
                dtype="float32",
                **probs,
            ),
            time=8,
        ),
        WrapperCase(
            "dyn_dropout_variational_float64_proj",
            dropout(
                base.lstm(5, num_proj=3),
                seed=4,
                output_keep_prob=0.5,
                state_keep_prob=0.5,
                variational_recurrent=True,
                dtype="float64",
            ),
            dtype="float64",
        ),
        WrapperCase(
            "dyn_dropout_placeholder_keep_prob_lstm",
            dropout(
                lstm4, input_keep_prob=keep_prob, output_keep_prob=keep_prob, seed=5
            ),
            parallel_iterations=1,
            runs=({"keep_prob": 0.5}, {}),
        ),
        WrapperCase(
            "dyn_dropout_around_multi",
            dropout(
                base.multi(base.lstm(4), base.lstm(5)),
                output_keep_prob=0.8,
                state_keep_prob=0.6,
                seed=9,
            ),
            depth=6,
            parallel_iterations=1,
        ),
        WrapperCase(
            "dyn_multi_of_dropout_layers_scope",
            base.multi(
                dropout(base.lstm(4), output_keep_prob=0.7, seed=1),
                dropout(base.basic(5), state_keep_prob=0.6, seed=2),
            ),
            depth=6,
            scope="encoder",
            parallel_iterations=1,
        ),
        # ResidualWrapper and DeviceWrapper.
        WrapperCase("dyn_residual_lstm", residual(base.lstm(3)), random=False),
        WrapperCase(
            "dyn_multi_of_residual_layers",
            base.multi(residual(base.basic(3)), residual(base.lstm(3))),
            random=False,
        ),
        WrapperCase(
            "dyn_device_cpu_lstm_scope",
            device(lstm4),
            scope="encoder",
            random=False,
        ),
        WrapperCase(
            "dyn_dropout_residual_device_basic",
            dropout(residual(device(base.basic(3))), output_keep_prob=0.5, seed=13),
            parallel_iterations=1,
        ),
        # Single steps: no loop, so even input masks are reproducible.
        WrapperCase(
            "call_dropout_two_calls_lstm",
            dropout(
                lstm4,
                input_keep_prob=0.5,
                output_keep_prob=0.5,
                state_keep_prob=0.5,
                seed=21,
            ),
            kind="cell_call",
            calls=2,
        ),
        WrapperCase(
            "call_device_residual_basic",
            device(residual(base.basic(3))),
            kind="cell_call",
            random=False,
        ),
    ]
    return sorted(cases, key=lambda case: case.name)


class _Builder:
    """Builds TF1's cells from specs, making keep-probability placeholders once."""

    def __init__(self) -> None:
        self.placeholders: dict[str, tf.Tensor] = {}

    def _value(self, value: Any) -> Any:
        if isinstance(value, dict) and "placeholder" in value:
            name = value["placeholder"]
            if name not in self.placeholders:
                self.placeholders[name] = v1.placeholder_with_default(
                    1.0, [], name=name
                )
            return self.placeholders[name]
        return value

    def build(self, spec: Spec) -> Any:
        if spec["class"] == "MultiRNNCell":
            cells = [self.build(s) for s in spec["cells"]]
            return rnn_cell.MultiRNNCell(cells, **spec["kwargs"])
        if spec["class"] not in _WRAPPERS:
            return base.build_cell(spec)
        kwargs = {k: self._value(v) for k, v in spec["kwargs"].items()}
        if "dtype" in kwargs:
            kwargs["dtype"] = tf.as_dtype(kwargs["dtype"])
        return getattr(rnn_cell, spec["class"])(self.build(spec["cell"]), **kwargs)


def _data_rng(name: str) -> np.random.Generator:
    return np.random.default_rng([zlib.crc32(name.encode("utf-8")), 1])


def _store(
    arrays: dict[str, Any], k: int, output: Any, flat_state: Sequence[Any]
) -> None:
    suffix = "" if k == 0 else str(k + 1)
    arrays[f"output{suffix}"] = output
    for i, value in enumerate(flat_state):
        arrays[f"state{suffix}/{i}"] = value


def run_case(case: WrapperCase) -> dict[str, Any]:
    """Build and run one case in a fresh graph.

    Args:
        case: The case.

    Returns:
        The npz arrays by key, with ``meta`` as a dict.
    """
    tf_dtype = tf.as_dtype(case.dtype)
    np_dtype = tf_dtype.as_numpy_dtype
    rng = _data_rng(case.name)
    arrays: dict[str, Any] = {}
    graph = tf.Graph()
    with graph.as_default():
        v1.set_random_seed(GRAPH_SEED)
        builder = _Builder()
        cell = builder.build(case.cell)
        meta: dict[str, Any] = {}
        if case.kind == "dynamic_rnn":
            x = rng.uniform(-2.0, 2.0, (case.batch, case.time, case.depth))
            arrays["input"] = x.astype(np_dtype)
            kwargs: dict[str, Any] = {
                "dtype": tf_dtype,
                "scope": case.scope,
                "parallel_iterations": case.parallel_iterations,
            }
            if case.sequence_length is not None:
                seq = np.asarray(case.sequence_length, np.int32)
                arrays["sequence_length"] = seq
                kwargs["sequence_length"] = tf.constant(seq)
            output, state = v1.nn.dynamic_rnn(
                cell, tf.constant(arrays["input"]), **kwargs
            )
            results = [(output, state)]
        else:
            x = rng.uniform(-2.0, 2.0, (case.batch, case.depth)).astype(np_dtype)
            arrays["input"] = x
            sizes = [int(s) for s in tf.nest.flatten(cell.state_size)]
            init = [
                rng.uniform(-1.0, 1.0, (case.batch, s)).astype(np_dtype) for s in sizes
            ]
            for i, value in enumerate(init):
                arrays[f"initial_state/{i}"] = value
            state = tf.nest.pack_sequence_as(
                cell.state_size, [tf.constant(a) for a in init]
            )
            meta["initial_state_structure"] = base.state_structure(state)
            inputs = tf.constant(x)
            results = []
            for _ in range(case.calls):
                output, state = cell(inputs, state)
                results.append((output, state))
        fetches = [(o, tf.nest.flatten(s)) for o, s in results]
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            weights = base.set_weights(case, sess, None)
            values = []
            for run in case.runs:
                feed = {builder.placeholders[k]: v for k, v in run.items()}
                values.extend(sess.run(fetches, feed_dict=feed))
        for k, (out_v, state_v) in enumerate(values):
            _store(arrays, k, out_v, state_v)
        output, state = results[0]
        meta.update(
            name=case.name,
            kind=case.kind,
            cell=case.cell,
            dtype=case.dtype,
            batch=case.batch,
            time=case.time if case.kind == "dynamic_rnn" else None,
            depth=case.depth,
            use_sequence_length=case.sequence_length is not None,
            scope=case.scope,
            graph_seed=GRAPH_SEED,
            parallel_iterations=case.parallel_iterations,
            runs=list(case.runs),
            calls=case.calls,
            random=case.random,
            weights=case.weights,
            state_structure=base.state_structure(state),
            static_output_shape=base.static_shape(output),
            static_state_shapes=[base.static_shape(t) for t in tf.nest.flatten(state)],
            variable_names=[v.name for v in v1.global_variables()],
            variable_shapes=[v.shape.as_list() for v in v1.global_variables()],
        )
    for name, value in weights.items():
        arrays[f"var/{name}"] = value
    arrays["meta"] = meta
    return arrays


def _check_oracle() -> None:
    # Guards against a TF install where the v1 wrappers are not TF1's own code.
    for name in (*_WRAPPERS, "LSTMCell", "BasicLSTMCell", "MultiRNNCell"):
        cls = getattr(rnn_cell, name)
        if not cls.__module__.startswith("tf_keras."):
            raise SystemExit(
                f"{name} comes from {cls.__module__}, not tf_keras; is "
                "TF_USE_LEGACY_KERAS=1 honoured?"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Generate all wrapper fixtures.

    Args:
        argv: Command-line arguments without the program name.

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    _check_oracle()
    warnings.filterwarnings("ignore")
    tf.get_logger().setLevel("ERROR")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    cases = _cases()
    if len({c.name for c in cases}) != len(cases):
        raise SystemExit("duplicate case names")
    metas = [base.write_case(out, run_case(case)) for case in cases]
    index_path = out / "cases.json"
    if index_path.exists():
        kept = {m["file"] for m in metas}
        for old in json.loads(index_path.read_text())["cases"]:
            stale = out / old["file"]
            if old["file"] not in kept and stale.exists():
                stale.unlink()
    index = {
        "tensorflow_version": tf.__version__,
        "tf_keras_version": tf_keras.__version__,
        "cases": metas,
    }
    index_path.write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    print(base.summarize(out, metas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
