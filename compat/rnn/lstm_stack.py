"""A stack of LSTM layers over time, with a backward pass made for speed.

Automatic differentiation of a ``while_loop`` accumulates the gradient of
every weight inside the loop: each step adds a ``[depth, 4 * units]`` matrix
product into a running sum. Here the backward loop only carries what must be
carried (the gradients of ``c`` and ``h``) and records each step's gate
gradients; the weight gradients are then one large matrix product each, over
all steps and rows at once, which runs near the machine's GEMM rate.

In the forward loop the first layer either gets its input projection ``x @
W_x + b`` precomputed for every step (``hoist_first``; best for one layer)
or, like every layer above it, computes ``[input, h] @ W + b`` per step (one
matmul per layer and step, which lets the layers of a stack overlap best).
The element-wise part of a step (gates, peepholes, clipping, activation) is
recomputed in the backward loop from the saved gate
pre-activations and differentiated there by ``tf.GradientTape``, so every
option of the cells is differentiated by TensorFlow itself.

``sequence_length`` has ``dynamic_rnn``'s meaning: a finished row keeps its
state and outputs zeros; its gradients pass through the kept state unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import tensorflow as tf

__all__ = ["StackLayer", "lstm_elementwise", "run_lstm_stack"]


@dataclass(frozen=True)
class StackLayer:
    """What the recurrence needs to know of one LSTM layer (no projection)."""

    num_units: int
    activation: Callable[[tf.Tensor], tf.Tensor]
    cell_clip: float | None
    peepholes: bool


def lstm_elementwise(
    layer: StackLayer,
    gates: tf.Tensor,
    c_prev: tf.Tensor,
    peepholes: tuple[tf.Tensor, ...],
) -> tuple[tf.Tensor, tf.Tensor]:
    """``(c, h)`` from the gate pre-activations ``i, j, f, o`` (biases added).

    ``peepholes`` is ``(w_i_diag, w_f_diag, w_o_diag)`` or empty.
    """
    act = layer.activation
    i, j, f, o = tf.split(gates, 4, axis=1)
    if peepholes:
        w_i, w_f, w_o = peepholes
        forget = tf.sigmoid(f + w_f * c_prev)
        c = forget * c_prev + tf.sigmoid(i + w_i * c_prev) * act(j)
    else:
        c = tf.sigmoid(f) * c_prev + tf.sigmoid(i) * act(j)
    if layer.cell_clip is not None:
        c = tf.clip_by_value(c, -layer.cell_clip, layer.cell_clip)
    if peepholes:
        h = tf.sigmoid(o + w_o * c) * act(c)
    else:
        h = tf.sigmoid(o) * act(c)
    return c, h


def _or_zeros(gradient: Any, like: tf.Tensor) -> tf.Tensor:
    return tf.zeros_like(like) if gradient is None else gradient


def run_lstm_stack(
    layers: list[StackLayer],
    first_input: tf.Tensor,
    hoist_first: bool,
    kernels: list[tf.Tensor],
    biases: list[tf.Tensor],
    peepholes: list[tuple[tf.Tensor, ...]],
    initial: list[tuple[tf.Tensor, tf.Tensor]],
    sequence_length: tf.Tensor | None,
    static: tf.TensorShape,
    parallel_iterations: int,
    swap_memory: bool,
) -> tuple[tf.Tensor, list[tuple[tf.Tensor, tf.Tensor]]]:
    """Run the stack; return the top layer's outputs and each layer's final state.

    Args:
        layers: The layers, bottom first.
        first_input: With ``hoist_first``, ``[time, batch, 4 * units_0]``, the
            first layer's ``x @ W_x + b`` for every step; else the inputs
            ``[time, batch, depth]``.
        hoist_first: Which of the two ``first_input`` is.
        kernels: Per layer, its whole kernel ``[depth_below + units, 4 *
            units]``; for a hoisted first layer only its ``W_h``.
        biases: Per layer, its bias (forget bias included); not used for a
            hoisted first layer.
        peepholes: Per layer, ``(w_i_diag, w_f_diag, w_o_diag)`` or ``()``.
        initial: Per layer, ``(c, h)``.
        sequence_length: Optional int32 ``[batch]``.
        static: The known part of ``[time, batch]``.
        parallel_iterations: Passed to both ``while_loop`` calls.
        swap_memory: Passed to both ``while_loop`` calls.
    """
    count = len(layers)
    flat: list[tf.Tensor] = [first_input]
    for k, (kernel, bias) in enumerate(zip(kernels, biases)):
        flat += [kernel] if k == 0 and hoist_first else [kernel, bias]
    for layer_peepholes in peepholes:
        flat += list(layer_peepholes)
    for c, h in initial:
        flat += [c, h]

    def unpack(values: list[Any]) -> tuple[Any, ...]:
        position = 1
        kernels: list[Any] = []
        biases: list[Any] = []
        for k in range(count):
            kernels.append(values[position])
            if k == 0 and hoist_first:
                biases.append(None)
                position += 1
            else:
                biases.append(values[position + 1])
                position += 2
        peeps = []
        for layer_peepholes in peepholes:
            peeps.append(tuple(values[position : position + len(layer_peepholes)]))
            position += len(layer_peepholes)
        states = [
            (values[position + 2 * k], values[position + 2 * k + 1])
            for k in range(count)
        ]
        return values[0], kernels, biases, peeps, states

    def forward(*values: tf.Tensor) -> Any:
        x_first, kernels, biases, peeps, states = unpack(list(values))
        dtype = x_first.dtype
        time_steps = tf.shape(x_first)[0]
        first_width = int(x_first.shape[-1])
        batch_shape = static[1:2]

        def array(width: int) -> tf.TensorArray:
            return tf.TensorArray(
                dtype,
                size=time_steps,
                element_shape=batch_shape.concatenate([width]),
            )

        gates_tas = tuple(array(4 * layer.num_units) for layer in layers)
        c_tas = tuple(array(layer.num_units) for layer in layers)
        h_tas = tuple(array(layer.num_units) for layer in layers)

        def body(time: tf.Tensor, gates_tas: Any, c_tas: Any, h_tas: Any,
                 carried: Any) -> Any:  # fmt: skip
            if sequence_length is not None:
                finished = (time >= sequence_length)[:, None]
            layer_input = x_first[time]
            new_carried = []
            gates_tas, c_tas, h_tas = list(gates_tas), list(c_tas), list(h_tas)
            for k, layer in enumerate(layers):
                c_prev, h_prev = carried[k]
                if k == 0 and hoist_first:
                    gates = layer_input + tf.matmul(h_prev, kernels[0])
                else:
                    gates = tf.matmul(tf.concat([layer_input, h_prev], 1), kernels[k])
                    gates = tf.nn.bias_add(gates, biases[k])
                c, h = lstm_elementwise(layer, gates, c_prev, peeps[k])
                layer_input = h
                if sequence_length is not None:
                    c = tf.where(finished, c_prev, c)
                    h = tf.where(finished, h_prev, h)
                c.set_shape(c_prev.shape)
                h.set_shape(h_prev.shape)
                gates_tas[k] = gates_tas[k].write(time, gates)
                c_tas[k] = c_tas[k].write(time, c)
                h_tas[k] = h_tas[k].write(time, h)
                new_carried.append((c, h))
            return (
                time + 1,
                tuple(gates_tas),
                tuple(c_tas),
                tuple(h_tas),
                tuple(new_carried),
            )

        _, gates_tas, c_tas, h_tas, finals = tf.while_loop(
            cond=lambda time, *_: time < time_steps,
            body=body,
            loop_vars=(
                tf.constant(0, tf.int32),
                gates_tas,
                c_tas,
                h_tas,
                tuple(states),
            ),
            parallel_iterations=parallel_iterations,
            maximum_iterations=time_steps,
            swap_memory=swap_memory,
        )
        # The top layer's states are its outputs; rows past their length are
        # zeroed outside this function, so their gradients arrive as zeros.
        outputs = h_tas[-1].stack()
        flat_finals = [t for pair in finals for t in pair]

        def backward(d_outputs: Any, *d_finals: Any) -> list[tf.Tensor]:
            # The forward arrays are read in place (no copies); gradient
            # arrays span every step the loop ran.
            d_outputs = _or_zeros(d_outputs, outputs)
            final_grads = [_or_zeros(d, t) for d, t in zip(d_finals, flat_finals)]
            d_gates_tas = tuple(array(4 * layer.num_units) for layer in layers)
            first_recurrent = kernels[0] if hoist_first else kernels[0][first_width:]
            d_peeps0 = tuple(tuple(tf.zeros_like(p) for p in ps) for ps in peeps)
            d_states0 = tuple(
                (final_grads[2 * k], final_grads[2 * k + 1]) for k in range(count)
            )

            def back_body(time: tf.Tensor, d_states: Any, d_peeps: Any,
                          d_gates_tas: Any) -> Any:  # fmt: skip
                if sequence_length is not None:
                    active = (time < sequence_length)[:, None]
                d_from_above = d_outputs[time]
                if sequence_length is not None:
                    d_from_above = tf.where(
                        active, d_from_above, tf.zeros_like(d_from_above)
                    )
                new_d_states: list[Any] = [None] * count
                new_d_peeps: list[Any] = list(d_peeps)
                d_gates_tas = list(d_gates_tas)
                for k in reversed(range(count)):
                    layer = layers[k]
                    dc, dh = d_states[k]
                    dh = dh + d_from_above
                    dc_in, dh_in = dc, dh
                    if sequence_length is not None:
                        dc_in = tf.where(active, dc, tf.zeros_like(dc))
                        dh_in = tf.where(active, dh, tf.zeros_like(dh))
                    gates = gates_tas[k].read(time)
                    c_prev = tf.where(
                        time > 0,
                        c_tas[k].read(tf.maximum(time - 1, 0)),
                        states[k][0],
                    )
                    watched = [gates, c_prev, *peeps[k]]
                    with tf.GradientTape() as tape:
                        tape.watch(watched)
                        c, h = lstm_elementwise(layer, gates, c_prev, peeps[k])
                    grads = tape.gradient(
                        [c, h], watched, output_gradients=[dc_in, dh_in]
                    )
                    grads = [_or_zeros(g, w) for g, w in zip(grads, watched)]
                    d_gates, dc_prev = grads[0], grads[1]
                    new_d_peeps[k] = tuple(
                        old + new for old, new in zip(d_peeps[k], grads[2:])
                    )
                    if k == 0:
                        # The inputs' gradient waits for one matmul after the
                        # loop (and is skipped when nobody asks for it).
                        dh_prev = tf.matmul(d_gates, first_recurrent, transpose_b=True)
                    else:
                        d_both = tf.matmul(d_gates, kernels[k], transpose_b=True)
                        d_from_above, dh_prev = tf.split(
                            d_both, [layers[k - 1].num_units, layer.num_units], axis=1
                        )
                    if sequence_length is not None:
                        dc_prev = tf.where(active, dc_prev, dc)
                        dh_prev = tf.where(active, dh_prev, dh)
                    dc_prev.set_shape(dc.shape)
                    dh_prev.set_shape(dh.shape)
                    new_d_states[k] = (dc_prev, dh_prev)
                    d_gates_tas[k] = d_gates_tas[k].write(time, d_gates)
                return (
                    time - 1,
                    tuple(new_d_states),
                    tuple(new_d_peeps),
                    tuple(d_gates_tas),
                )

            _, d_states, d_peeps, d_gates_tas = tf.while_loop(
                cond=lambda time, *_: time >= 0,
                body=back_body,
                loop_vars=(time_steps - 1, d_states0, d_peeps0, d_gates_tas),
                parallel_iterations=parallel_iterations,
                maximum_iterations=time_steps,
                swap_memory=swap_memory,
            )

            def product(inputs: tf.Tensor, d_gates: tf.Tensor) -> tf.Tensor:
                """``sum over steps and rows of inputs^T @ d_gates``, one matmul."""
                width = int(inputs.shape[-1])
                return tf.matmul(
                    tf.reshape(inputs, [-1, width]),
                    tf.reshape(d_gates, [-1, int(d_gates.shape[-1])]),
                    transpose_a=True,
                )

            d_gates_all = [ta.stack() for ta in d_gates_tas]
            for d_gates, layer in zip(d_gates_all, layers):
                d_gates.set_shape(
                    tf.TensorShape([None]).concatenate(
                        batch_shape.concatenate([4 * layer.num_units])
                    )
                )
            states_after = [ta.stack() for ta in h_tas[:-1]] + [outputs]
            # Each step's h before it ran: the initial h, then the states after
            # steps 0 .. time - 2.
            states_before = [
                tf.concat([h0[None], after], 0)[:time_steps]
                for (_, h0), after in zip(states, states_after)
            ]
            if hoist_first:
                d_first = d_gates_all[0]
            else:
                d_first = tf.reshape(
                    tf.matmul(
                        tf.reshape(d_gates_all[0], [-1, 4 * layers[0].num_units]),
                        kernels[0][:first_width],
                        transpose_b=True,
                    ),
                    tf.shape(x_first),
                )
            grads: list[tf.Tensor] = [d_first]
            for k in range(count):
                if k == 0 and hoist_first:
                    grads.append(product(states_before[0], d_gates_all[0]))
                    continue
                below = x_first if k == 0 else states_after[k - 1]
                both = tf.concat([below, states_before[k]], axis=-1)
                grads.append(product(both, d_gates_all[k]))
                grads.append(tf.reduce_sum(d_gates_all[k], axis=[0, 1]))
            for layer_d_peeps in d_peeps:
                grads += list(layer_d_peeps)
            for dc, dh in d_states:
                grads += [dc, dh]
            return grads

        return (outputs, *flat_finals), backward

    stack: Callable[..., Any] = tf.custom_gradient(forward)
    results = stack(*flat)
    outputs = results[0]
    if sequence_length is not None:
        valid = tf.range(tf.shape(outputs)[0])[:, None] < sequence_length[None, :]
        outputs = tf.where(valid[:, :, None], outputs, tf.zeros_like(outputs))
    outputs.set_shape(static.concatenate([layers[-1].num_units]))
    finals = []
    for k in range(count):
        c, h = results[1 + 2 * k], results[2 + 2 * k]
        c.set_shape(initial[k][0].shape)
        h.set_shape(initial[k][1].shape)
        finals.append((c, h))
    return outputs, finals
