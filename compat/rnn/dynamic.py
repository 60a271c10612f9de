"""TF1's ``dynamic_rnn`` on TF2 ops: one ``while_loop`` over time.

This module holds the argument checks and TF1's reference loop; faster
paths that compute the same equations (see ``compat/paths.py``) take over
for TF1's LSTM and GRU cells unless the reference path is asked for.

The reference loop is TF1's own: inputs are unstacked into a TensorArray,
each iteration calls the cell once (for a ``MultiRNNCell``, every layer inside
the same iteration, so layers overlap), and outputs are gathered into a second
TensorArray. With ``sequence_length``, each step selects, row by row, either
the new output and state or a zero output and the previous state, so outputs
are zero past each example's length and the final state is the one at its last
valid step. The loop stops after ``max(sequence_length)`` steps; the outputs of
the steps never run are zeros, as in TF1.

The same code runs in v1 graph mode, eagerly and inside ``tf.function``.
"""

from __future__ import annotations

import numbers
import weakref
from typing import Any

import numpy as np
import tensorflow as tf

from compat.paths import get_rnn_path
from compat.rnn import fast

__all__ = ["dynamic_rnn"]

_v1 = tf.compat.v1


def _is_like_rnncell(cell: Any) -> bool:
    return all(
        hasattr(cell, attr) for attr in ("output_size", "state_size", "zero_state")
    ) and callable(cell)


def _transpose_batch_time(x: tf.Tensor) -> tf.Tensor:
    """Swap the first two axes, keeping as much static shape as possible."""
    static = x.shape
    if static.rank is not None and static.rank < 2:
        return x
    rank = tf.rank(x)
    transposed = tf.transpose(x, tf.concat(([1, 0], tf.range(2, rank)), axis=0))
    if static.rank is not None:
        transposed.set_shape(
            tf.TensorShape([static[1], static[0]]).concatenate(static[2:])
        )
    return transposed


def _batch_size(flat_input: tuple[tf.Tensor, ...]) -> Any:
    """The static batch size of time-major inputs if known, else a scalar tensor."""
    for tensor in flat_input:
        if tensor.shape.rank is not None:
            size = tf.compat.dimension_value(tensor.shape[1])
            if size is not None:
                return int(size)
    return tf.shape(flat_input[0])[1]


def _infer_state_dtype(explicit: tf.DType | None, state: Any) -> tf.DType:
    if explicit is not None:
        return explicit
    dtypes = [t.dtype for t in tf.nest.flatten(state)]
    if not dtypes:
        raise ValueError(
            "dynamic_rnn: cannot infer a dtype from an empty initial_state"
        )
    if any(d != dtypes[0] for d in dtypes):
        raise ValueError(
            "dynamic_rnn: all tensors of initial_state must share one dtype, got "
            f"{[d.name for d in dtypes]}"
        )
    return tf.as_dtype(dtypes[0])


def _check_inputs(flat_input: list[tf.Tensor], time_major: bool) -> None:
    layout = (
        "[max_time, batch_size, depth]"
        if time_major
        else ("[batch_size, max_time, depth]")
    )
    for tensor in flat_input:
        dtype = tf.as_dtype(tensor.dtype)
        # Integers are ids for an EmbeddingWrapper; the cells check the rest.
        if not (dtype.is_floating or dtype.is_complex or dtype.is_integer):
            raise ValueError(
                f"dynamic_rnn: inputs must be numbers, got dtype {dtype.name}; "
                "cast them first, e.g. tf.cast(inputs, tf.float32)"
            )
        shape = tensor.shape
        if shape.rank is not None and shape.rank < 3:
            raise ValueError(
                f"dynamic_rnn: inputs must have rank 3 {layout} "
                f"(time_major={time_major}), got shape {shape}"
            )
        if shape.rank is None or not shape[2:].is_fully_defined():
            raise ValueError(
                f"dynamic_rnn: the depth of inputs (dimensions after time and batch) "
                f"must be known, got shape {shape}; give the placeholder a fixed "
                "feature size, e.g. tf.placeholder(tf.float32, [None, None, 6])"
            )


