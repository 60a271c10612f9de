"""The fast paths of ``dynamic_rnn``: hoisted input projection and BlockLSTM.

``compat/paths.py`` describes the paths and the switch. This module decides
which path a call can take (``plan``) and runs it (``run_plan``) on time-major
inputs, after ``dynamic_rnn`` has checked its arguments and built the initial
state. The cells' variables are created here, before the loop, in the same
variable scopes and the same order as the reference path's first cell call
would create them, so names, checkpoints and seeded initial values do not
depend on the path.

Both paths follow ``dynamic_rnn``'s rules for ``sequence_length``: outputs
are zero from each example's length on, and the final state is the state
after its last valid step (the initial state for a length of zero).
"""

from __future__ import annotations

import os
import sys
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import tensorflow as tf

from compat.errors import CompatWarning
from compat.paths import get_rnn_path
from compat.rnn.cells import (
    BasicLSTMCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    RNNCell,
)
from compat.rnn.lstm_stack import StackLayer, lstm_elementwise, run_lstm_stack
from compat.rnn.more_cells import GRUCell, LSTMBlockCell
from compat.unsupported import UNSUPPORTED

__all__ = ["Plan", "plan", "run_plan"]

_v1 = tf.compat.v1

# "auto" takes the fused path up to this many multiply-adds per time step
# (batch x the layers' gate matmuls). Measured on a 2-core x86_64 machine with
# TF 2.21: BlockLSTM was 2x faster than the loop at 0.4 M and 1.4x slower at
# 3 M (its matmul does not use oneDNN).
_FUSED_MAX_STEP_MACS = 1_000_000
# The same bound for an unknown batch size, assuming a batch of 32.
_ASSUMED_BATCH = 32


@dataclass(frozen=True)
class _Layer:
    """One recurrent layer the fast paths understand, read off its cell."""

    cell: RNNCell
    kind: str  # "lstm" or "gru"
    num_units: int
    out_size: int
    forget_bias: float = 0.0
    activation: Any = None
    peepholes: bool = False
    cell_clip: float | None = None
    num_proj: int | None = None
    proj_clip: float | None = None

    @property
    def fusable(self) -> bool:
        """Whether BlockLSTM computes this layer's equations exactly."""
        return (
            self.kind == "lstm"
            and self.activation in (tf.tanh, tf.math.tanh, tf.nn.tanh)
            and self.cell_clip is None
            and self.num_proj is None
        )

    def weights(self) -> dict[str, tf.Variable]:
        return self.cell._weights.by_name

    def kernel_name(self) -> str:
        return "gates/kernel" if self.kind == "gru" else "kernel"


def _layer_of(cell: Any) -> _Layer | str:
    """The layer description of ``cell``, or why the fast paths cannot run it."""
    kind = type(cell)
    if kind is BasicLSTMCell:
        if not cell._state_is_tuple:
            return "BasicLSTMCell with state_is_tuple=False"
        return _Layer(
            cell,
            "lstm",
            cell._num_units,
            cell._num_units,
            forget_bias=float(cell._forget_bias),
            activation=cell._activation,
        )
    if kind is LSTMCell:
        if not cell._state_is_tuple:
            return "LSTMCell with state_is_tuple=False"
        return _Layer(
            cell,
            "lstm",
            cell._num_units,
            cell._h_depth,
            forget_bias=float(cell._forget_bias),
            activation=cell._activation,
            peepholes=bool(cell._use_peepholes),
            cell_clip=cell._cell_clip,
            num_proj=cell._num_proj,
            proj_clip=cell._proj_clip,
        )
    if kind is LSTMBlockCell:
        clip = cell._cell_clip
        return _Layer(
            cell,
            "lstm",
            cell._num_units,
            cell._num_units,
            forget_bias=cell._forget_bias,
            activation=tf.tanh,
            peepholes=cell._use_peephole,
            cell_clip=clip if clip is not None and clip > 0 else None,
        )
    if kind is GRUCell:
        return _Layer(
            cell, "gru", cell._num_units, cell._num_units, activation=cell._activation
        )
    return f"{kind.__name__} (only TF1's LSTM and GRU cells have fast paths)"


@dataclass(frozen=True)
class Plan:
    """The path chosen for one ``dynamic_rnn`` call and the layers it runs."""

    path: str
    layers: tuple[_Layer, ...]
    multi: MultiRNNCell | None


