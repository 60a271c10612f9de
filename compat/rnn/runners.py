"""TF1's other RNN runners on TF2 ops: static, bidirectional, stacked and raw.

``static_rnn`` unrolls the cell over a Python list of time steps; with
``sequence_length`` each step goes through TF1's conditional step (skip the
cell once every row has ended, copy the finished rows' state through and emit
zeros for them). ``static_bidirectional_rnn`` and
``bidirectional_dynamic_rnn`` run a forward and a backward pass under
``bidirectional_rnn/fw`` and ``bidirectional_rnn/bw``; the backward pass reads
the inputs reversed up to each row's length (``reverse_sequence``) when
``sequence_length`` is given, whole otherwise, and its outputs are reversed
back. The ``stack_bidirectional_*`` functions of ``tf.contrib.rnn`` feed each
layer the depth-concatenated outputs of the one below, under
``stack_bidirectional_rnn/cell_<k>``. ``raw_rnn`` is TF1's loop driven by a
user ``loop_fn``.

Scopes, variable names and op order are TF1's, so in v1 graph mode the values
are bitwise those of TensorFlow's own ``tf.compat.v1.nn`` functions; the same
code runs eagerly and inside ``tf.function``.

Divergences from TF1: inputs that are NumPy arrays or nested lists are
converted to tensors (TF1 needed tensors); variables get no caching device
(TF1 set one outside loops; it only moves reads, never values).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import tensorflow as tf

from compat.rnn import fast
from compat.rnn.dynamic import dynamic_rnn

__all__ = [
    "bidirectional_dynamic_rnn",
    "raw_rnn",
    "stack_bidirectional_dynamic_rnn",
    "stack_bidirectional_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
]

_v1 = tf.compat.v1

LoopFn = Callable[[tf.Tensor, Any, Any, Any], tuple[Any, Any, Any, Any, Any]]


def _check_cell(function: str, argument: str, cell: Any) -> None:
    if not (
        all(hasattr(cell, a) for a in ("output_size", "state_size", "zero_state"))
        and callable(cell)
    ):
        raise TypeError(
            f"{function}: {argument} must be an RNN cell (with state_size, "
            f"output_size, zero_state and __call__), got {type(cell).__name__}"
        )


def _check_step_inputs(function: str, inputs: Any) -> None:
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            f"{function}: inputs must be a list of [batch_size, input_size] tensors, "
            f"one per time step, got {type(inputs).__name__}; for a "
            "[batch, time, depth] tensor use tf.unstack(x, axis=1) or dynamic_rnn"
        )
    if not inputs:
        raise ValueError(f"{function}: inputs must hold at least one time step, got []")


def _as_tensors(inputs: Any) -> Any:
    flat = [tf.convert_to_tensor(x) for x in tf.nest.flatten(inputs)]
    return tf.nest.pack_sequence_as(inputs, flat)


def _infer_state_dtype(function: str, explicit: Any, state: Any) -> tf.DType:
    if explicit is not None:
        return tf.as_dtype(explicit)
    dtypes = [t.dtype for t in tf.nest.flatten(state)]
    if not dtypes:
        raise ValueError(f"{function}: cannot infer a dtype from an empty state")
    if any(d != dtypes[0] for d in dtypes):
        raise ValueError(
            f"{function}: all tensors of the initial state must share one dtype "
            f"unless dtype is given, got {[d.name for d in dtypes]}"
        )
    return tf.as_dtype(dtypes[0])


def _zeros(batch_size: Any, size: Any, dtype: tf.DType, static_batch: Any) -> Any:
    """Zeros of shape ``[batch_size] + size`` with as much static shape as known."""
    dims = tf.TensorShape(size).as_list()
    batch = tf.reshape(tf.convert_to_tensor(batch_size, tf.int32), [1])
    zeros = tf.zeros(tf.concat([batch, tf.constant(dims, tf.int32)], 0), dtype)
    zeros.set_shape(tf.TensorShape([static_batch]).concatenate(size))
    return zeros


def _select(finished: tf.Tensor, old: Any, new: Any) -> Any:
    """Row-wise ``old if finished else new``; scalars and TensorArrays pass."""
    if isinstance(old, tf.TensorArray) or old.shape.rank == 0:
        return new
    return _v1.where(finished, old, new)


def _rnn_step(
    time: int,
    sequence_length: tf.Tensor,
    min_sequence_length: tf.Tensor,
    max_sequence_length: tf.Tensor,
    zero_output: Any,
    state: Any,
    call_cell: Callable[[], tuple[Any, Any]],
) -> tuple[Any, Any]:
    """One step of ``static_rnn`` with ``sequence_length``, as TF1's ``_rnn_step``.

    Past the longest sequence the cell is not run (zeros out, state kept);
    before the shortest it runs for every row; in between, finished rows get a
    zero output and keep their state.
    """
    flat_state = tf.nest.flatten(state)
    flat_zero_output = tf.nest.flatten(zero_output)
    finished = time >= sequence_length

    def copy_some_through(flat_output: list[Any], flat_new: list[Any]) -> list[Any]:
        outputs = [
            _select(finished, zero, out)
            for zero, out in zip(flat_zero_output, flat_output)
        ]
        states = [_select(finished, old, new) for old, new in zip(flat_state, flat_new)]
        return outputs + states

    def run_cell() -> list[Any]:
        new_output, new_state = call_cell()
        tf.nest.assert_same_structure(zero_output, new_output)
        tf.nest.assert_same_structure(state, new_state, check_types=False)
        flat_new_output = tf.nest.flatten(new_output)
        flat_new_state = tf.nest.flatten(new_state)
        return tf.cond(
            time < min_sequence_length,
            lambda: flat_new_output + flat_new_state,
            lambda: copy_some_through(flat_new_output, flat_new_state),
        )

    result = tf.cond(
        time >= max_sequence_length,
        lambda: flat_zero_output + flat_state,
        run_cell,
    )
    count = len(flat_zero_output)
    final_output, final_state = result[:count], result[count:]
    for tensor, like in zip(final_output, flat_zero_output):
        tensor.set_shape(like.shape)
    for tensor, like in zip(final_state, flat_state):
        tensor.set_shape(like.shape)
    return (
        tf.nest.pack_sequence_as(zero_output, final_output),
        tf.nest.pack_sequence_as(state, final_state),
    )


def static_rnn(
    cell: Any,
    inputs: Any,
    initial_state: Any = None,
    dtype: Any = None,
    sequence_length: Any = None,
    scope: Any = None,
) -> tuple[list[Any], Any]:
    """Unroll ``cell`` over a list of time steps, as TF1's ``tf.nn.static_rnn``.

    At time ``t`` for row ``b``, with ``sequence_length``::

        (output, state)(b, t) = (zeros, state(b, len_b - 1))  if t >= len_b
                                 cell(input(b, t), state(b, t - 1))  otherwise

    Args:
        cell: An RNN cell.
        inputs: A non-empty list of ``[batch_size, input_size]`` tensors (or
            nested tuples of them), one per time step.
        initial_state: Optional initial state matching ``cell.state_size``.
        dtype: The state's dtype; required when ``initial_state`` is None.
        sequence_length: Optional int32/int64 vector ``[batch_size]``.
        scope: Variable scope of the created variables; ``"rnn"`` by default.

    Returns:
        ``(outputs, state)``: a list of one output per time step and the final
        state.

    Raises:
        TypeError: If ``cell`` is not an RNN cell or ``inputs`` is not a list.
        ValueError: If ``inputs`` is empty, an input depth is unknown, batch
            sizes differ, neither ``initial_state`` nor ``dtype`` is given, or
            ``sequence_length`` is not a vector.
    """
    _check_cell("static_rnn", "cell", cell)
    _check_step_inputs("static_rnn", inputs)
    inputs = _as_tensors(inputs)

    outputs: list[Any] = []
    with _v1.variable_scope(scope or "rnn") as varscope:
        first_input = inputs
        while tf.nest.is_nested(first_input):
            first_input = first_input[0]

        # Rank-1 inputs are ids for an embedding cell: only the batch is checked.
        if first_input.shape.rank != 1:
            static_batch = tf.compat.dimension_value(
                first_input.shape.with_rank_at_least(2)[0]
            )
            for index, flat_input in enumerate(tf.nest.flatten(inputs)):
                shape = flat_input.shape.with_rank_at_least(2)
                batch = tf.compat.dimension_value(shape[0])
                if None not in (static_batch, batch) and batch != static_batch:
                    raise ValueError(
                        f"static_rnn: every input must have batch size "
                        f"{static_batch}, got shape {shape} at position {index}"
                    )
                static_batch = static_batch if static_batch is not None else batch
                if not shape[1:].is_fully_defined():
                    raise ValueError(
                        f"static_rnn: the input size (dimensions after the batch) "
                        f"must be known, got shape {shape} at position {index}"
                    )
            static_batch = tf.compat.dimension_value(first_input.shape[0])
        else:
            static_batch = tf.compat.dimension_value(
                first_input.shape.with_rank_at_least(1)[0]
            )
        batch_size: Any = static_batch or tf.shape(first_input)[0]

        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError(
                    "static_rnn: pass dtype (e.g. dtype=tf.float32) or an "
                    "initial_state; got neither"
                )
            if getattr(cell, "get_initial_state", None) is not None:
                state = cell.get_initial_state(
                    inputs=None, batch_size=batch_size, dtype=dtype
                )
            else:
                state = cell.zero_state(batch_size, dtype)

        if sequence_length is not None:
            sequence_length = tf.convert_to_tensor(
                sequence_length, name="sequence_length"
            )
            if sequence_length.shape.rank not in (None, 1):
                raise ValueError(
                    "static_rnn: sequence_length must be a vector of length "
                    f"batch_size, got shape {sequence_length.shape}"
                )
            state_dtype = _infer_state_dtype("static_rnn", dtype, state)
            flat_zero_output = tuple(
                _zeros(batch_size, size, state_dtype, static_batch)
                for size in tf.nest.flatten(cell.output_size)
            )
            zero_output = tf.nest.pack_sequence_as(cell.output_size, flat_zero_output)
            sequence_length = tf.cast(sequence_length, tf.int32)
            min_sequence_length = tf.reduce_min(sequence_length)
            max_sequence_length = tf.reduce_max(sequence_length)

        fast_result = _static_rnn_fast(cell, inputs, state, batch_size, sequence_length)
        if fast_result is not None:
            return fast_result

        for time, input_ in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()

            def call_cell(step_input: Any = input_, step_state: Any = state) -> Any:
                return cell(step_input, step_state)

            if sequence_length is not None:
                output, state = _rnn_step(
                    time,
                    sequence_length,
                    min_sequence_length,
                    max_sequence_length,
                    zero_output,
                    state,
                    call_cell,
                )
            else:
                output, state = call_cell()
            outputs.append(output)

        return outputs, state


def _static_rnn_fast(
    cell: Any,
    inputs: list[Any],
    state: Any,
    batch_size: Any,
    sequence_length: tf.Tensor | None,
) -> tuple[list[Any], Any] | None:
    """``static_rnn`` on a fast path of ``dynamic_rnn``, or None if none applies.

    The steps are stacked into one time-major tensor and the outputs unstacked
    again. Only plain lists of ``[batch, depth]`` tensors with a state shaped
    like ``cell.state_size`` qualify; the unrolled reference loop handles
    (and reports) everything else.
    """
    if any(tf.nest.is_nested(step) or step.shape.rank != 2 for step in inputs):
        return None
    if len({step.dtype for step in inputs}) != 1:
        return None
    sizes = getattr(cell, "state_size", None)
    try:
        tf.nest.assert_same_structure(sizes, state, check_types=False)
    except (TypeError, ValueError):
        return None
    for size, part in zip(tf.nest.flatten(sizes), tf.nest.flatten(state)):
        if not isinstance(size, int) or not isinstance(part, tf.Tensor):
            return None
        if not part.shape.is_compatible_with([None, size]):
            return None
    stacked = tf.stack(inputs)
    chosen = fast.plan(cell, [stacked], batch_size, state)
    if chosen.path == "reference":
        return None
    outputs, final_state = fast.run_plan(
        chosen,
        stacked,
        state,
        sequence_length,
        parallel_iterations=32,
        swap_memory=False,
    )
    return tf.unstack(outputs, num=len(inputs)), final_state


def _reverse_steps(steps: list[Any], lengths: tf.Tensor | None) -> list[Any]:
    """Reverse a list of time steps, each row only up to its length if given."""
    if lengths is None:
        return list(reversed(steps))

    flat_steps = [tf.nest.flatten(step) for step in steps]
    flat_results: list[list[Any]] = [[] for _ in steps]
    for sequence in zip(*flat_steps):
        shape = tf.TensorShape(None) if sequence[0].shape.rank is None else None
        if shape is None:
            shape = tf.TensorShape([None] * sequence[0].shape.rank)
        for tensor in sequence:
            shape.assert_is_compatible_with(tensor.shape)
            tensor.set_shape(shape)
        joined = tf.stack(sequence)
        reversed_ = tf.reverse_sequence(joined, lengths, seq_axis=0, batch_axis=1)
        for result, flat in zip(tf.unstack(reversed_), flat_results):
            result.set_shape(shape)
            flat.append(result)
    return [
        tf.nest.pack_sequence_as(step, flat) for step, flat in zip(steps, flat_results)
    ]


def static_bidirectional_rnn(
    cell_fw: Any,
    cell_bw: Any,
    inputs: Any,
    initial_state_fw: Any = None,
    initial_state_bw: Any = None,
    dtype: Any = None,
    sequence_length: Any = None,
    scope: Any = None,
) -> tuple[list[Any], Any, Any]:
    """A forward and a backward ``static_rnn``, as TF1's ``static_bidirectional_rnn``.

    The backward cell reads the steps in reverse (each row up to its
    ``sequence_length``); its outputs are reversed back and concatenated with
    the forward outputs along axis 1.

    Args:
        cell_fw: The forward cell.
        cell_bw: The backward cell.
        inputs: A non-empty list of ``[batch_size, input_size]`` tensors.
        initial_state_fw: Optional initial state of the forward cell.
        initial_state_bw: Optional initial state of the backward cell.
        dtype: The states' dtype; required when an initial state is missing.
        sequence_length: Optional int32/int64 vector ``[batch_size]``.
        scope: Variable scope; ``"bidirectional_rnn"`` by default.

    Returns:
        ``(outputs, output_state_fw, output_state_bw)``: one
        ``[batch_size, fw_size + bw_size]`` output per step and both final
        states.

    Raises:
        TypeError: If a cell is not an RNN cell or ``inputs`` is not a list.
        ValueError: If ``inputs`` is empty (and as ``static_rnn``).
    """
    _check_cell("static_bidirectional_rnn", "cell_fw", cell_fw)
    _check_cell("static_bidirectional_rnn", "cell_bw", cell_bw)
    _check_step_inputs("static_bidirectional_rnn", inputs)
    inputs = _as_tensors(inputs)

    with _v1.variable_scope(scope or "bidirectional_rnn"):
        with _v1.variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = static_rnn(
                cell_fw,
                inputs,
                initial_state_fw,
                dtype,
                sequence_length,
                scope=fw_scope,
            )
        with _v1.variable_scope("bw") as bw_scope:
            reversed_inputs = _reverse_steps(list(inputs), sequence_length)
            tmp, output_state_bw = static_rnn(
                cell_bw,
                reversed_inputs,
                initial_state_bw,
                dtype,
                sequence_length,
                scope=bw_scope,
            )

    output_bw = _reverse_steps(tmp, sequence_length)
    flat_outputs = tuple(
        tf.concat([fw, bw], 1)
        for fw, bw in zip(tf.nest.flatten(output_fw), tf.nest.flatten(output_bw))
    )
    outputs = tf.nest.pack_sequence_as(output_fw, flat_outputs)
    return outputs, output_state_fw, output_state_bw


def bidirectional_dynamic_rnn(
    cell_fw: Any,
    cell_bw: Any,
    inputs: Any,
    sequence_length: Any = None,
    initial_state_fw: Any = None,
    initial_state_bw: Any = None,
    dtype: Any = None,
    parallel_iterations: int | None = None,
    swap_memory: bool = False,
    time_major: bool = False,
    scope: Any = None,
) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """Forward and backward ``dynamic_rnn``, as TF1's ``bidirectional_dynamic_rnn``.

    The backward pass reads ``inputs`` reversed along time, each row only up to
    its ``sequence_length`` when given (``reverse_sequence``), and its outputs
    are reversed back the same way.

    Args:
        cell_fw: The forward cell.
        cell_bw: The backward cell.
        inputs: ``[batch_size, max_time, depth]`` (``[max_time, batch_size,
            depth]`` with ``time_major``), or a nested tuple of such tensors.
        sequence_length: Optional int32/int64 vector ``[batch_size]``.
        initial_state_fw: Optional initial state of the forward cell.
        initial_state_bw: Optional initial state of the backward cell.
        dtype: The states' dtype; required when an initial state is missing.
        parallel_iterations: Iterations the loops may run in parallel (32).
        swap_memory: Let the loops swap tensors to host memory.
        time_major: Whether inputs and outputs are time-major.
        scope: Variable scope; ``"bidirectional_rnn"`` by default.

    Returns:
        ``((output_fw, output_bw), (output_state_fw, output_state_bw))``; the
        outputs are not concatenated (``tf.concat(outputs, 2)`` does that).

    Raises:
        TypeError: If a cell is not an RNN cell.
        ValueError: As ``dynamic_rnn``.
    """
    _check_cell("bidirectional_dynamic_rnn", "cell_fw", cell_fw)
    _check_cell("bidirectional_dynamic_rnn", "cell_bw", cell_bw)
    time_axis, batch_axis = (0, 1) if time_major else (1, 0)

    def reverse(tensor: Any) -> Any:
        if sequence_length is not None:
            return tf.reverse_sequence(
                tensor, sequence_length, seq_axis=time_axis, batch_axis=batch_axis
            )
        return tf.reverse(tensor, axis=[time_axis])

    with _v1.variable_scope(scope or "bidirectional_rnn"):
        with _v1.variable_scope("fw") as fw_scope:
            output_fw, output_state_fw = dynamic_rnn(
                cell=cell_fw,
                inputs=inputs,
                sequence_length=sequence_length,
                initial_state=initial_state_fw,
                dtype=dtype,
                parallel_iterations=parallel_iterations,
                swap_memory=swap_memory,
                time_major=time_major,
                scope=fw_scope,
            )
        with _v1.variable_scope("bw") as bw_scope:
            inputs_reverse = tf.nest.map_structure(
                lambda x: reverse(tf.convert_to_tensor(x)), _as_tensors(inputs)
            )
            tmp, output_state_bw = dynamic_rnn(
                cell=cell_bw,
                inputs=inputs_reverse,
                sequence_length=sequence_length,
                initial_state=initial_state_bw,
                dtype=dtype,
                parallel_iterations=parallel_iterations,
                swap_memory=swap_memory,
                time_major=time_major,
                scope=bw_scope,
            )

    output_bw = reverse(tmp)
    return (output_fw, output_bw), (output_state_fw, output_state_bw)


def _check_stack_arguments(
    function: str,
    cells_fw: Any,
    cells_bw: Any,
    initial_states_fw: Any,
    initial_states_bw: Any,
) -> None:
    for argument, cells in (("cells_fw", cells_fw), ("cells_bw", cells_bw)):
        if not isinstance(cells, list):
            raise ValueError(
                f"{function}: {argument} must be a list of RNN cells (one per "
                f"layer), got {type(cells).__name__}"
            )
        if not cells:
            raise ValueError(f"{function}: {argument} must hold at least one cell")
    if len(cells_fw) != len(cells_bw):
        raise ValueError(
            f"{function}: cells_fw and cells_bw must have the same number of layers, "
            f"got {len(cells_fw)} and {len(cells_bw)}"
        )
    for argument, states in (
        ("initial_states_fw", initial_states_fw),
        ("initial_states_bw", initial_states_bw),
    ):
        if states is not None and (
            not isinstance(states, list) or len(states) != len(cells_fw)
        ):
            raise ValueError(
                f"{function}: {argument} must be a list of {len(cells_fw)} states "
                "(one per layer)"
            )


def stack_bidirectional_dynamic_rnn(
    cells_fw: list[Any],
    cells_bw: list[Any],
    inputs: Any,
    initial_states_fw: list[Any] | None = None,
    initial_states_bw: list[Any] | None = None,
    dtype: Any = None,
    sequence_length: Any = None,
    parallel_iterations: int | None = None,
    time_major: bool = False,
    scope: Any = None,
) -> tuple[Any, tuple[Any, ...], tuple[Any, ...]]:
    """Stacked ``bidirectional_dynamic_rnn`` layers, as ``tf.contrib.rnn``'s.

    Layer ``k`` runs under ``<scope>/cell_<k>/bidirectional_rnn/{fw,bw}`` and
    reads ``tf.concat([output_fw, output_bw], 2)`` of layer ``k - 1``.

    Args:
        cells_fw: A list of forward cells, one per layer.
        cells_bw: A list of backward cells, as many as ``cells_fw``.
        inputs: ``[batch_size, max_time, depth]`` (time-major with
            ``time_major``).
        initial_states_fw: Optional list of forward initial states, one per layer.
        initial_states_bw: Optional list of backward initial states.
        dtype: The states' dtype; required when initial states are missing.
        sequence_length: Optional int32/int64 vector ``[batch_size]``.
        parallel_iterations: Iterations the loops may run in parallel (32).
        time_major: Whether inputs and outputs are time-major.
        scope: Variable scope; ``"stack_bidirectional_rnn"`` by default.

    Returns:
        ``(outputs, output_states_fw, output_states_bw)``: the top layer's
        concatenated outputs and tuples of each layer's final states.

    Raises:
        ValueError: If the cell lists are not non-empty lists of equal length,
            or the initial state lists do not have one state per layer.
    """
    function = "stack_bidirectional_dynamic_rnn"
    _check_stack_arguments(
        function, cells_fw, cells_bw, initial_states_fw, initial_states_bw
    )
    states_fw = []
    states_bw = []
    prev_layer = inputs
    with _v1.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            initial_state_fw = initial_states_fw[index] if initial_states_fw else None
            initial_state_bw = initial_states_bw[index] if initial_states_bw else None
            with _v1.variable_scope(f"cell_{index}"):
                outputs, (state_fw, state_bw) = bidirectional_dynamic_rnn(
                    cell_fw,
                    cell_bw,
                    prev_layer,
                    initial_state_fw=initial_state_fw,
                    initial_state_bw=initial_state_bw,
                    sequence_length=sequence_length,
                    parallel_iterations=parallel_iterations,
                    dtype=dtype,
                    time_major=time_major,
                )
                prev_layer = tf.concat(outputs, 2)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_rnn(
    cells_fw: list[Any],
    cells_bw: list[Any],
    inputs: Any,
    initial_states_fw: list[Any] | None = None,
    initial_states_bw: list[Any] | None = None,
    dtype: Any = None,
    sequence_length: Any = None,
    scope: Any = None,
) -> tuple[list[Any], tuple[Any, ...], tuple[Any, ...]]:
    """Stacked ``static_bidirectional_rnn`` layers, as ``tf.contrib.rnn``'s.

    Layer ``k`` runs under ``<scope>/cell_<k>/{fw,bw}`` and reads the
    concatenated step outputs of layer ``k - 1``.

    Args:
        cells_fw: A list of forward cells, one per layer.
        cells_bw: A list of backward cells, as many as ``cells_fw``.
        inputs: A non-empty list of ``[batch_size, input_size]`` tensors.
        initial_states_fw: Optional list of forward initial states, one per layer.
        initial_states_bw: Optional list of backward initial states.
        dtype: The states' dtype; required when initial states are missing.
        sequence_length: Optional int32/int64 vector ``[batch_size]``.
        scope: Variable scope; ``"stack_bidirectional_rnn"`` by default.

    Returns:
        ``(outputs, output_states_fw, output_states_bw)``: the top layer's
        list of step outputs and tuples of each layer's final states.

    Raises:
        ValueError: As ``stack_bidirectional_dynamic_rnn``.
    """
    function = "stack_bidirectional_rnn"
    _check_stack_arguments(
        function, cells_fw, cells_bw, initial_states_fw, initial_states_bw
    )
    states_fw = []
    states_bw = []
    prev_layer = inputs
    with _v1.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            initial_state_fw = initial_states_fw[index] if initial_states_fw else None
            initial_state_bw = initial_states_bw[index] if initial_states_bw else None
            with _v1.variable_scope(f"cell_{index}") as cell_scope:
                prev_layer, state_fw, state_bw = static_bidirectional_rnn(
                    cell_fw,
                    cell_bw,
                    prev_layer,
                    initial_state_fw=initial_state_fw,
                    initial_state_bw=initial_state_bw,
                    sequence_length=sequence_length,
                    dtype=dtype,
                    scope=cell_scope,
                )
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return prev_layer, tuple(states_fw), tuple(states_bw)


def raw_rnn(
    cell: Any,
    loop_fn: LoopFn,
    parallel_iterations: int | None = None,
    swap_memory: bool = False,
    scope: Any = None,
) -> tuple[Any, Any, Any]:
    """Run ``cell`` in a loop steered by ``loop_fn``, as TF1's ``tf.nn.raw_rnn``.

    ``loop_fn(time, cell_output, cell_state, loop_state)`` returns
    ``(finished, next_input, next_cell_state, emit_output, next_loop_state)``.
    It is called once with ``time = 0`` and ``None`` for the rest (its
    ``next_cell_state`` is the initial state; its ``emit_output``, if not
    None, gives the structure, shapes and dtypes of what is emitted), then
    after every cell step with ``time + 1``. The loop runs while some row is
    not finished; finished rows emit zeros and keep their state.

    Args:
        cell: An RNN cell.
        loop_fn: The callable described above.
        parallel_iterations: Iterations the loop may run in parallel (32).
        swap_memory: Let the loop swap tensors to host memory.
        scope: Variable scope; ``"rnn"`` by default.

    Returns:
        ``(emit_ta, final_state, final_loop_state)``: TensorArrays (in the
        emit structure) of the emitted outputs, the final cell state and the
        final loop state (None when ``loop_fn`` gave none).

    Raises:
        TypeError: If ``cell`` is not an RNN cell or ``loop_fn`` is not callable.
        ValueError: If the inputs' batch sizes differ.
    """
    _check_cell("raw_rnn", "cell", cell)
    if not callable(loop_fn):
        raise TypeError(
            f"raw_rnn: loop_fn must be a callable, got {type(loop_fn).__name__}"
        )
    parallel_iterations = parallel_iterations or 32

    with _v1.variable_scope(scope or "rnn"):
        time = tf.constant(0, dtype=tf.int32)
        (elements_finished, next_input, initial_state, emit_structure, init_loop) = (
            loop_fn(time, None, None, None)
        )
        flat_input = tf.nest.flatten(next_input)

        # The loop needs a loop state even when loop_fn keeps none.
        loop_state = init_loop if init_loop is not None else tf.constant(0, tf.int32)

        input_shapes = [tf.convert_to_tensor(x).shape for x in flat_input]
        batches = {
            tf.compat.dimension_value(shape[0]) for shape in input_shapes if shape.rank
        } - {None}
        if len(batches) > 1:
            raise ValueError(
                "raw_rnn: every input must have the same batch size, got shapes "
                f"{[str(shape) for shape in input_shapes]}"
            )
        const_batch_size = batches.pop() if batches else None
        batch_size: Any = const_batch_size
        if batch_size is None:
            batch_size = tf.shape(flat_input[0])[0]

        tf.nest.assert_same_structure(initial_state, cell.state_size, check_types=False)
        flat_state = [tf.convert_to_tensor(s) for s in tf.nest.flatten(initial_state)]
        state = tf.nest.pack_sequence_as(initial_state, flat_state)

        if emit_structure is not None:
            flat_emit_structure = tf.nest.flatten(emit_structure)
            flat_emit_size: list[Any] = [
                emit.shape if emit.shape.is_fully_defined() else tf.shape(emit)
                for emit in flat_emit_structure
            ]
            flat_emit_dtypes = [emit.dtype for emit in flat_emit_structure]
        else:
            emit_structure = cell.output_size
            flat_emit_size = tf.nest.flatten(emit_structure)
            flat_emit_dtypes = [flat_state[0].dtype] * len(flat_emit_size)

        def element_shape(size: Any) -> tf.TensorShape:
            if isinstance(size, tf.Tensor):
                known = tf.get_static_value(size)
                size = tf.TensorShape(None) if known is None else tf.TensorShape(known)
            return tf.TensorShape([const_batch_size]).concatenate(size)

        flat_emit_ta = [
            tf.TensorArray(
                dtype=dtype_i,
                dynamic_size=True,
                element_shape=element_shape(size_i),
                size=0,
                name=f"rnn_output_{i}",
            )
            for i, (dtype_i, size_i) in enumerate(zip(flat_emit_dtypes, flat_emit_size))
        ]
        emit_ta = tf.nest.pack_sequence_as(emit_structure, flat_emit_ta)

        def zeros_for(size: Any, dtype: tf.DType) -> tf.Tensor:
            batch = tf.reshape(tf.convert_to_tensor(batch_size, tf.int32), [1])
            if isinstance(size, tf.Tensor):
                dims = tf.cast(size, tf.int32)
            else:
                dims = tf.constant(tf.TensorShape(size).as_list(), tf.int32)
            return tf.zeros(tf.concat([batch, dims], 0), dtype)

        flat_zero_emit = [
            zeros_for(size_i, dtype_i)
            for size_i, dtype_i in zip(flat_emit_size, flat_emit_dtypes)
        ]
        zero_emit = tf.nest.pack_sequence_as(emit_structure, flat_zero_emit)

        def condition(unused_time: Any, finished: tf.Tensor, *_: Any) -> tf.Tensor:
            return tf.logical_not(tf.reduce_all(finished))

        def body(
            time: tf.Tensor,
            finished: tf.Tensor,
            current_input: Any,
            emit_ta: Any,
            state: Any,
            loop_state: Any,
        ) -> tuple[Any, ...]:
            next_output, cell_state = cell(current_input, state)
            tf.nest.assert_same_structure(state, cell_state, check_types=False)
            tf.nest.assert_same_structure(cell.output_size, next_output)
            cell_state = tf.nest.pack_sequence_as(state, tf.nest.flatten(cell_state))

            next_time = time + 1
            (next_finished, next_input, next_state, emit_output, next_loop_state) = (
                loop_fn(next_time, next_output, cell_state, loop_state)
            )
            tf.nest.assert_same_structure(state, next_state, check_types=False)
            tf.nest.assert_same_structure(current_input, next_input)
            tf.nest.assert_same_structure(emit_ta, emit_output)
            next_state = tf.nest.pack_sequence_as(state, tf.nest.flatten(next_state))

            # A loop_fn that returns no loop state keeps the previous one.
            loop_state = loop_state if next_loop_state is None else next_loop_state

            def copy_some_through(current: Any, candidate: Any) -> Any:
                return tf.nest.map_structure(
                    lambda cur, cand: _select(finished, cur, cand), current, candidate
                )

            emit_output = copy_some_through(zero_emit, emit_output)
            next_state = copy_some_through(state, next_state)
            emit_ta = tf.nest.map_structure(
                lambda ta, emit: ta.write(time, emit), emit_ta, emit_output
            )
            finished = tf.logical_or(finished, next_finished)
            return (next_time, finished, next_input, emit_ta, next_state, loop_state)

        returned = tf.while_loop(
            condition,
            body,
            loop_vars=[time, elements_finished, next_input, emit_ta, state, loop_state],
            parallel_iterations=parallel_iterations,
            swap_memory=swap_memory,
        )
        emit_ta, final_state, final_loop_state = returned[-3:]
        if init_loop is None:
            final_loop_state = None
        return emit_ta, final_state, final_loop_state