def _align_initial_state(
    cell: Any, state: Any, batch_size: Any, inputs_dtype: tf.DType
) -> Any:
    """Give ``state`` the cell's state structure, checking each part.

    A plain tuple where the cell uses ``LSTMStateTuple`` is accepted (TF1's
    single-step call accepted it; its while loop did not); the nesting itself
    must match ``cell.state_size``.
    """
    sizes = cell.state_size
    flat_sizes = tf.nest.flatten(sizes)
    flat_state = [tf.convert_to_tensor(s) for s in tf.nest.flatten(state)]
    if len(flat_sizes) != len(flat_state):
        raise ValueError(
            f"dynamic_rnn: initial_state must match the cell's state_size {sizes}: "
            f"expected {len(flat_sizes)} tensors, got {len(flat_state)}"
        )
    try:
        tf.nest.assert_same_structure(sizes, state, check_types=False)
    except (TypeError, ValueError):
        raise ValueError(
            f"dynamic_rnn: initial_state must be nested like the cell's state_size "
            f"{sizes}; got {type(state).__name__} of {len(flat_state)} tensors "
            "nested differently"
        ) from None
    for index, (size, tensor) in enumerate(zip(flat_sizes, flat_state)):
        expected = tf.TensorShape(size)
        got = tensor.shape
        if got.rank is None:
            continue
        if got.rank != expected.rank + 1 or not got[1:].is_compatible_with(expected):
            raise ValueError(
                f"dynamic_rnn: initial_state part {index} must have shape "
                f"[batch_size, {', '.join(str(d) for d in expected.as_list())}] "
                f"for state_size {sizes}, got {got}"
            )
        got_batch = tf.compat.dimension_value(got[0])
        if (
            isinstance(batch_size, int)
            and got_batch is not None
            and got_batch != batch_size
        ):
            raise ValueError(
                f"dynamic_rnn: initial_state part {index} has batch size {got_batch} "
                f"but inputs have batch size {batch_size}"
            )
        if (
            inputs_dtype.is_floating
            and tensor.dtype.base_dtype != inputs_dtype.base_dtype
        ):
            raise ValueError(
                f"dynamic_rnn: initial_state is {tensor.dtype.base_dtype.name} but "
                f"inputs are {inputs_dtype.base_dtype.name}; make them match, e.g. "
                f"tf.cast(inputs, tf.{tensor.dtype.base_dtype.name})"
            )
    return tf.nest.pack_sequence_as(sizes, flat_state)


def _as_inputs(inputs: Any) -> Any:
    """A nested Python list of numbers is one array, not a structure of scalars."""
    if isinstance(inputs, list) and inputs:
        leaves = tf.nest.flatten(inputs)
        if all(isinstance(x, numbers.Number) for x in leaves):
            return np.asarray(inputs, dtype=np.float32)
    return inputs


def dynamic_rnn(
    cell: Any,
    inputs: Any,
    sequence_length: Any = None,
    initial_state: Any = None,
    dtype: Any = None,
    parallel_iterations: int | None = None,
    swap_memory: bool = False,
    time_major: bool = False,
    scope: Any = None,
) -> tuple[Any, Any]:
    """Run ``cell`` over the time axis of ``inputs``, as TF1's ``tf.nn.dynamic_rnn``.

    Args:
        cell: An RNN cell (``state_size``, ``output_size``, ``zero_state`` and a
            ``__call__(inputs, state)``).
        inputs: ``[batch_size, max_time, depth]`` (or ``[max_time, batch_size,
            depth]`` with ``time_major``), or a nested tuple of such tensors.
            Batch and time may be unknown; depth must be known.
        sequence_length: Optional int vector ``[batch_size]``: outputs are zero
            from each example's length on and its state stops changing there.
        initial_state: Optional initial state matching ``cell.state_size``.
        dtype: The state's dtype; required when ``initial_state`` is None.
        parallel_iterations: Iterations the loop may run in parallel (32).
        swap_memory: Let the loop swap tensors to host memory (TF1's option).
        time_major: Whether inputs and outputs are time-major.
        scope: Variable scope of the created variables; ``"rnn"`` by default.

    Returns:
        ``(outputs, final_state)``: outputs ``[batch_size, max_time,
        cell.output_size]`` (time-major with ``time_major``); the final state
        has the cell's state structure.

    Raises:
        TypeError: If ``cell`` is not an RNN cell.
        ValueError: On inputs of the wrong rank, unknown depth or a non-float
            dtype; on an ``initial_state`` of the wrong size; when neither
            ``initial_state`` nor ``dtype`` is given; on a ``sequence_length``
            that is not a vector.
    """
    if not _is_like_rnncell(cell):
        raise TypeError(
            "dynamic_rnn: cell must be an RNN cell (with state_size, output_size, "
            f"zero_state and __call__), got {type(cell).__name__}"
        )
    if parallel_iterations is not None and (
        isinstance(parallel_iterations, bool)
        or not isinstance(parallel_iterations, int)
        or parallel_iterations < 1
    ):
        raise ValueError(
            "dynamic_rnn: parallel_iterations must be a positive int, got "
            f"{parallel_iterations!r}"
        )
    explicit_dtype = None if dtype is None else tf.as_dtype(dtype)

    inputs = _as_inputs(inputs)
    if tf.executing_eagerly():
        return _run_compiled(
            cell,
            inputs,
            sequence_length,
            initial_state,
            explicit_dtype,
            parallel_iterations,
            swap_memory,
            time_major,
            scope,
        )
    return _build_dynamic_rnn(
        cell,
        inputs,
        sequence_length,
        initial_state,
        explicit_dtype,
        parallel_iterations,
        swap_memory,
        time_major,
        scope,
    )


