"""Replay an oracle fixture case through the shim.

A fixture (written by tests/oracle/make_fixtures.py from TF1's own cells)
describes a cell, how it was called, TF1's variable names, static shapes and
numbers. ``replay`` rebuilds the same program on ``compat.rnn`` in one of three
modes and returns what the shim produced, for the tests to compare.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

import compat
from compat import rnn

v1 = tf.compat.v1

# "graph-tf1-shapes" is v1 graph mode with TF1's TensorShape (Dimension
# objects, printed as ?), as the TF1 environment runs legacy code.
MODES = ("graph", "graph-tf1-shapes", "eager", "function")

_ACTIVATIONS = {"tanh": tf.tanh, "relu": tf.nn.relu}


@dataclass
class Case:
    """One fixture: its description and arrays."""

    meta: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @property
    def name(self) -> str:
        return str(self.meta["name"])

    def flat(self, prefix: str) -> list[np.ndarray]:
        count = sum(1 for key in self.arrays if key.startswith(prefix + "/"))
        return [self.arrays[f"{prefix}/{i}"] for i in range(count)]


@dataclass
class Result:
    """What the shim produced for a case."""

    variable_names: list[str]
    static_shapes: dict[str, Any]
    values: dict[str, np.ndarray]


def load_cases(directory: Path) -> list[Case]:
    """Load every case listed in ``directory/cases.json``."""
    index = json.loads((directory / "cases.json").read_text(encoding="utf-8"))
    cases = []
    for entry in index["cases"]:
        with np.load(directory / entry["file"], allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
        meta = json.loads(str(arrays.pop("meta")))
        cases.append(Case(meta=meta, arrays=arrays))
    return cases


def build_cell(spec: dict[str, Any]) -> Any:
    """Build a shim cell from a fixture's cell spec."""
    kwargs = dict(spec.get("kwargs", {}))
    if spec["class"] == "MultiRNNCell":
        return rnn.MultiRNNCell([build_cell(s) for s in spec["cells"]], **kwargs)
    if "activation" in kwargs:
        kwargs["activation"] = _ACTIVATIONS[kwargs["activation"]]
    if "initializer" in kwargs:
        init = kwargs["initializer"]
        assert init["class"] == "constant", init
        kwargs["initializer"] = v1.constant_initializer(init["value"])
    return getattr(rnn, spec["class"])(**kwargs)


def pack(structure: dict[str, Any] | None, flat: list[Any]) -> Any:
    """Nest ``flat`` as a fixture's structure description says."""
    assert structure is not None
    kind = structure["type"]
    if kind == "tensor":
        return flat[structure["index"]]
    if kind == "LSTMStateTuple":
        return rnn.LSTMStateTuple(flat[structure["c"]], flat[structure["h"]])
    return tuple(pack(item, flat) for item in structure["items"])


def _static(tensor: Any) -> Any:
    shape = tensor.shape
    return None if shape.rank is None else shape.as_list()


class _Program:
    """The shim version of a fixture's program, callable more than once."""

    def __init__(self, case: Case, graph: bool) -> None:
        self.case = case
        self.meta = case.meta
        self.graph = graph
        self.dtype = tf.as_dtype(self.meta["dtype"])
        self.feed: dict[Any, Any] = {}
        self.cells: list[Any] = []

    def _constant_or_placeholder(self, key: str, dtype: Any, shape: list[Any]) -> Any:
        value = self.case.arrays[key]
        if self.graph and self.meta["placeholder"]:
            placeholder = v1.placeholder(dtype, shape)
            self.feed[placeholder] = value
            return placeholder
        return tf.constant(value, dtype=dtype)

    def run(self) -> dict[str, Any]:
        if self.meta["kind"] == "dynamic_rnn":
            return self._dynamic_rnn()
        return self._cell_calls()

    def _dynamic_rnn(self) -> dict[str, Any]:
        meta = self.meta
        if not self.cells:
            self.cells = [build_cell(meta["cell"])]
        inputs = self._constant_or_placeholder(
            "input", self.dtype, [None, None, meta["depth"]]
        )
        kwargs: dict[str, Any] = {
            "time_major": meta["time_major"],
            "scope": meta["scope"],
        }
        if meta["use_sequence_length"]:
            kwargs["sequence_length"] = self._constant_or_placeholder(
                "sequence_length", tf.int32, [None]
            )
        if meta["use_initial_state"]:
            flat = [tf.constant(a) for a in self.case.flat("initial_state")]
            kwargs["initial_state"] = pack(meta["initial_state_structure"], flat)
        else:
            kwargs["dtype"] = self.dtype
        output, state = rnn.dynamic_rnn(self.cells[0], inputs, **kwargs)
        return {"output": output, "state": state}

    def _cell_calls(self) -> dict[str, Any]:
        meta = self.meta
        setup = meta["scope_setup"]
        if not self.cells:
            self.cells = [
                build_cell(meta["cell"]) for _ in range(setup["cells_in_scope"])
            ]
        flat = [tf.constant(a) for a in self.case.flat("initial_state")]
        if setup["plain_tuple_state"]:
            state: Any = tuple(flat)
        else:
            state = pack(meta["initial_state_structure"], flat)
        inputs = tf.constant(self.case.arrays["input"])
        results: dict[str, Any] = {}
        outer = setup["outer_scope"]
        scope_context = v1.variable_scope(outer) if outer else _null_context()
        with scope_context:
            for call, cell_index in enumerate(setup["call_cells"]):
                cell = self.cells[cell_index]
                output, new_state = cell(inputs, state, scope=setup["call_scope"])
                suffix = "" if call == 0 else str(call + 1)
                results[f"output{suffix}"] = output
                results[f"state{suffix}"] = new_state
                if setup["state_chained"]:
                    state = new_state
        return results

    def variables(self) -> list[Any]:
        found: list[Any] = []
        for cell in self.cells:
            for v in cell.variables:
                if all(v is not f for f in found):
                    found.append(v)
        return found


