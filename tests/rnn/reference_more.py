"""Independent NumPy reference of TF1's other RNN cells.

Written from the published TF1 equations (the classes' documentation and the
block kernels' documented formulas), not from the shim's code, so that tests
can check ``compat.rnn.more_cells`` against something that shares none of it.
Every step function returns ``(output, new_state)`` and fits
``tests.rnn.reference.dynamic_rnn``.

``[a, b]`` is concatenation on axis 1, ``act`` defaults to tanh::

    BasicRNNCell:   h' = act([x, h] @ W + b)
    GRUCell:        r, u = split(sigmoid([x, h] @ Wg + bg), 2)
                    c = act([x, r * h] @ Wc + bc);  h' = u * h + (1 - u) * c
    GRUBlockCell:   the GRU equations with w_ru, b_ru, w_c, b_c and tanh
    LSTMBlockCell:  i, ci, f, o = split([x, h] @ W + b, 4)
                    i = sigmoid(i + wci * cs);  f = sigmoid(f + forget_bias + wcf * cs)
                    cs' = i * tanh(ci) + f * cs, clipped to +-cell_clip if cell_clip > 0
                    h' = sigmoid(o + wco * cs') * tanh(cs')    (peepholes optional)
    LayerNormBasicLSTMCell:
                    i, j, f, o = split([x, h] @ W (+ b without layer norm), 4)
                    each gate z -> (z - mean) / sqrt(var + 1e-12) * gamma + beta
                    c' = LN(c * sigmoid(f + forget_bias) + sigmoid(i) * act(j))
                    h' = act(c') * sigmoid(o)

The fused LSTM is the LSTMBlockCell step run over time with ``dynamic_rnn``'s
``sequence_length`` semantics (zero outputs past each length, final state at
the last valid step).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from tests.rnn.reference import sigmoid

__all__ = [
    "basic_rnn_step",
    "gru_block_step",
    "gru_step",
    "layer_norm",
    "layer_norm_lstm_step",
    "lstm_block_step",
]

Array: TypeAlias = npt.NDArray[np.floating[Any]]
Activation: TypeAlias = Callable[[Array], Array]


def basic_rnn_step(
    x: Array, h: Array, kernel: Array, bias: Array, activation: Activation = np.tanh
) -> tuple[Array, Array]:
    """One step of ``BasicRNNCell``; output and state are the same array."""
    new_h = activation(np.concatenate([x, h], axis=1) @ kernel + bias)
    return new_h, new_h


def gru_step(
    x: Array,
    h: Array,
    gates_kernel: Array,
    gates_bias: Array,
    candidate_kernel: Array,
    candidate_bias: Array,
    activation: Activation = np.tanh,
) -> tuple[Array, Array]:
    """One step of ``GRUCell`` (and of ``GRUBlockCell`` with its own names)."""
    value = sigmoid(np.concatenate([x, h], axis=1) @ gates_kernel + gates_bias)
    r, u = np.split(value, 2, axis=1)
    c = activation(
        np.concatenate([x, r * h], axis=1) @ candidate_kernel + candidate_bias
    )
    new_h = u * h + (1 - u) * c
    return new_h, new_h


def gru_block_step(
    x: Array, h: Array, w_ru: Array, b_ru: Array, w_c: Array, b_c: Array
) -> tuple[Array, Array]:
    """One step of ``GRUBlockCell``: ``w_ru`` feeds the gates, ``w_c`` the candidate."""
    return gru_step(x, h, w_ru, b_ru, w_c, b_c)


def lstm_block_step(
    x: Array,
    state: tuple[Array, Array],
    kernel: Array,
    bias: Array,
    *,
    forget_bias: float = 1.0,
    cell_clip: float | None = None,
    w_i_diag: Array | None = None,
    w_f_diag: Array | None = None,
    w_o_diag: Array | None = None,
) -> tuple[Array, tuple[Array, Array]]:
    """One step of ``LSTMBlockCell``; the state is ``(cs, h)``."""
    cs, h = state
    z = np.concatenate([x, h], axis=1) @ kernel + bias
    i, ci, f, o = np.split(z, 4, axis=1)
    zeros = np.zeros(cs.shape[1], dtype=cs.dtype)
    wci = zeros if w_i_diag is None else w_i_diag
    wcf = zeros if w_f_diag is None else w_f_diag
    wco = zeros if w_o_diag is None else w_o_diag
    new_cs = sigmoid(i + wci * cs) * np.tanh(ci)
    new_cs = new_cs + sigmoid(f + forget_bias + wcf * cs) * cs
    if cell_clip is not None and cell_clip > 0:
        new_cs = np.clip(new_cs, -cell_clip, cell_clip)
    new_h = sigmoid(o + wco * new_cs) * np.tanh(new_cs)
    return new_h, (new_cs, new_h)


def layer_norm(z: Array, gamma: Array, beta: Array, epsilon: float = 1e-12) -> Array:
    """Normalise each row of ``z`` to zero mean and unit variance, then scale."""
    mean = z.mean(axis=1, keepdims=True)
    variance = ((z - mean) ** 2).mean(axis=1, keepdims=True)
    return (z - mean) / np.sqrt(variance + epsilon) * gamma + beta


def layer_norm_lstm_step(
    x: Array,
    state: tuple[Array, Array],
    kernel: Array,
    norms: Mapping[str, tuple[Array, Array]] | None,
    *,
    bias: Array | None = None,
    forget_bias: float = 1.0,
    activation: Activation = np.tanh,
) -> tuple[Array, tuple[Array, Array]]:
    """One step of ``LayerNormBasicLSTMCell`` without dropout.

    Args:
        x: Input, [batch, depth].
        state: ``(c, h)``.
        kernel: [depth + num_units, 4 * num_units], gate columns i, j, f, o.
        norms: ``(gamma, beta)`` by scope (``input``, ``transform``, ``forget``,
            ``output``, ``state``), or None without layer normalization.
        bias: [4 * num_units], only without layer normalization.
        forget_bias: Added to the forget gate's pre-activation.
        activation: Applied to ``j`` and to the new cell state.

    Returns:
        ``(h', (c', h'))``.
    """
    c, h = state
    z = np.concatenate([x, h], axis=1) @ kernel
    if bias is not None:
        z = z + bias
    i, j, f, o = np.split(z, 4, axis=1)
    if norms is not None:
        i = layer_norm(i, *norms["input"])
        j = layer_norm(j, *norms["transform"])
        f = layer_norm(f, *norms["forget"])
        o = layer_norm(o, *norms["output"])
    new_c: Array = c * sigmoid(f + forget_bias) + sigmoid(i) * activation(j)
    if norms is not None:
        new_c = layer_norm(new_c, *norms["state"])
    new_h = activation(new_c) * sigmoid(o)
    return new_h, (new_c, new_h)