# TF's collection key of the variable-scope store (stable since TF 1.0).
_SCOPE_STORE_KEY = ("__varscope",)
# The caller's store, for the function being traced (tracing is synchronous).
_STORE_FOR_TRACE: list[Any] = []

# Compiled time loops for eager mode, per cell and per call options.
_COMPILED: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


# The traced graphs of each compiled loop, per input signature.
_CONCRETE: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def _run_compiled(
    cell: Any,
    inputs: Any,
    sequence_length: Any,
    initial_state: Any,
    dtype: tf.DType | None,
    parallel_iterations: int | None,
    swap_memory: bool,
    time_major: bool,
    scope: Any,
) -> tuple[Any, Any]:
    """Eagerly, run the whole time loop as one cached ``tf.function``.

    Stepping through ``tf.while_loop`` in Python costs an op dispatch per op
    per step; one traced function per cell and option set removes that. The
    ops are the ones graph mode builds, so the numbers are the same. Variables
    are created during the first trace (TF allows that once), with their TF1
    names: the variable-scope store must already exist outside the function
    so that name counts carry over between calls.
    """
    # The eager variable-scope store (the enclosing scope and the name counts)
    # is handed to the traced function, which would otherwise start an empty
    # one: names would neither nest in the caller's scope nor be made unique.
    _v1.get_variable_scope()
    store = _v1.get_default_graph().get_collection(_SCOPE_STORE_KEY)
    key = (
        get_rnn_path(),
        dtype,
        parallel_iterations,
        swap_memory,
        time_major,
        scope if isinstance(scope, str) or scope is None else id(scope),
        sequence_length is None,
        initial_state is None,
    )
    try:
        loops = _COMPILED.setdefault(cell, {})
    except TypeError:
        loops = {}  # a cell that cannot be weakly referenced: not cached
    loop = loops.get(key)
    if loop is None:

        def run(inputs: Any, sequence_length: Any, initial_state: Any) -> Any:
            graph = _v1.get_default_graph()
            graph.clear_collection(_SCOPE_STORE_KEY)
            for item in _STORE_FOR_TRACE:
                graph.add_to_collection(_SCOPE_STORE_KEY, item)
            return _build_dynamic_rnn(
                cell,
                inputs,
                sequence_length,
                initial_state,
                dtype,
                parallel_iterations,
                swap_memory,
                time_major,
                scope,
            )

        loop = tf.function(run, autograph=False)
        loops[key] = loop
    _STORE_FOR_TRACE[:] = store
    inputs = tf.nest.map_structure(tf.convert_to_tensor, inputs)
    if sequence_length is not None:
        sequence_length = tf.convert_to_tensor(sequence_length)
    if initial_state is not None:
        initial_state = tf.nest.map_structure(tf.convert_to_tensor, initial_state)
    # Calling the traced graph directly skips tf.function's per-call signature
    # matching, which costs as much as a small RNN's whole forward pass.
    signature = repr(
        tf.nest.map_structure(
            lambda t: None if t is None else (tuple(t.shape.as_list()), t.dtype.name),
            (inputs, sequence_length, initial_state),
        )
    )
    concrete = _CONCRETE.setdefault(loop, {}).get(signature)
    if concrete is None:
        concrete = loop.get_concrete_function(inputs, sequence_length, initial_state)
        _CONCRETE[loop][signature] = concrete
    return concrete(inputs, sequence_length, initial_state)


