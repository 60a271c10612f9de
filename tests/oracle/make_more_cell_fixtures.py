"""Record TF1's own BasicRNNCell and GRUCell numbers as fixtures for the shim's tests.

Run with the oracle environment (TensorFlow plus tf-keras, whose legacy RNN cells
are TF1's own code)::

    .venv-oracle/bin/python tests/oracle/make_more_cell_fixtures.py \\
        --out tests/rnn/fixtures_more_cells

The files have exactly the format of ``make_fixtures.py`` (see its docstring),
whose case runners, writer and checks are reused here; only the cells differ.
Cell specs add ``{"class": "BasicRNNCell" | "GRUCell", "kwargs": {...}}``
(inside ``MultiRNNCell`` specs too), where ``activation`` is a ``tf.nn``
function name and ``kernel_initializer``/``bias_initializer`` are
``{"class": "constant", "value": v}``. Every case uses random weights, loaded
over TF1's initial values, so the numbers do not depend on TF's initializers.

The contrib cells (``LSTMBlockCell``, ``GRUBlockCell``, ``LSTMBlockFusedCell``,
``LayerNormBasicLSTMCell``) have no TF1 oracle in tf-keras; their tests use a
NumPy reference and TensorFlow's block kernels instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# make_fixtures sets TF_USE_LEGACY_KERAS before TensorFlow is imported, and
# stops with a message when tf-keras is missing.
sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as base
import tensorflow as tf
import tf_keras

REPO_ROOT = base.REPO_ROOT
DEFAULT_OUT = REPO_ROOT / "tests" / "rnn" / "fixtures_more_cells"

Spec = dict[str, Any]

_ACTIVATIONS: dict[str, Callable[[tf.Tensor], tf.Tensor]] = {
    "tanh": tf.nn.tanh,
    "relu": tf.nn.relu,
    "sigmoid": tf.nn.sigmoid,
}
_INITIALIZER_ARGS = ("kernel_initializer", "bias_initializer")
_LSTM_CLASSES = frozenset({"BasicLSTMCell", "LSTMCell"})


def basic_rnn(num_units: int, **kwargs: Any) -> Spec:
    """Spec of a ``BasicRNNCell``.

    Args:
        num_units: Cell size.
        **kwargs: Further JSON-able constructor arguments.

    Returns:
        The cell spec.
    """
    return {"class": "BasicRNNCell", "kwargs": {"num_units": num_units, **kwargs}}


def gru(num_units: int, **kwargs: Any) -> Spec:
    """Spec of a ``GRUCell``.

    Args:
        num_units: Cell size.
        **kwargs: Further JSON-able constructor arguments.

    Returns:
        The cell spec.
    """
    return {"class": "GRUCell", "kwargs": {"num_units": num_units, **kwargs}}


def build_cell(spec: Spec) -> Any:
    """Construct TF1's cell from a spec, these classes and make_fixtures' alike.

    Args:
        spec: A cell spec as described in the module docstring.

    Returns:
        The cell object.
    """
    if spec["class"] in _LSTM_CLASSES:
        return _build_lstm(spec)
    kwargs = dict(spec["kwargs"])
    if spec["class"] == "MultiRNNCell":
        return base.rnn_cell.MultiRNNCell(
            [build_cell(s) for s in spec["cells"]], **kwargs
        )
    if "activation" in kwargs:
        kwargs["activation"] = _ACTIVATIONS[kwargs["activation"]]
    for key in _INITIALIZER_ARGS:
        if key in kwargs:
            init = kwargs[key]
            if init["class"] != "constant":
                raise ValueError(f"unknown initializer spec {init!r}")
            kwargs[key] = base.v1.constant_initializer(init["value"])
    classes = {
        "BasicRNNCell": base.rnn_cell.BasicRNNCell,
        "GRUCell": base.rnn_cell.GRUCell,
    }
    return classes[spec["class"]](**kwargs)


# make_fixtures' runners build cells through its module-level build_cell; the
# original is kept for the LSTM classes and the runners get this one.
_build_lstm = base.build_cell
base.build_cell = build_cell


def _cases() -> list[base.Case]:
    Case = base.Case
    short = (3, 1, 2)
    partial = (5, 2, 0)
    call = base._call_setup
    gru_rnn = base.multi(gru(4), basic_rnn(3))
    gru_lstm = base.multi(gru(4), base.lstm(5, use_peepholes=True))
    cases = [
        # BasicRNNCell.
        Case("dyn_basic_rnn_b3_t5", basic_rnn(4)),
        Case(
            "dyn_basic_rnn_relu_seqlen_ph",
            basic_rnn(4, activation="relu"),
            sequence_length=partial,
            placeholder=True,
        ),
        Case(
            "dyn_basic_rnn_init_seqlen_short_tm",
            basic_rnn(5),
            sequence_length=short,
            use_initial_state=True,
            time_major=True,
        ),
        Case(
            "call_basic_rnn_scope_arg",
            basic_rnn(4),
            kind="cell_call",
            scope_setup=call(call_scope="my_scope"),
        ),
        # GRUCell.
        Case("dyn_gru_b3_t5", gru(4)),
        Case("dyn_gru_b1_t1_ph", gru(4), batch=1, time=1, placeholder=True),
        Case(
            "dyn_gru_seqlen_ph_tm",
            gru(4),
            sequence_length=partial,
            placeholder=True,
            time_major=True,
        ),
        Case(
            "dyn_gru_init_seqlen_short",
            gru(5),
            sequence_length=short,
            use_initial_state=True,
        ),
        Case(
            "dyn_gru_seqlen_zero_only_b1_init",
            gru(3),
            batch=1,
            time=3,
            sequence_length=(0,),
            use_initial_state=True,
        ),
        Case(
            "dyn_gru_relu_initializers",
            gru(
                4,
                activation="relu",
                kernel_initializer={"class": "constant", "value": 0.1},
                bias_initializer={"class": "constant", "value": 0.2},
            ),
        ),
        Case(
            "dyn_gru_float64_seqlen_init",
            gru(5),
            sequence_length=partial,
            use_initial_state=True,
            dtype="float64",
        ),
        Case("dyn_gru_scope_encoder_ph", gru(4), placeholder=True, scope="encoder"),
        Case(
            "call_gru_twice_reuse",
            gru(4),
            kind="cell_call",
            scope_setup=call(outer_scope="steps", call_cells=(0, 0)),
        ),
        Case(
            "call_two_gru_same_scope",
            gru(3),
            kind="cell_call",
            scope_setup=call(outer_scope="GRU_sample", call_cells=(0, 1)),
        ),
        # MultiRNNCell.
        Case(
            "dyn_multi_gru_basic_rnn_seqlen_ph",
            gru_rnn,
            depth=6,
            sequence_length=partial,
            placeholder=True,
        ),
        Case(
            "dyn_multi_gru_lstm_peep_init_tm",
            gru_lstm,
            depth=2,
            use_initial_state=True,
            time_major=True,
        ),
        Case(
            "call_multi_gru_basic_rnn",
            gru_rnn,
            kind="cell_call",
            depth=6,
            scope_setup=call(),
        ),
    ]
    return sorted(cases, key=lambda case: case.name)


def _check_oracle() -> None:
    # Guards against a TF install where the v1 cells are not TF1's own code.
    rnn_cell = base.rnn_cell
    for cls in (rnn_cell.BasicRNNCell, rnn_cell.GRUCell, rnn_cell.MultiRNNCell):
        if not cls.__module__.startswith("tf_keras."):
            raise SystemExit(
                f"{cls.__name__} comes from {cls.__module__}, not tf_keras; is "
                "TF_USE_LEGACY_KERAS=1 honoured?"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Generate all fixtures.

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
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate case names")
    metas = []
    for case in cases:
        runner = (
            base.run_cell_call if case.kind == "cell_call" else base.run_dynamic_rnn
        )
        metas.append(base.write_case(out, runner(case, None)))
    base._remove_stale(out, {m["file"] for m in metas})
    index = {
        "tensorflow_version": tf.__version__,
        "tf_keras_version": tf_keras.__version__,
        "cases": metas,
    }
    (out / "cases.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    print(base.summarize(out, metas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