def _depth_problem(layer: _Layer, depth: int, dtype: tf.DType) -> str | None:
    """Why a built cell cannot take these inputs (the reference path explains)."""
    cell = layer.cell
    if cell._dtype is not None and cell._dtype != dtype.base_dtype:
        return "the cell's dtype differs from the inputs'"
    if not cell.built:
        return None
    kernel = layer.weights().get(layer.kernel_name())
    if kernel is None:
        return "the cell has no kernel"
    if tf.compat.dimension_value(kernel.shape[0]) != depth + layer.out_size:
        return "the cell was built for another input depth"
    return None


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_TF_DIR = os.path.dirname(os.path.abspath(tf.__file__))


def _caller_level() -> int:
    """The ``stacklevel`` that points a warning at the user's own code.

    Frames of this package and of TensorFlow (``tf.function`` tracing sits
    between the user's call and this module) are skipped.
    """
    level = 1
    frame: types.FrameType | None = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith((_PACKAGE_DIR + os.sep, _TF_DIR + os.sep)):
            return level
        frame = frame.f_back
        level += 1
    return 1


def plan(cell: Any, flat_input: list[tf.Tensor], batch_size: Any, state: Any) -> Plan:
    """Choose the path for ``cell`` on time-major ``flat_input``.

    Returns a ``Plan`` whose ``path`` is ``"reference"`` when no fast path
    applies or the reference path was asked for.
    """
    wanted = get_rnn_path()
    if wanted == "reference":
        return Plan("reference", (), None)

    def fallback(reason: str) -> Plan:
        if wanted != "auto":
            warnings.warn(
                f"dynamic_rnn: the {wanted!r} path cannot run this call ({reason}); "
                "using the reference path",
                CompatWarning,
                stacklevel=_caller_level(),
            )
        return Plan("reference", (), None)

    if len(flat_input) != 1:
        return fallback("the inputs are a nested structure")
    dtype = flat_input[0].dtype
    if not dtype.is_floating:
        return fallback(f"the inputs are {dtype.name}")
    multi = cell if type(cell) is MultiRNNCell else None
    if multi is not None:
        if not multi._state_is_tuple:
            return fallback("MultiRNNCell with state_is_tuple=False")
        cells = multi._cells.items
        if len({id(c) for c in cells}) != len(cells):
            return fallback("MultiRNNCell layers share one cell")
    else:
        cells = [cell]
    layers = []
    depth = int(flat_input[0].shape[-1])
    for item in cells:
        layer = _layer_of(item)
        if isinstance(layer, str):
            return fallback(layer)
        problem = _depth_problem(layer, depth, dtype)
        if problem is not None:
            return fallback(problem)
        layers.append(layer)
        depth = layer.out_size
    flat_state = tf.nest.flatten(state)
    if any(s.dtype.base_dtype != dtype.base_dtype for s in flat_state):
        return fallback("the initial state's dtype differs from the inputs'")

    fusable = dtype == tf.float32 and all(layer.fusable for layer in layers)
    if wanted == "fused":
        if fusable:
            return Plan("fused", tuple(layers), multi)
        why = "BlockLSTM runs float32 only" if dtype != tf.float32 else ""
        for index, layer in enumerate(layers):
            if not why and not layer.fusable:
                why = f"layer {index} is {_unfusable(layer)}"
        warnings.warn(
            f"dynamic_rnn: the 'fused' path cannot run this call ({why}); using "
            "the 'hoisted' path",
            CompatWarning,
            stacklevel=_caller_level(),
        )
        return Plan("hoisted", tuple(layers), multi)
    if wanted == "hoisted":
        return Plan("hoisted", tuple(layers), multi)

    batch = batch_size if isinstance(batch_size, int) else _ASSUMED_BATCH
    in_depth = int(flat_input[0].shape[-1])
    macs = 0
    for layer in layers:
        gates = 4 if layer.kind == "lstm" else 3
        macs += batch * (in_depth + layer.out_size) * gates * layer.num_units
        in_depth = layer.out_size
    if fusable and macs <= _FUSED_MAX_STEP_MACS:
        return Plan("fused", tuple(layers), multi)
    return Plan("hoisted", tuple(layers), multi)