def _build_dynamic_rnn(
    cell: Any,
    inputs: Any,
    sequence_length: Any,
    initial_state: Any,
    explicit_dtype: tf.DType | None,
    parallel_iterations: int | None,
    swap_memory: bool,
    time_major: bool,
    scope: Any,
) -> tuple[Any, Any]:
    """The body of ``dynamic_rnn``: checks, initial state and the loop."""
    with _v1.variable_scope(scope or "rnn"):
        flat_input = [tf.convert_to_tensor(x) for x in tf.nest.flatten(inputs)]
        _check_inputs(flat_input, time_major)
        if not time_major:
            flat_input = [_transpose_batch_time(x) for x in flat_input]
        flat_tuple = tuple(flat_input)

        if sequence_length is not None:
            sequence_length = tf.cast(sequence_length, tf.int32)
            if sequence_length.shape.rank not in (None, 1):
                raise ValueError(
                    "dynamic_rnn: sequence_length must be a vector of length "
                    f"batch_size, got shape {sequence_length.shape}"
                )
            sequence_length = tf.identity(sequence_length, name="sequence_length")

        batch_size = _batch_size(flat_tuple)

        inputs_dtype = flat_input[0].dtype
        if initial_state is not None:
            state = _align_initial_state(cell, initial_state, batch_size, inputs_dtype)
        else:
            if explicit_dtype is None:
                raise ValueError(
                    "dynamic_rnn: pass dtype (e.g. dtype=tf.float32) or an "
                    "initial_state; got neither"
                )
            if (
                inputs_dtype.is_floating
                and explicit_dtype.base_dtype != inputs_dtype.base_dtype
            ):
                raise ValueError(
                    f"dynamic_rnn: dtype is {explicit_dtype.name} but inputs are "
                    f"{inputs_dtype.base_dtype.name}; make them match, e.g. "
                    f"tf.cast(inputs, tf.{explicit_dtype.name}) or "
                    "np.asarray(x, np.float32) for NumPy data"
                )
            state = cell.zero_state(batch_size, explicit_dtype)

        static_lengths = (
            tf.compat.dimension_value(sequence_length.shape[0])
            if sequence_length is not None and sequence_length.shape.rank == 1
            else None
        )
        if (
            isinstance(batch_size, int)
            and static_lengths is not None
            and static_lengths != batch_size
        ):
            raise ValueError(
                f"dynamic_rnn: sequence_length must have batch_size={batch_size} "
                f"entries, got {static_lengths}"
            )

        if sequence_length is not None and not tf.executing_eagerly():
            # The batch size of sequence_length is checked at run time, as in TF1.
            expected = tf.stack([batch_size])
            check = tf.debugging.Assert(
                tf.reduce_all(tf.equal(tf.shape(sequence_length), expected)),
                [
                    "Expected shape for Tensor sequence_length is ",
                    expected,
                    " but saw shape: ",
                    tf.shape(sequence_length),
                ],
            )
            with tf.control_dependencies([check]):
                sequence_length = tf.identity(sequence_length, name="CheckSeqLen")
        elif sequence_length is not None:
            got = int(tf.shape(sequence_length)[0])
            if isinstance(batch_size, int) and got != batch_size:
                raise ValueError(
                    f"dynamic_rnn: sequence_length must have batch_size={batch_size} "
                    f"entries, got {got}"
                )

        chosen = fast.plan(cell, flat_input, batch_size, state)
        if chosen.path != "reference":
            outputs, final_state = fast.run_plan(
                chosen,
                flat_tuple[0],
                state,
                sequence_length,
                parallel_iterations=parallel_iterations or 32,
                swap_memory=swap_memory,
            )
        else:
            time_major_inputs = tf.nest.pack_sequence_as(inputs, flat_tuple)
            outputs, final_state = _dynamic_rnn_loop(
                cell,
                time_major_inputs,
                state,
                parallel_iterations=parallel_iterations or 32,
                swap_memory=swap_memory,
                sequence_length=sequence_length,
                dtype=explicit_dtype,
            )
        if not time_major:
            outputs = tf.nest.map_structure(_transpose_batch_time, outputs)
        return outputs, final_state


