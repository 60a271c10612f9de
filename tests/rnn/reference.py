"""Independent NumPy reference of TF1's LSTM cells and ``dynamic_rnn``.

Written from the published TF1 equations, not from TensorFlow's sources, so that
tests can check the ``compat.rnn`` shim against something that shares none of
its code.

One LSTM step, for input ``x`` [batch, depth], state ``(c, h)`` and a kernel of
shape [depth + h_depth, 4 * num_units] (``h_depth`` is ``num_proj`` when there
is a projection, else ``num_units``)::

    z          = concat([x, h], axis=1) @ kernel + bias
    i, j, f, o = split(z, 4, axis=1)                      # in this order

    without peepholes:
        c' = sigmoid(f + forget_bias) * c + sigmoid(i) * act(j)
    with peepholes (w_f_diag, w_i_diag, w_o_diag of shape [num_units]):
        c' = sigmoid(f + forget_bias + w_f_diag * c) * c
             + sigmoid(i + w_i_diag * c) * act(j)

    if cell_clip:   c' = clip(c', -cell_clip, cell_clip)
    m = sigmoid(o [+ w_o_diag * c' with peepholes]) * act(c')
    if proj_kernel: m = m @ proj_kernel                   # no bias
        if proj_clip: m = clip(m, -proj_clip, proj_clip)

    output = m, new state = (c', m)

``act`` defaults to tanh. ``BasicLSTMCell`` is the case without peepholes, cell
clip or projection. A stack (``MultiRNNCell``) feeds each layer's output to the
next layer as its input and returns the last layer's output.

``dynamic_rnn`` runs a step function over time. With ``sequence_length``, for
batch entry ``b`` and time ``t >= sequence_length[b]`` the output is zero and the
state is carried through unchanged, so the final state is the state after the
last valid step (the initial state when the length is 0).

With ``state_is_tuple=False`` an LSTM state is ``concat([c, h], axis=1)`` and a
stack's state is the concatenation, on axis 1, of its layers' concatenated
states.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Required, TypeAlias, TypedDict

import numpy as np
import numpy.typing as npt

__all__ = [
    "Activation",
    "LSTMParams",
    "State",
    "StepFn",
    "concat_state",
    "dynamic_rnn",
    "lstm_step",
    "multi_step",
    "sigmoid",
    "split_lstm_state",
    "split_stack_state",
]

Array: TypeAlias = npt.NDArray[np.floating[Any]]
# A state is an array or an arbitrarily nested tuple of arrays.
State: TypeAlias = Any
Activation: TypeAlias = Callable[[Array], Array]
StepFn: TypeAlias = Callable[[Array, State], tuple[Array, State]]


class LSTMParams(TypedDict, total=False):
    """Keyword arguments of :func:`lstm_step` for one layer of a stack."""

    kernel: Required[Array]
    bias: Required[Array]
    forget_bias: float
    activation: Activation
    w_f_diag: Array | None
    w_i_diag: Array | None
    w_o_diag: Array | None
    cell_clip: float | None
    proj_kernel: Array | None
    proj_clip: float | None
    dtype: npt.DTypeLike | None


def sigmoid(x: Array) -> Array:
    """Logistic function, written through tanh so that it never overflows.

    Args:
        x: Any floating array.

    Returns:
        ``1 / (1 + exp(-x))`` in the dtype of ``x``.
    """
    half = x.dtype.type(0.5)
    return half * (np.tanh(half * x) + x.dtype.type(1))


def lstm_step(
    x: Array,
    c: Array,
    h: Array,
    kernel: Array,
    bias: Array,
    *,
    forget_bias: float = 1.0,
    activation: Activation = np.tanh,
    w_f_diag: Array | None = None,
    w_i_diag: Array | None = None,
    w_o_diag: Array | None = None,
    cell_clip: float | None = None,
    proj_kernel: Array | None = None,
    proj_clip: float | None = None,
    dtype: npt.DTypeLike | None = None,
) -> tuple[Array, tuple[Array, Array]]:
    """One step of TF1's ``LSTMCell`` (``BasicLSTMCell`` with the defaults).

    Args:
        x: Input, [batch, depth].
        c: Cell state, [batch, num_units].
        h: Previous output, [batch, num_proj or num_units].
        kernel: [depth + h_depth, 4 * num_units], gate columns ordered i, j, f, o.
        bias: [4 * num_units].
        forget_bias: Added to the forget gate's pre-activation.
        activation: Applied to ``j`` and to the new cell state.
        w_f_diag: Forget-gate peephole, [num_units]; the three peepholes are used
            together or not at all.
        w_i_diag: Input-gate peephole, [num_units].
        w_o_diag: Output-gate peephole, [num_units].
        cell_clip: If set, the new cell state is clipped to +-cell_clip.
        proj_kernel: If set, [num_units, num_proj] projection of the output.
        proj_clip: If set (with a projection), the projected output is clipped
            to +-proj_clip.
        dtype: Dtype to compute in; by default the common dtype of the arrays.

    Returns:
        ``(m, (c', m))``: the output and the new state.
    """
    peepholes = (w_f_diag, w_i_diag, w_o_diag)
    use_peepholes = any(p is not None for p in peepholes)
    if use_peepholes and not all(p is not None for p in peepholes):
        raise ValueError("w_f_diag, w_i_diag and w_o_diag go together")
    if proj_clip is not None and proj_kernel is None:
        raise ValueError("proj_clip needs proj_kernel")
    arrays = [x, c, h, kernel, bias]
    arrays += [p for p in (*peepholes, proj_kernel) if p is not None]
    ftype = np.dtype(dtype) if dtype is not None else np.result_type(*arrays)

    def cast(a: npt.ArrayLike) -> Array:
        return np.asarray(a, dtype=ftype)

    x, c, h, kernel, bias = cast(x), cast(c), cast(h), cast(kernel), cast(bias)
    num_units = c.shape[1]
    if kernel.shape != (x.shape[1] + h.shape[1], 4 * num_units):
        raise ValueError(f"kernel shape {kernel.shape} does not fit x, c and h")
    z = np.concatenate([x, h], axis=1) @ kernel + bias
    i, j, f, o = np.split(z, 4, axis=1)
    fb = cast(forget_bias)
    if use_peepholes:
        assert w_f_diag is not None and w_i_diag is not None and w_o_diag is not None
        new_c = sigmoid(f + fb + cast(w_f_diag) * c) * c
        new_c = new_c + sigmoid(i + cast(w_i_diag) * c) * activation(j)
    else:
        new_c = sigmoid(f + fb) * c + sigmoid(i) * activation(j)
    if cell_clip is not None:
        new_c = np.clip(new_c, -cast(cell_clip), cast(cell_clip))
    if use_peepholes:
        assert w_o_diag is not None
        m = sigmoid(o + cast(w_o_diag) * new_c) * activation(new_c)
    else:
        m = sigmoid(o) * activation(new_c)
    if proj_kernel is not None:
        m = m @ cast(proj_kernel)
        if proj_clip is not None:
            m = np.clip(m, -cast(proj_clip), cast(proj_clip))
    return m, (new_c, m)


def multi_step(
    x: Array,
    states: Sequence[tuple[Array, Array]],
    layers: Sequence[LSTMParams],
) -> tuple[Array, tuple[tuple[Array, Array], ...]]:
    """One step of a stack of LSTM layers (TF1's ``MultiRNNCell``).

    Args:
        x: Input of the first layer, [batch, depth].
        states: One ``(c, h)`` per layer.
        layers: One dict of :func:`lstm_step` keyword arguments per layer.

    Returns:
        The last layer's output and the tuple of the layers' new states.
    """
    if len(states) != len(layers):
        raise ValueError(f"{len(states)} states for {len(layers)} layers")
    new_states = []
    out = x
    for (c, h), params in zip(states, layers, strict=True):
        out, new_state = lstm_step(out, c, h, **params)
        new_states.append(new_state)
    return out, tuple(new_states)


def _map_state(fn: Callable[..., Any], *states: State) -> State:
    """Applies ``fn`` leaf by leaf to states of the same nested-tuple structure."""
    first = states[0]
    if isinstance(first, tuple):
        return tuple(_map_state(fn, *parts) for parts in zip(*states, strict=True))
    return fn(*states)


def dynamic_rnn(
    step_fn: StepFn,
    inputs: Array,
    initial_state: State,
    *,
    sequence_length: npt.ArrayLike | None = None,
    time_major: bool = False,
) -> tuple[Array, State]:
    """Runs ``step_fn`` over time with TF1 ``dynamic_rnn`` semantics.

    Args:
        step_fn: ``(x_t, state) -> (output_t, new_state)``.
        inputs: [batch, time, depth], or [time, batch, depth] if ``time_major``.
        initial_state: An array or nested tuple of [batch, n] arrays.
        sequence_length: Optional [batch] ints; past its length an entry's output
            is zero and its state is carried through.
        time_major: Layout of ``inputs`` and of the returned outputs.

    Returns:
        ``(outputs, final_state)``, outputs in the same layout as ``inputs``.
    """
    seq_inputs = np.asarray(inputs) if time_major else np.swapaxes(inputs, 0, 1)
    num_steps, batch = seq_inputs.shape[:2]
    if num_steps == 0:
        raise ValueError("need at least one time step to know the output size")
    if sequence_length is None:
        lengths = np.full([batch], num_steps, dtype=np.int64)
    else:
        lengths = np.asarray(sequence_length, dtype=np.int64).reshape([batch])
    state = initial_state
    outputs = []
    for t in range(num_steps):
        out, new_state = step_fn(seq_inputs[t], state)
        # [batch, 1] so that it broadcasts over the feature axis of every leaf.
        valid = (t < lengths)[:, None]
        outputs.append(np.where(valid, out, np.zeros_like(out)))
        state = _map_state(partial(np.where, valid), new_state, state)
    stacked = np.stack(outputs, axis=0)
    return (stacked if time_major else np.swapaxes(stacked, 0, 1)), state


def concat_state(state: State) -> Array:
    """Concatenates a nested-tuple state as TF1 does with ``state_is_tuple=False``.

    Args:
        state: ``(c, h)`` for one LSTM, a tuple of those for a stack, or any
            nesting of [batch, n] arrays; an array is returned as is.

    Returns:
        The leaves in depth-first order, concatenated on axis 1.
    """
    if not isinstance(state, tuple):
        return np.asarray(state)
    return np.concatenate([concat_state(part) for part in state], axis=1)


def split_lstm_state(state: Array, num_units: int) -> tuple[Array, Array]:
    """Splits one LSTM's concatenated state into ``(c, h)``.

    Args:
        state: [batch, num_units + h_depth].
        num_units: Width of ``c``.

    Returns:
        ``(c, h)``.
    """
    return state[:, :num_units], state[:, num_units:]


def split_stack_state(
    state: Array, sizes: Sequence[tuple[int, int]]
) -> tuple[tuple[Array, Array], ...]:
    """Splits a stack's concatenated state into one ``(c, h)`` per layer.

    Args:
        state: [batch, sum of c_size + h_size over layers].
        sizes: ``(c_size, h_size)`` per layer, i.e. ``(num_units, num_proj or
            num_units)``.

    Returns:
        A tuple of ``(c, h)``, one per layer.
    """
    total = sum(c_size + h_size for c_size, h_size in sizes)
    if state.shape[1] != total:
        raise ValueError(f"state width {state.shape[1]} != sum of sizes {total}")
    layers = []
    start = 0
    for c_size, h_size in sizes:
        layer = state[:, start : start + c_size + h_size]
        layers.append(split_lstm_state(layer, c_size))
        start += c_size + h_size
    return tuple(layers)