def _unfusable(layer: _Layer) -> str:
    """What BlockLSTM lacks for ``layer`` (a layer that is not fusable)."""
    if layer.kind != "lstm":
        return "a GRU cell"
    if layer.num_proj is not None:
        return "an LSTMCell with num_proj"
    if layer.cell_clip is not None:
        return "an LSTM with cell_clip"
    return "an LSTM with an activation other than tanh"


def _build(cell: RNNCell, depth: int, dtype: tf.DType) -> None:
    """Create the cell's variables as its first call would, in its own scope."""
    with cell._enter_scope(None):
        if not cell.built:
            if cell._dtype is None:
                cell._dtype = dtype.base_dtype
            cell.build(tf.TensorShape([None, depth]))
            cell.built = True


def _build_layers(chosen: Plan, depth: int, dtype: tf.DType) -> None:
    if chosen.multi is None:
        _build(chosen.layers[0].cell, depth, dtype)
        return
    multi = chosen.multi
    with multi._enter_scope(None):
        if multi._dtype is None:
            multi._dtype = dtype.base_dtype
        multi.built = True
        for index, layer in enumerate(chosen.layers):
            with _v1.variable_scope(f"cell_{index}"):
                _build(layer.cell, depth, dtype)
            depth = layer.out_size


def run_plan(
    chosen: Plan,
    inputs: tf.Tensor,
    state: Any,
    sequence_length: tf.Tensor | None,
    parallel_iterations: int,
    swap_memory: bool,
) -> tuple[tf.Tensor, Any]:
    """Run ``chosen`` on time-major ``inputs`` from ``state``.

    Returns ``(outputs [time, batch, output_size], final_state)`` with the
    structure of ``state``.
    """
    depth = int(inputs.shape[-1])
    _build_layers(chosen, depth, inputs.dtype)
    layer_states = list(state) if chosen.multi is not None else [state]
    # The batch size may be known from the state only (as TF1 inferred it).
    batch = tf.TensorShape(inputs.shape[1:2])
    for tensor in tf.nest.flatten(state):
        batch = batch.merge_with(tensor.shape[:1])
    static = tf.TensorShape([inputs.shape[0]]).concatenate(batch)
    if chosen.path == "fused":
        outputs, finals = _run_fused(
            chosen.layers, inputs, layer_states, sequence_length, static
        )
    else:
        outputs, finals = _run_hoisted(
            chosen.layers,
            inputs,
            layer_states,
            sequence_length,
            parallel_iterations,
            swap_memory,
            static,
        )
    final_state = tuple(finals) if chosen.multi is not None else finals[0]
    return outputs, final_state


# The hoisted path.


def _stack_layer(layer: _Layer) -> StackLayer:
    return StackLayer(
        layer.num_units, layer.activation, layer.cell_clip, layer.peepholes
    )


def _peepholes(layer: _Layer, weights: dict[str, Any]) -> tuple[tf.Tensor, ...]:
    if not layer.peepholes:
        return ()
    return tuple(
        tf.convert_to_tensor(weights[name])
        for name in ("w_i_diag", "w_f_diag", "w_o_diag")
    )


def _lstm_step(
    layer: _Layer,
    weights: dict[str, Any],
    gates: tf.Tensor,
    state: LSTMStateTuple,
) -> tuple[tf.Tensor, LSTMStateTuple]:
    """LSTM equations from the gate pre-activations (forget bias included)."""
    c, m = lstm_elementwise(
        _stack_layer(layer), gates, state.c, _peepholes(layer, weights)
    )
    if layer.num_proj is not None:
        m = tf.matmul(m, weights["projection/kernel"])
        if layer.proj_clip is not None:
            m = tf.clip_by_value(m, -layer.proj_clip, layer.proj_clip)
    return m, LSTMStateTuple(c, m)