def _dynamic_rnn_loop(
    cell: Any,
    inputs: Any,
    initial_state: Any,
    parallel_iterations: int,
    swap_memory: bool,
    sequence_length: tf.Tensor | None,
    dtype: tf.DType | None,
) -> tuple[Any, Any]:
    """The time loop over time-major ``inputs``; see the module docstring."""
    state = initial_state
    flat_input = tf.nest.flatten(inputs)
    flat_output_size = tf.nest.flatten(cell.output_size)
    state_dtype = _infer_state_dtype(dtype, state)

    time_steps = tf.shape(flat_input[0])[0]
    batch_size = _batch_size(tuple(flat_input))
    static_shapes = [x.shape.with_rank_at_least(3) for x in flat_input]
    const_time_steps, const_batch_size = static_shapes[0].as_list()[:2]
    for shape in static_shapes[1:]:
        if shape.as_list()[:2] != [const_time_steps, const_batch_size]:
            raise ValueError(
                "dynamic_rnn: all inputs must share time and batch sizes, got "
                f"{static_shapes[0]} and {shape}"
            )

    def zeros_for(size: Any) -> tf.Tensor:
        dims = tf.TensorShape(size).as_list()
        batch = tf.reshape(tf.convert_to_tensor(batch_size, tf.int32), [1])
        return tf.zeros(tf.concat([batch, tf.constant(dims, tf.int32)], 0), state_dtype)

    flat_zero_output = tuple(zeros_for(size) for size in flat_output_size)
    if sequence_length is not None:
        max_sequence_length = tf.reduce_max(sequence_length)
    else:
        max_sequence_length = time_steps

    time = tf.constant(0, dtype=tf.int32, name="time")
    with tf.name_scope("dynamic_rnn") as base_name:
        pass

    output_ta = tuple(
        tf.TensorArray(
            dtype=state_dtype,
            size=time_steps,
            element_shape=tf.TensorShape([const_batch_size]).concatenate(size),
            tensor_array_name=f"{base_name}output_{i}",
        )
        for i, size in enumerate(flat_output_size)
    )
    input_ta = tuple(
        tf.TensorArray(
            dtype=x.dtype,
            size=time_steps,
            element_shape=x.shape[1:],
            tensor_array_name=f"{base_name}input_{i}",
        ).unstack(x)
        for i, x in enumerate(flat_input)
    )

    def time_step(time: tf.Tensor, output_ta_t: Any, state: Any) -> tuple[Any, ...]:
        input_t = tuple(ta.read(time) for ta in input_ta)
        for tensor, shape in zip(input_t, static_shapes):
            tensor.set_shape(shape[1:])
        input_t = tf.nest.pack_sequence_as(inputs, input_t)
        output, new_state = cell(input_t, state)
        tf.nest.assert_same_structure(state, new_state, check_types=False)
        # The loop needs the exact structure it started with.
        new_state = tf.nest.pack_sequence_as(state, tf.nest.flatten(new_state))
        flat_output = tf.nest.flatten(output)

        if sequence_length is not None:
            # Rows whose sequence has ended keep their state and output zeros.
            finished = time >= sequence_length
            flat_output = [
                _select_rows(finished, zero, new)
                for zero, new in zip(flat_zero_output, flat_output)
            ]
            flat_state = [
                _select_rows(finished, old, new)
                for old, new in zip(tf.nest.flatten(state), tf.nest.flatten(new_state))
            ]
            new_state = tf.nest.pack_sequence_as(state, flat_state)

        output_ta_t = tuple(
            ta.write(time, out) for ta, out in zip(output_ta_t, flat_output)
        )
        return time + 1, output_ta_t, new_state

    loop_bound = tf.minimum(time_steps, tf.maximum(1, max_sequence_length))
    _, output_final_ta, final_state = tf.while_loop(
        cond=lambda time, *_: time < loop_bound,
        body=time_step,
        loop_vars=(time, output_ta, state),
        parallel_iterations=parallel_iterations,
        maximum_iterations=time_steps,
        swap_memory=swap_memory,
    )

    final_outputs = tuple(ta.stack() for ta in output_final_ta)
    for output, size in zip(final_outputs, flat_output_size):
        output.set_shape(
            tf.TensorShape([const_time_steps, const_batch_size]).concatenate(size)
        )
    return tf.nest.pack_sequence_as(cell.output_size, final_outputs), final_state


def _select_rows(finished: tf.Tensor, old: tf.Tensor, new: tf.Tensor) -> tf.Tensor:
    """Row-wise ``old if finished else new``, as TF1's ``where`` on a vector."""
    if new.shape.rank == 0:
        return new
    selected = _v1.where(finished, old, new)
    selected.set_shape(old.shape)
    return selected
