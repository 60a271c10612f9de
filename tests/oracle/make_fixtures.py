"""Record TF1's own LSTM numbers as fixtures for the compat shim's tests.

Run with the oracle environment (TensorFlow plus tf-keras, whose legacy RNN cells
are TF1's own code)::

    .venv-oracle/bin/python tests/oracle/make_fixtures.py --out tests/rnn/fixtures

Every case is built in a fresh ``tf.Graph`` and run in a ``tf.compat.v1.Session``
with TF2 behaviour left on (resource variables, while_v2); variable names and
static shapes are the same with ``disable_v2_behavior()``. All variables are
overwritten after ``global_variables_initializer`` so the numbers do not depend
on TF's random initialisers.

Each case writes ``<name>.npz`` (loadable with ``allow_pickle=False``) with keys:

- ``meta``: a 0-d unicode array holding the JSON case description below.
- ``input``: the input as fed: ``[batch, time, depth]``, or ``[time, batch,
  depth]`` when ``time_major``; ``[batch, depth]`` for ``cell_call`` cases.
- ``sequence_length``: int32 ``[batch]``, only when ``use_sequence_length``.
- ``initial_state/<i>``: the flat initial state (``tf.nest.flatten`` order),
  only when ``use_initial_state``.
- ``var/<name>``: each variable's value, ``name`` being its full name minus ``:0``.
- ``output`` and ``state/<i>``: the output and the flat final state.
- ``output2`` and ``state2/<i>``: the second call's results, only for
  ``cell_call`` cases with two calls.

Meta fields:

- ``name``, ``kind`` (``"dynamic_rnn"`` or ``"cell_call"``), ``dtype``
  (``"float32"`` or ``"float64"``), ``batch``, ``time`` (null for ``cell_call``),
  ``depth``.
- ``cell``: ``{"class": "BasicLSTMCell" | "LSTMCell", "kwargs": {...}}`` or
  ``{"class": "MultiRNNCell", "cells": [spec, ...], "kwargs":
  {"state_is_tuple": bool}}``. ``activation`` is a name (``"tanh"``, ``"relu"``)
  for the ``tf.nn`` function; ``initializer`` is ``{"class": "constant",
  "value": v}`` for ``tf.compat.v1.constant_initializer(v)``.
- ``time_major``, ``use_sequence_length``, ``use_initial_state``: bools.
- ``placeholder``: for ``dynamic_rnn``, whether ``input`` was fed through
  ``placeholder(dtype, [None, None, depth])`` (and ``sequence_length``, if
  used, through ``placeholder(tf.int32, [None])``) rather than passed as
  constants. Initial states are always constants.
- ``scope``: the ``scope=`` argument given to ``dynamic_rnn``, or null. When
  ``use_initial_state`` is false, ``dynamic_rnn`` got ``dtype=`` instead of
  ``initial_state=``.
- ``scope_setup``: null for ``dynamic_rnn``; for ``cell_call`` an object:
  ``outer_scope`` (name of a ``variable_scope`` entered around everything, or
  null), ``call_scope`` (the ``scope=`` argument of each cell call, or null),
  ``cells_in_scope`` (how many cells are built from the ``cell`` spec),
  ``calls`` (number of calls), ``call_cells`` (index of the cell used by each
  call), ``state_chained`` (call k > 0 gets the state returned by call k - 1;
  every call gets the same ``input``) and ``initial_state`` (``"zeros"`` when
  the notebook's ``tf.zeros`` was used, else ``"arrays"``; either way the
  values are stored in ``initial_state/<i>``) and ``plain_tuple_state`` (the
  state was passed as a plain tuple, as in the notebook, rather than packed
  like the cell's ``state_size``).
- ``initial_state_structure`` (or null) and ``state_structure``: the nesting of
  the flat state arrays: ``{"type": "tensor", "index": i}``, ``{"type":
  "LSTMStateTuple", "c": i, "h": j}`` or ``{"type": "tuple", "items": [...]}``.
  A plain tuple passed as state is ``"tuple"``, not ``"LSTMStateTuple"``.
  ``state2_structure`` is added for two-call cases.
- ``variable_names`` (full names with ``:0``, in creation order) and
  ``variable_shapes``.
- ``static_output_shape`` and ``static_state_shapes``: the static shapes TF1
  gave those tensors at graph-build time (``null`` for unknown dimensions),
  plus ``static_output2_shape`` and ``static_state2_shapes`` for two calls.
- ``weights``: ``"random"`` (numpy, seeded from the CRC-32 of the case name) or
  ``"seeded"`` (``compat.seed.seeded_glorot_uniform`` with ``seed``, zero
  biases); ``seed`` is null for random weights.

``cases.json`` holds ``{"tensorflow_version", "tf_keras_version", "cases"}``,
where ``cases`` is the list of meta objects sorted by name, each with its
``file``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import warnings
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, cast

# Must be set before tensorflow is imported: it makes tf.compat.v1.nn.rnn_cell
# resolve to tf-keras' copies of TF1's cells instead of failing under Keras 3.
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"

if importlib.util.find_spec("tf_keras") is None:
    sys.exit(
        "make_fixtures.py needs tf-keras (TF1's legacy RNN cells live there); run it "
        "with .venv-oracle/bin/python"
    )

import numpy as np
import tensorflow as tf
import tf_keras

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO_ROOT / "tests" / "rnn" / "fixtures"
SEED = 1234

v1 = tf.compat.v1
rnn_cell = v1.nn.rnn_cell

Spec = dict[str, Any]
Nested = Any

_ACTIVATIONS: dict[str, Callable[[tf.Tensor], tf.Tensor]] = {
    "tanh": tf.nn.tanh,
    "relu": tf.nn.relu,
}
_PEEPHOLES = frozenset({"w_f_diag", "w_i_diag", "w_o_diag"})
_NB_SINGLE_INPUT = [[3.0, 2.0, 2.0, 2.0, 2.0, 2.0]]
_NB_STACKED_INPUT = [
    [[1, 2, 3, 4, 3, 2], [1, 2, 1, 1, 1, 2], [1, 2, 2, 2, 2, 2]],
    [[1, 2, 3, 4, 3, 2], [3, 2, 2, 1, 1, 2], [0, 0, 0, 0, 3, 2]],
]


def basic(num_units: int, **kwargs: Any) -> Spec:
    """Spec of a ``BasicLSTMCell``.

    Args:
        num_units: Cell size.
        **kwargs: Further JSON-able constructor arguments.

    Returns:
        The cell spec.
    """
    return {"class": "BasicLSTMCell", "kwargs": {"num_units": num_units, **kwargs}}


def lstm(num_units: int, **kwargs: Any) -> Spec:
    """Spec of an ``LSTMCell``.

    Args:
        num_units: Cell size.
        **kwargs: Further JSON-able constructor arguments.

    Returns:
        The cell spec.
    """
    return {"class": "LSTMCell", "kwargs": {"num_units": num_units, **kwargs}}


def multi(*cells: Spec, state_is_tuple: bool = True) -> Spec:
    """Spec of a ``MultiRNNCell``.

    Args:
        *cells: Specs of the layers, bottom first.
        state_is_tuple: The ``state_is_tuple`` argument.

    Returns:
        The cell spec.
    """
    return {
        "class": "MultiRNNCell",
        "cells": list(cells),
        "kwargs": {"state_is_tuple": state_is_tuple},
    }


@dataclass(frozen=True)
class Case:
    """One fixture: what to build and how to feed it."""

    name: str
    cell: Spec
    kind: str = "dynamic_rnn"
    batch: int = 3
    time: int = 5
    depth: int = 3
    time_major: bool = False
    sequence_length: tuple[int, ...] | None = None
    use_initial_state: bool = False
    placeholder: bool = False
    dtype: str = "float32"
    scope: str | None = None
    scope_setup: dict[str, Any] | None = None
    weights: str = "random"
    fixed_input: Any = None


def _call_setup(
    outer_scope: str | None = None,
    call_scope: str | None = None,
    call_cells: Sequence[int] = (0,),
    initial_state: str = "arrays",
    plain_tuple_state: bool = False,
) -> dict[str, Any]:
    return {
        "outer_scope": outer_scope,
        "call_scope": call_scope,
        "cells_in_scope": max(call_cells) + 1,
        "calls": len(call_cells),
        "call_cells": list(call_cells),
        "state_chained": True,
        "initial_state": initial_state,
        "plain_tuple_state": plain_tuple_state,
    }


def _cases() -> list[Case]:
    short = (3, 1, 2)
    partial = (5, 2, 0)
    # proj_clip is tighter here because the projected outputs of this cell stay
    # under 0.2, which would leave the clip untested.
    peep_clip_proj = lstm(
        6, use_peepholes=True, cell_clip=0.3, num_proj=3, proj_clip=0.1
    )
    three = multi(
        lstm(4), lstm(3, use_peepholes=True), lstm(5, num_proj=2, cell_clip=0.3)
    )
    concat_multi = multi(
        basic(4, state_is_tuple=False),
        lstm(5, state_is_tuple=False),
        state_is_tuple=False,
    )
    l45 = multi(lstm(4), lstm(5))
    basic_proj = multi(basic(4), lstm(5, num_proj=3))
    nb_call = _call_setup(
        outer_scope="LSTM_sample1", initial_state="zeros", plain_tuple_state=True
    )
    cases = [
        # BasicLSTMCell.
        Case("dyn_basic_b3_t5", basic(4)),
        Case("dyn_basic_b1_t1_ph", basic(4), batch=1, time=1, placeholder=True),
        Case(
            "dyn_basic_forget05_seqlen_ph",
            basic(4, forget_bias=0.5),
            sequence_length=partial,
            placeholder=True,
        ),
        Case(
            "dyn_basic_relu_init_tm",
            basic(4, activation="relu"),
            time_major=True,
            use_initial_state=True,
        ),
        Case(
            "dyn_basic_concat_state_init_seqlen",
            basic(4, state_is_tuple=False),
            sequence_length=partial,
            use_initial_state=True,
        ),
        Case(
            "dyn_basic_concat_state_seqlen_short_tm",
            basic(4, state_is_tuple=False),
            sequence_length=short,
            time_major=True,
        ),
        # LSTMCell.
        Case("dyn_lstm_b3_t5", lstm(4)),
        Case("dyn_lstm_b1_t5_ph", lstm(4), batch=1, placeholder=True),
        Case("dyn_lstm_b3_t1_init", lstm(4), time=1, use_initial_state=True),
        Case(
            "dyn_lstm_seqlen_ph_tm",
            lstm(4),
            sequence_length=partial,
            placeholder=True,
            time_major=True,
        ),
        Case(
            "dyn_lstm_seqlen_short_init",
            lstm(4),
            sequence_length=short,
            use_initial_state=True,
        ),
        Case(
            "dyn_lstm_seqlen_zero_only_b1_init",
            lstm(4),
            batch=1,
            time=3,
            sequence_length=(0,),
            use_initial_state=True,
        ),
        Case("dyn_lstm_peep_b3_t5", lstm(5, use_peepholes=True)),
        Case(
            "dyn_lstm_peep_seqlen_init_ph",
            lstm(5, use_peepholes=True),
            sequence_length=partial,
            use_initial_state=True,
            placeholder=True,
        ),
        Case(
            "dyn_lstm_peep_clip_seqlen_short_tm",
            lstm(5, use_peepholes=True, cell_clip=0.3),
            sequence_length=short,
            time_major=True,
        ),
        Case("dyn_lstm_proj_b3_t5", lstm(5, num_proj=3)),
        Case(
            "dyn_lstm_proj_init_ph",
            lstm(5, num_proj=3),
            use_initial_state=True,
            placeholder=True,
        ),
        Case(
            "dyn_lstm_proj_clip_seqlen_tm",
            lstm(5, num_proj=3, proj_clip=0.2),
            sequence_length=partial,
            time_major=True,
        ),
        Case(
            "dyn_lstm_peep_clip_proj_seqlen_tm",
            peep_clip_proj,
            sequence_length=partial,
            time_major=True,
        ),
        Case(
            "dyn_lstm_peep_clip_proj_init_ph",
            peep_clip_proj,
            use_initial_state=True,
            placeholder=True,
        ),
        Case(
            "dyn_lstm_forget0_init_seqlen",
            lstm(4, forget_bias=0.0),
            sequence_length=partial,
            use_initial_state=True,
        ),
        Case("dyn_lstm_concat_state_b3_t5", lstm(4, state_is_tuple=False)),
        Case(
            "dyn_lstm_concat_state_proj_init_seqlen",
            lstm(5, num_proj=3, state_is_tuple=False),
            sequence_length=partial,
            use_initial_state=True,
        ),
        Case(
            "dyn_lstm_concat_state_proj_ph_tm",
            lstm(5, num_proj=3, state_is_tuple=False),
            placeholder=True,
            time_major=True,
        ),
        Case(
            "dyn_lstm_const_initializer_peep_proj",
            lstm(
                4,
                use_peepholes=True,
                num_proj=3,
                initializer={"class": "constant", "value": 0.1},
            ),
        ),
        Case(
            "dyn_lstm_float64_peep_proj_seqlen_init",
            lstm(5, use_peepholes=True, num_proj=3),
            sequence_length=partial,
            use_initial_state=True,
            dtype="float64",
        ),
        Case("dyn_lstm_scope_encoder_ph", lstm(4), placeholder=True, scope="encoder"),
        # MultiRNNCell.
        Case(
            "dyn_multi_lstm4_lstm5_seqlen_ph",
            l45,
            depth=6,
            sequence_length=partial,
            placeholder=True,
        ),
        Case(
            "dyn_multi_lstm4_lstm5_init_tm",
            l45,
            depth=6,
            use_initial_state=True,
            time_major=True,
        ),
        Case(
            "dyn_multi_lstm4_lstm5_scope_encoder_ph",
            l45,
            depth=6,
            batch=2,
            time=3,
            placeholder=True,
            scope="encoder",
        ),
        Case("dyn_multi_basic_lstmproj_b3_t5", basic_proj),
        Case(
            "dyn_multi_basic_lstmproj_seqlen_short_init_ph",
            basic_proj,
            sequence_length=short,
            use_initial_state=True,
            placeholder=True,
        ),
        Case("dyn_multi_three_layers_b3_t5", three, depth=2),
        Case(
            "dyn_multi_three_layers_seqlen_init_ph_tm",
            three,
            depth=2,
            sequence_length=partial,
            use_initial_state=True,
            placeholder=True,
            time_major=True,
        ),
        Case("dyn_multi_concat_state_b3_t5", concat_multi),
        Case(
            "dyn_multi_concat_state_init_seqlen_tm",
            concat_multi,
            sequence_length=partial,
            use_initial_state=True,
            time_major=True,
        ),
        # Single cell calls, no dynamic_rnn.
        Case(
            "call_nb_basic_lstm_sample1",
            basic(4, state_is_tuple=True),
            kind="cell_call",
            batch=1,
            depth=6,
            scope_setup=nb_call,
            fixed_input=_NB_SINGLE_INPUT,
        ),
        Case(
            "call_basic_lstm_scope_arg",
            basic(4),
            kind="cell_call",
            scope_setup=_call_setup(call_scope="my_scope"),
        ),
        Case(
            "call_two_basic_lstm_same_scope",
            basic(4),
            kind="cell_call",
            scope_setup=_call_setup(outer_scope="LSTM_sample1", call_cells=(0, 1)),
        ),
        Case(
            "call_basic_lstm_twice_reuse",
            basic(4),
            kind="cell_call",
            scope_setup=_call_setup(outer_scope="steps", call_cells=(0, 0)),
        ),
        Case(
            "call_lstm_peep",
            lstm(5, use_peepholes=True),
            kind="cell_call",
            scope_setup=_call_setup(),
        ),
        Case(
            "call_multi_lstm4_lstm5",
            l45,
            kind="cell_call",
            depth=6,
            scope_setup=_call_setup(),
        ),
        # The seed notebook, with compat.seed's weights.
        Case(
            "seed_nb_single_cell",
            basic(4, state_is_tuple=True),
            kind="cell_call",
            batch=1,
            depth=6,
            scope_setup=nb_call,
            weights="seeded",
            fixed_input=_NB_SINGLE_INPUT,
        ),
        Case(
            "seed_nb_stacked",
            l45,
            batch=2,
            time=3,
            depth=6,
            placeholder=True,
            weights="seeded",
            fixed_input=_NB_STACKED_INPUT,
        ),
    ]
    return sorted(cases, key=lambda case: case.name)


def build_cell(spec: Spec) -> Any:
    """Construct TF1's cell from a spec.

    Args:
        spec: A cell spec as described in the module docstring.

    Returns:
        The cell object.
    """
    kwargs = dict(spec["kwargs"])
    if spec["class"] == "MultiRNNCell":
        return rnn_cell.MultiRNNCell([build_cell(s) for s in spec["cells"]], **kwargs)
    if "activation" in kwargs:
        kwargs["activation"] = _ACTIVATIONS[kwargs["activation"]]
    if "initializer" in kwargs:
        init = kwargs["initializer"]
        if init["class"] != "constant":
            raise ValueError(f"unknown initializer spec {init!r}")
        kwargs["initializer"] = v1.constant_initializer(init["value"])
    cls = {"BasicLSTMCell": rnn_cell.BasicLSTMCell, "LSTMCell": rnn_cell.LSTMCell}
    return cls[spec["class"]](**kwargs)


def _structure(nest: Nested, counter: list[int]) -> dict[str, Any]:
    # Walks the nest in tf.nest.flatten order so indices match the flat arrays.
    if isinstance(nest, rnn_cell.LSTMStateTuple):
        c = _structure(nest.c, counter)
        h = _structure(nest.h, counter)
        if c["type"] != "tensor" or h["type"] != "tensor":
            raise ValueError("nested LSTMStateTuple fields are not supported")
        return {"type": "LSTMStateTuple", "c": c["index"], "h": h["index"]}
    if isinstance(nest, (tuple, list)):
        return {"type": "tuple", "items": [_structure(x, counter) for x in nest]}
    index = counter[0]
    counter[0] += 1
    return {"type": "tensor", "index": index}


def state_structure(nest: Nested) -> dict[str, Any]:
    """Describe a state nest with indices into its flat list.

    Args:
        nest: A tensor, an ``LSTMStateTuple`` or a tuple of these.

    Returns:
        The JSON-able structure description.
    """
    return _structure(nest, [0])


def static_shape(tensor: tf.Tensor) -> list[int | None] | None:
    """Return a tensor's static shape as a JSON-able list (None if rank unknown).

    Args:
        tensor: A graph tensor.

    Returns:
        The shape, with None for unknown dimensions.
    """
    shape = tensor.shape
    return None if shape.rank is None else shape.as_list()


def _flat_sizes(state_size: Nested) -> list[int]:
    return [int(s) for s in tf.nest.flatten(state_size)]


def _data_rng(name: str) -> np.random.Generator:
    # A stream apart from the weights' so adding a variable does not shift inputs.
    return np.random.default_rng([zlib.crc32(name.encode("utf-8")), 1])


def _random_weight(name: str, shape: Sequence[int], rng: np.random.Generator) -> Any:
    leaf = name.rsplit("/", 1)[-1]
    if leaf == "kernel":
        return rng.uniform(-0.6, 0.6, size=shape)
    if leaf == "bias":
        return rng.uniform(-0.3, 0.3, size=shape)
    if leaf in _PEEPHOLES:
        return rng.uniform(-0.5, 0.5, size=shape)
    raise ValueError(f"no value rule for variable {name!r}")


def _load_seed_module() -> ModuleType:
    # Loaded by path, not as compat.seed, so that whatever compat/__init__.py
    # does (for instance installing the shim) cannot leak into the oracle.
    path = REPO_ROOT / "compat" / "seed.py"
    spec = importlib.util.spec_from_file_location("_tf1compat_seed_for_oracle", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def set_weights(
    case: Case, sess: tf.compat.v1.Session, seed_module: ModuleType | None
) -> dict[str, np.ndarray]:
    """Overwrite every global variable and return the values by bare name.

    Args:
        case: The case being built.
        sess: The session holding the initialised variables.
        seed_module: ``compat/seed.py``, needed for seeded weights.

    Returns:
        The values set, keyed by variable name without ``:0``.
    """
    rng = np.random.default_rng(zlib.crc32(case.name.encode("utf-8")))
    values: dict[str, np.ndarray] = {}
    for var in v1.global_variables():
        bare = var.name[:-2]
        shape = var.shape.as_list()
        dtype = var.dtype.base_dtype
        if case.weights == "seeded":
            assert seed_module is not None
            if bare.rsplit("/", 1)[-1] == "bias":
                value = np.zeros(shape)
            else:
                value = sess.run(
                    seed_module.seeded_glorot_uniform(
                        bare, tuple(shape), dtype, seed=SEED
                    )
                )
        else:
            value = _random_weight(bare, shape, rng)
        value = np.asarray(value, dtype=dtype.as_numpy_dtype)
        var.load(value, sess)
        values[bare] = sess.run(var)
    return values


def _initial_state_arrays(
    case: Case, cell: Any, rng: np.random.Generator, np_dtype: type
) -> list[np.ndarray]:
    sizes = _flat_sizes(cell.state_size)
    if case.scope_setup is not None and case.scope_setup["initial_state"] == "zeros":
        return [np.zeros((case.batch, s), np_dtype) for s in sizes]
    return [rng.uniform(-1.0, 1.0, (case.batch, s)).astype(np_dtype) for s in sizes]


def _pack_state(case: Case, cell: Any, tensors: list[tf.Tensor]) -> Nested:
    if case.scope_setup is not None and case.scope_setup["plain_tuple_state"]:
        # The notebook passes a plain tuple, not an LSTMStateTuple.
        return tuple(tensors)
    return tf.nest.pack_sequence_as(cell.state_size, tensors)


def run_dynamic_rnn(case: Case, seed_module: ModuleType | None) -> dict[str, Any]:
    """Build and run one ``dynamic_rnn`` case.

    Args:
        case: The case.
        seed_module: ``compat/seed.py`` for seeded weights.

    Returns:
        The npz arrays by key, with ``meta`` as a dict.
    """
    tf_dtype = tf.as_dtype(case.dtype)
    np_dtype = tf_dtype.as_numpy_dtype
    rng = _data_rng(case.name)
    if case.fixed_input is not None:
        x = np.asarray(case.fixed_input, np_dtype)
    else:
        layout = (
            (case.time, case.batch, case.depth)
            if case.time_major
            else (case.batch, case.time, case.depth)
        )
        x = rng.uniform(-2.0, 2.0, layout).astype(np_dtype)
    arrays: dict[str, Any] = {"input": x}
    graph = tf.Graph()
    with graph.as_default():
        cell = build_cell(case.cell)
        feed: dict[tf.Tensor, np.ndarray] = {}
        if case.placeholder:
            inputs = v1.placeholder(tf_dtype, [None, None, case.depth], name="inputs")
            feed[inputs] = x
        else:
            inputs = tf.constant(x)
        kwargs: dict[str, Any] = {"time_major": case.time_major, "scope": case.scope}
        if case.sequence_length is not None:
            seq = np.asarray(case.sequence_length, np.int32)
            arrays["sequence_length"] = seq
            if case.placeholder:
                seq_t = v1.placeholder(tf.int32, [None], name="sequence_length")
                feed[seq_t] = seq
            else:
                seq_t = tf.constant(seq)
            kwargs["sequence_length"] = seq_t
        init_structure = None
        if case.use_initial_state:
            init = _initial_state_arrays(case, cell, rng, np_dtype)
            for i, a in enumerate(init):
                arrays[f"initial_state/{i}"] = a
            init_nest = _pack_state(case, cell, [tf.constant(a) for a in init])
            init_structure = state_structure(init_nest)
            kwargs["initial_state"] = init_nest
        else:
            kwargs["dtype"] = tf_dtype
        output, state = v1.nn.dynamic_rnn(cell, inputs, **kwargs)
        flat_state = tf.nest.flatten(state)
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            weights = set_weights(case, sess, seed_module)
            out_v, state_v = sess.run([output, flat_state], feed_dict=feed)
        meta = _meta(case, init_structure)
        meta.update(
            state_structure=state_structure(state),
            static_output_shape=static_shape(output),
            static_state_shapes=[static_shape(t) for t in flat_state],
        )
    arrays["output"] = out_v
    for i, a in enumerate(state_v):
        arrays[f"state/{i}"] = a
    return _finish(arrays, meta, weights, graph)


def run_cell_call(case: Case, seed_module: ModuleType | None) -> dict[str, Any]:
    """Build and run one single-step ``cell_call`` case.

    Args:
        case: The case.
        seed_module: ``compat/seed.py`` for seeded weights.

    Returns:
        The npz arrays by key, with ``meta`` as a dict.
    """
    setup = case.scope_setup
    assert setup is not None
    tf_dtype = tf.as_dtype(case.dtype)
    np_dtype = tf_dtype.as_numpy_dtype
    rng = _data_rng(case.name)
    if case.fixed_input is not None:
        x = np.asarray(case.fixed_input, np_dtype)
    else:
        x = rng.uniform(-2.0, 2.0, (case.batch, case.depth)).astype(np_dtype)
    arrays: dict[str, Any] = {"input": x}
    graph = tf.Graph()
    with graph.as_default():
        with _maybe_scope(setup["outer_scope"]):
            cells = [build_cell(case.cell) for _ in range(setup["cells_in_scope"])]
            init = _initial_state_arrays(case, cells[0], rng, np_dtype)
            if setup["initial_state"] == "zeros":
                init_t = [tf.zeros(a.shape, tf_dtype) for a in init]
            else:
                init_t = [tf.constant(a) for a in init]
            state: Nested = _pack_state(case, cells[0], init_t)
            init_structure = state_structure(state)
            inputs = tf.constant(x)
            results: list[tuple[tf.Tensor, Nested]] = []
            for index in setup["call_cells"]:
                call_kwargs = {}
                if setup["call_scope"] is not None:
                    call_kwargs["scope"] = setup["call_scope"]
                output, state = cells[index](inputs, state, **call_kwargs)
                results.append((output, state))
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            weights = set_weights(case, sess, seed_module)
            values = sess.run([(o, tf.nest.flatten(s)) for o, s in results])
    for i, a in enumerate(init):
        arrays[f"initial_state/{i}"] = a
    meta = _meta(case, init_structure)
    for k, ((output, state), (out_v, state_v)) in enumerate(
        zip(results, values, strict=True)
    ):
        suffix = "" if k == 0 else str(k + 1)
        arrays[f"output{suffix}"] = out_v
        for i, a in enumerate(state_v):
            arrays[f"state{suffix}/{i}"] = a
        meta[f"state{suffix}_structure"] = state_structure(state)
        meta[f"static_output{suffix}_shape"] = static_shape(output)
        meta[f"static_state{suffix}_shapes"] = [
            static_shape(t) for t in tf.nest.flatten(state)
        ]
    return _finish(arrays, meta, weights, graph)


def _maybe_scope(name: str | None) -> contextlib.AbstractContextManager[Any]:
    return contextlib.nullcontext() if name is None else v1.variable_scope(name)


def _meta(case: Case, init_structure: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "name": case.name,
        "kind": case.kind,
        "cell": case.cell,
        "dtype": case.dtype,
        "batch": case.batch,
        "time": case.time if case.kind == "dynamic_rnn" else None,
        "depth": case.depth,
        "time_major": case.time_major,
        "use_sequence_length": case.sequence_length is not None,
        "use_initial_state": case.kind == "cell_call" or case.use_initial_state,
        "placeholder": case.placeholder,
        "scope": case.scope,
        "scope_setup": case.scope_setup,
        "weights": case.weights,
        "seed": SEED if case.weights == "seeded" else None,
        "initial_state_structure": init_structure,
    }


def _finish(
    arrays: dict[str, Any],
    meta: dict[str, Any],
    weights: dict[str, np.ndarray],
    graph: tf.Graph,
) -> dict[str, Any]:
    with graph.as_default():
        variables = v1.global_variables()
        meta["variable_names"] = [v.name for v in variables]
        meta["variable_shapes"] = [v.shape.as_list() for v in variables]
    for name, value in weights.items():
        arrays[f"var/{name}"] = value
    arrays["meta"] = meta
    return arrays


def write_case(out: Path, arrays: dict[str, Any]) -> dict[str, Any]:
    """Write one case's npz and return its meta.

    Args:
        out: Output directory.
        arrays: Arrays by key plus ``meta`` as a dict.

    Returns:
        The meta dict with ``file`` added.
    """
    meta = arrays.pop("meta")
    payload = {k: np.asarray(v) for k, v in arrays.items()}
    for key, value in payload.items():
        if value.dtype == object:
            raise TypeError(f"{meta['name']}: {key} would need pickling")
    payload["meta"] = np.array(json.dumps(meta, sort_keys=True))
    file_name = f"{meta['name']}.npz"
    # numpy's stubs type **kwds as if they could be the allow_pickle flag.
    savez = cast(Callable[..., None], np.savez)
    savez(out / file_name, **payload)
    return {**meta, "file": file_name}


def _check_oracle() -> None:
    # Guards against a TF install where the v1 cells are not TF1's own code.
    for cls in (rnn_cell.BasicLSTMCell, rnn_cell.LSTMCell, rnn_cell.MultiRNNCell):
        if not cls.__module__.startswith("tf_keras."):
            raise SystemExit(
                f"{cls.__name__} comes from {cls.__module__}, not tf_keras; is "
                "TF_USE_LEGACY_KERAS=1 honoured?"
            )


def _remove_stale(out: Path, names: set[str]) -> None:
    # Only files a previous run listed in cases.json are removed.
    index = out / "cases.json"
    if not index.exists():
        return
    for old in json.loads(index.read_text())["cases"]:
        stale = out / old["file"]
        if old["file"] not in names and stale.exists():
            stale.unlink()


def summarize(out: Path, metas: Sequence[dict[str, Any]]) -> str:
    """Reload every fixture without pickling and describe the set.

    Args:
        out: Output directory.
        metas: The metas written.

    Returns:
        A one-line summary.
    """
    total = (out / "cases.json").stat().st_size
    for meta in metas:
        path = out / meta["file"]
        total += path.stat().st_size
        with np.load(path, allow_pickle=False) as data:
            if json.loads(str(data["meta"])) != {
                k: v for k, v in meta.items() if k != "file"
            }:
                raise RuntimeError(f"{path}: meta does not round-trip")
            missing = {"input", "output", "meta"} - set(data.files)
            if missing:
                raise RuntimeError(f"{path}: missing {sorted(missing)}")
    return f"{len(metas)} cases, {total / 1024:.1f} KiB in {out}"


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
    seed_module = _load_seed_module()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    cases = _cases()
    names = [c.name for c in cases]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate case names")
    metas = []
    for case in cases:
        runner = run_cell_call if case.kind == "cell_call" else run_dynamic_rnn
        metas.append(write_case(out, runner(case, seed_module)))
    _remove_stale(out, {m["file"] for m in metas})
    index = {
        "tensorflow_version": tf.__version__,
        "tf_keras_version": tf_keras.__version__,
        "cases": metas,
    }
    (out / "cases.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    print(summarize(out, metas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