class _Prepared:
    """A layer's weights split into the input part and the recurrent part."""

    def __init__(self, layer: _Layer, depth: int) -> None:
        self.layer = layer
        w = layer.weights()
        self.weights = w
        units = layer.num_units
        if layer.kind == "lstm":
            kernel = tf.convert_to_tensor(w["kernel"])
            bias = tf.convert_to_tensor(w["bias"])
            # The forget bias is folded into the bias of the f gate once.
            shift = tf.constant(
                [0.0] * (2 * units) + [layer.forget_bias] * units + [0.0] * units,
                dtype=bias.dtype,
            )
            self.kernel = kernel
            self.bias = bias + shift
            self.w_x = kernel[:depth]
            self.w_h = kernel[depth:]
        else:
            gates = tf.convert_to_tensor(w["gates/kernel"])
            candidate = tf.convert_to_tensor(w["candidate/kernel"])
            self.gates_kernel = gates
            self.candidate_kernel = candidate
            self.gates_bias = tf.convert_to_tensor(w["gates/bias"])
            self.candidate_bias = tf.convert_to_tensor(w["candidate/bias"])
            self.w_x = tf.concat([gates[:depth], candidate[:depth]], axis=1)
            self.bias = tf.concat([self.gates_bias, self.candidate_bias], axis=0)
            self.g_h = gates[depth:]
            self.c_h = candidate[depth:]
            self.units = units

    def project(self, inputs: tf.Tensor, static: tf.TensorShape) -> tf.Tensor:
        """``x @ W_x + b`` for every step of time-major ``inputs`` at once."""
        shape = tf.shape(inputs)
        flat = tf.reshape(inputs, [-1, int(inputs.shape[-1])])
        projected = tf.nn.bias_add(tf.matmul(flat, self.w_x), self.bias)
        width = int(self.w_x.shape[-1])
        projected = tf.reshape(projected, tf.concat([shape[:2], [width]], 0))
        projected.set_shape(static.concatenate([width]))
        return projected

    def step_projected(self, x_proj: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """One step, given this step's ``x @ W_x + b``."""
        layer = self.layer
        if layer.kind == "lstm":
            gates = x_proj + tf.matmul(state.h, self.w_h)
            return _lstm_step(layer, self.weights, gates, state)
        x_gates, x_candidate = tf.split(x_proj, [2 * self.units, self.units], axis=1)
        value = tf.sigmoid(x_gates + tf.matmul(state, self.g_h))
        r, u = tf.split(value, 2, axis=1)
        candidate = layer.activation(x_candidate + tf.matmul(r * state, self.c_h))
        new_h = u * state + (1 - u) * candidate
        return new_h, new_h

    def step(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """One step on raw inputs (layers above the first)."""
        layer = self.layer
        if layer.kind == "lstm":
            gates = tf.matmul(tf.concat([inputs, state.h], 1), self.kernel)
            gates = tf.nn.bias_add(gates, self.bias)
            return _lstm_step(layer, self.weights, gates, state)
        value = tf.matmul(tf.concat([inputs, state], 1), self.gates_kernel)
        value = tf.sigmoid(tf.nn.bias_add(value, self.gates_bias))
        r, u = tf.split(value, 2, axis=1)
        candidate = tf.matmul(tf.concat([inputs, r * state], 1), self.candidate_kernel)
        candidate = layer.activation(tf.nn.bias_add(candidate, self.candidate_bias))
        new_h = u * state + (1 - u) * candidate
        return new_h, new_h


def _as_state(layer: _Layer, state: Any) -> Any:
    if layer.kind == "lstm":
        return LSTMStateTuple(*state)
    return state


def _run_hoisted(
    layers: tuple[_Layer, ...],
    inputs: tf.Tensor,
    states: list[Any],
    sequence_length: tf.Tensor | None,
    parallel_iterations: int,
    swap_memory: bool,
    static: tf.TensorShape,
) -> tuple[tf.Tensor, list[Any]]:
    """The hoisted path, on the steps before the longest sequence ends.

    Steps past ``max(sequence_length)`` are never run; they are cut off before
    the input projection (whose weight gradient would otherwise multiply
    their inputs, NaN padding included, by zeros) and come back as zero
    outputs. ``static`` is the known part of ``[time, batch]``.
    """
    time_steps = tf.shape(inputs)[0]
    steps = time_steps
    inner_static = static
    if sequence_length is not None:
        steps = tf.minimum(time_steps, tf.maximum(1, tf.reduce_max(sequence_length)))
        inputs = inputs[:steps]
        inner_static = tf.TensorShape([None]).concatenate(static[1:])
    outputs, finals = _run_hoisted_steps(
        layers,
        inputs,
        states,
        sequence_length,
        parallel_iterations,
        swap_memory,
        inner_static,
    )
    if sequence_length is not None:
        outputs = tf.pad(outputs, [[0, time_steps - steps], [0, 0], [0, 0]])
        outputs.set_shape(static.concatenate([layers[-1].out_size]))
    return outputs, finals


def _run_hoisted_steps(
    layers: tuple[_Layer, ...],
    inputs: tf.Tensor,
    states: list[Any],
    sequence_length: tf.Tensor | None,
    parallel_iterations: int,
    swap_memory: bool,
    static: tf.TensorShape,
) -> tuple[tf.Tensor, list[Any]]:
    """One ``while_loop`` over every step of ``inputs``; see ``_run_hoisted``."""
    depth = int(inputs.shape[-1])
    prepared = []
    for layer in layers:
        prepared.append(_Prepared(layer, depth))
        depth = layer.out_size
    states = [_as_state(layer, s) for layer, s in zip(layers, states)]
    dtype = inputs.dtype
    time_steps = tf.shape(inputs)[0]
    static_time, static_batch = static[0], static[1]
    out_size = layers[-1].out_size

    if all(layer.kind == "lstm" and layer.num_proj is None for layer in layers):
        # One layer gains from the hoisted projection; in a stack, one matmul
        # per layer and step lets the layers overlap better (measured).
        hoist = len(layers) == 1
        outputs, pairs = run_lstm_stack(
            [_stack_layer(layer) for layer in layers],
            prepared[0].project(inputs, static) if hoist else inputs,
            hoist,
            [prepared[0].w_h if hoist else prepared[0].kernel]
            + [p.kernel for p in prepared[1:]],
            [p.bias for p in prepared],
            [_peepholes(layer, p.weights) for layer, p in zip(layers, prepared)],
            [(s.c, s.h) for s in states],
            sequence_length,
            static,
            parallel_iterations,
            swap_memory,
        )
        return outputs, [LSTMStateTuple(c, h) for c, h in pairs]

    projected = prepared[0].project(inputs, static)
    projected_ta = tf.TensorArray(
        dtype, size=time_steps, element_shape=projected.shape[1:]
    ).unstack(projected)
    output_ta = tf.TensorArray(
        dtype,
        size=time_steps,
        element_shape=tf.TensorShape([static_batch, out_size]),
    )
    if sequence_length is not None:
        zero_output = tf.zeros(tf.stack([tf.shape(inputs)[1], out_size]), dtype=dtype)

    def body(time: tf.Tensor, output_ta: Any, layer_states: Any) -> Any:
        output, new_state = prepared[0].step_projected(
            projected_ta.read(time), layer_states[0]
        )
        new_states = [new_state]
        for index in range(1, len(prepared)):
            output, new_state = prepared[index].step(output, layer_states[index])
            new_states.append(new_state)
        if sequence_length is not None:
            finished = time >= sequence_length
            output = tf.where(finished[:, None], zero_output, output)
            new_states = [
                tf.nest.map_structure(
                    lambda old, new: tf.where(finished[:, None], old, new), old, new
                )
                for old, new in zip(layer_states, new_states)
            ]
        # The loop's state keeps the static shape it entered with.
        for old, new in zip(tf.nest.flatten(layer_states), tf.nest.flatten(new_states)):
            new.set_shape(old.shape)
        return time + 1, output_ta.write(time, output), tuple(new_states)

    _, output_ta, finals = tf.while_loop(
        cond=lambda time, *_: time < time_steps,
        body=body,
        loop_vars=(tf.constant(0, tf.int32), output_ta, tuple(states)),
        parallel_iterations=parallel_iterations,
        maximum_iterations=time_steps,
        swap_memory=swap_memory,
    )
    outputs = output_ta.stack()
    outputs.set_shape(tf.TensorShape([static_time, static_batch, out_size]))
    return outputs, list(finals)


# The fused path.


def _run_fused(
    layers: tuple[_Layer, ...],
    inputs: tf.Tensor,
    states: list[Any],
    sequence_length: tf.Tensor | None,
    static: tf.TensorShape,
) -> tuple[tf.Tensor, list[Any]]:
    """One ``BlockLSTM`` op per layer; lengths applied to its outputs.

    ``static`` is the known part of ``[time, batch]``.
    """
    time_steps = tf.shape(inputs)[0]
    if sequence_length is None:
        steps = time_steps
        lengths = None
    else:
        lengths = tf.clip_by_value(sequence_length, 0, time_steps)
        steps = tf.reduce_max(tf.concat([lengths, [0]], 0))
    layer_input = inputs
    finals = []
    for layer, state in zip(layers, states):
        w = layer.weights()
        c_prev, h_prev = state
        units = layer.num_units
        if layer.peepholes:
            wci, wcf, wco = w["w_i_diag"], w["w_f_diag"], w["w_o_diag"]
        else:
            wci = wcf = wco = tf.zeros([units], dtype=inputs.dtype)
        cs, h = _block_lstm(
            tf.cast(steps, tf.int64),
            layer_input,
            c_prev,
            h_prev,
            [tf.convert_to_tensor(t) for t in (w["kernel"], wci, wcf, wco, w["bias"])],
            layer.forget_bias,
            layer.peepholes,
        )
        finals.append(
            LSTMStateTuple(
                _state_at(cs, c_prev, lengths, time_steps),
                _state_at(h, h_prev, lengths, time_steps),
            )
        )
        layer_input = h
    outputs = layer_input
    if lengths is not None:
        valid = tf.range(time_steps)[:, None] < lengths[None, :]
        outputs = tf.where(valid[:, :, None], outputs, tf.zeros_like(outputs))
    outputs.set_shape(static.concatenate([layers[-1].out_size]))
    return outputs, finals


def _block_lstm(
    steps: tf.Tensor,
    x: tf.Tensor,
    c_prev: tf.Tensor,
    h_prev: tf.Tensor,
    weights: list[tf.Tensor],
    forget_bias: float,
    peepholes: bool,
) -> tuple[tf.Tensor, tf.Tensor]:
    """``BlockLSTM`` (clipping off) returning ``(cs, h)``, with its gradient.

    The gradient is TF's ``BlockLSTMGrad``, except that the weight gradients
    of an empty batch are zeros (the kernel leaves them unset).
    ``weights`` is ``[w, wci, wcf, wco, b]``.
    """

    def forward(*values: tf.Tensor) -> Any:
        x, c_prev, h_prev, w, wci, wcf, wco, b = values
        i, cs, f, o, ci, co, h = tf.raw_ops.BlockLSTM(
            seq_len_max=steps,
            x=x,
            cs_prev=c_prev,
            h_prev=h_prev,
            w=w,
            wci=wci,
            wcf=wcf,
            wco=wco,
            b=b,
            forget_bias=forget_bias,
            cell_clip=-1.0,
            use_peephole=peepholes,
        )

        def backward(d_cs: Any, d_h: Any) -> list[tf.Tensor]:
            grads = tf.raw_ops.BlockLSTMGrad(
                seq_len_max=steps,
                x=x,
                cs_prev=c_prev,
                h_prev=h_prev,
                w=w,
                wci=wci,
                wcf=wcf,
                wco=wco,
                b=b,
                i=i,
                cs=cs,
                f=f,
                o=o,
                ci=ci,
                co=co,
                h=h,
                cs_grad=tf.zeros_like(cs) if d_cs is None else d_cs,
                h_grad=tf.zeros_like(h) if d_h is None else d_h,
                use_peephole=peepholes,
            )
            has_rows = tf.shape(x)[1] > 0
            weight_grads = [tf.where(has_rows, g, tf.zeros_like(g)) for g in grads[3:]]
            return [*grads[:3], *weight_grads]

        return (cs, h), backward

    block: Callable[..., Any] = tf.custom_gradient(forward)
    cs, h = block(x, c_prev, h_prev, *weights)
    return cs, h


def _no_second_order(op: Any, *grads: Any) -> Any:
    entry = UNSUPPORTED["fused_path_higher_order"]
    raise LookupError(
        f"{entry.feature} is not supported: {entry.reason}; instead, {entry.workaround}"
    )


try:
    # BlockLSTMGrad has no gradient in TF; say what to do instead.
    tf.RegisterGradient("BlockLSTMGrad")(_no_second_order)
except KeyError:  # a TF release that defines one: use it
    pass


def _state_at(
    sequence: tf.Tensor,
    initial: tf.Tensor,
    lengths: tf.Tensor | None,
    time_steps: tf.Tensor,
) -> tf.Tensor:
    """Each row's state after its last valid step (``initial`` before step 0)."""
    with_initial = tf.concat([initial[None], sequence], axis=0)
    if lengths is None:
        final = with_initial[time_steps]
    else:
        rows = tf.range(tf.shape(lengths)[0])
        final = tf.gather_nd(with_initial, tf.stack([lengths, rows], axis=1))
    final.set_shape(initial.shape)
    return final