class _null_context:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _reset_eager_names() -> None:
    # Eager variable scopes count names for the whole process; a case replayed
    # eagerly must start from a clean count to get TF1's names (lstm_cell, not
    # lstm_cell_7), as it would in a fresh program.
    v1.get_default_graph().clear_collection(("__varscope",))


def _flatten_results(results: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in results.items():
        if key.startswith("output"):
            flat[key] = value
        else:
            for index, tensor in enumerate(tf.nest.flatten(value)):
                flat[f"{key}/{index}"] = tensor
    return flat


def replay(case: Case, mode: str) -> Result:
    """Run ``case`` on the shim in one of ``MODES``."""
    seeded = case.meta["weights"] == "seeded"
    compat.set_seed(case.meta["seed"] if seeded else None)
    try:
        if mode == "graph":
            return _replay_graph(case, seeded)
        if mode == "graph-tf1-shapes":
            v1.disable_v2_tensorshape()
            try:
                return _replay_graph(case, seeded)
            finally:
                v1.enable_v2_tensorshape()
        return _replay_eager(case, seeded, compiled=mode == "function")
    finally:
        compat.set_seed(None)


def _replay_graph(case: Case, seeded: bool) -> Result:
    with tf.Graph().as_default(), v1.Session() as session:
        program = _Program(case, graph=True)
        tensors = _flatten_results(program.run())
        names = [v.name for v in v1.global_variables()]
        static = {key: _static(t) for key, t in tensors.items()}
        session.run(v1.global_variables_initializer())
        if not seeded:
            for variable in v1.global_variables():
                variable.load(case.arrays["var/" + variable.name[:-2]], session)
        values = session.run(tensors, program.feed)
    return Result(variable_names=names, static_shapes=static, values=values)


def _replay_eager(case: Case, seeded: bool, compiled: bool) -> Result:
    _reset_eager_names()
    program = _Program(case, graph=False)
    step = tf.function(program.run) if compiled else program.run
    tensors = _flatten_results(step())
    names = [v.name for v in program.variables()]
    if not seeded:
        # Variables exist after the first run; load TF1's weights and run again.
        for variable in program.variables():
            variable.assign(case.arrays["var/" + variable.name[:-2]])
        tensors = _flatten_results(step())
    values = {key: np.asarray(t) for key, t in tensors.items()}
    return Result(variable_names=names, static_shapes={}, values=values)


def expected_values(case: Case) -> dict[str, np.ndarray]:
    """TF1's outputs and flat states for ``case``, keyed as ``Result.values``."""
    return {
        key: value
        for key, value in case.arrays.items()
        if key.startswith(("output", "state"))
    }


def expected_static_shapes(case: Case) -> dict[str, Any]:
    """TF1's static shapes for ``case``, keyed as ``Result.static_shapes``."""
    meta = case.meta
    shapes: dict[str, Any] = {"output": meta["static_output_shape"]}
    for index, shape in enumerate(meta["static_state_shapes"]):
        shapes[f"state/{index}"] = shape
    if "static_output2_shape" in meta:
        shapes["output2"] = meta["static_output2_shape"]
        for index, shape in enumerate(meta["static_state2_shapes"]):
            shapes[f"state2/{index}"] = shape
    return shapes
