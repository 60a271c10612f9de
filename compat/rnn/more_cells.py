"""TF1's other RNN cells on TF2 ops: the simple RNN, GRU, block and layer-norm cells.

``BasicRNNCell`` and ``GRUCell`` are ``tf.nn.rnn_cell``'s; ``LSTMBlockCell``,
``GRUBlockCell``, ``LSTMBlockFusedCell`` and ``LayerNormBasicLSTMCell`` are
``tf.contrib.rnn``'s (TF 1.15). Each keeps TF1's constructor signature,
defaults, variable names, shapes and creation order, so TF1 checkpoints
restore into it, and runs in v1 graph mode, eagerly and inside
``tf.function`` like the cells of ``compat.rnn.cells``.

TF1 ran the block cells as single C++ kernels (``LSTMBlockCell``,
``GRUBlockCell``, ``BlockLSTM``). Here they are composed of ordinary TF ops in
the order those kernels evaluate their expressions, which gives them
gradients, every float dtype and XLA; their values equal the kernels' up to
float rounding (TF's graph optimizer may regroup an expression, and a matrix
product may sum in another order).

Divergences from TF1 are listed in each class's docstring.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import tensorflow as tf

from compat.errors import TF1DeprecationWarning
from compat.rnn.cells import (
    Activation,
    LSTMStateTuple,
    RNNCell,
    _check_against_kernel,
    _check_cell_inputs,
    _check_float_dtypes,
    _check_num_units,
    _check_state_dtype,
    _dim,
    _get_activation,
    _lstm_state_error,
    _state_shape_error,
)

__all__ = [
    "BasicRNNCell",
    "GRUBlockCell",
    "GRUCell",
    "LSTMBlockCell",
    "LSTMBlockFusedCell",
    "LayerNormBasicLSTMCell",
]

_v1 = tf.compat.v1


def _input_depth(cls: str, inputs_shape: Any) -> int:
    depth = _dim(tf.TensorShape(inputs_shape), -1)
    if depth is None:
        raise ValueError(
            f"{cls}: the last dimension of inputs must be known, got {inputs_shape}"
        )
    return int(depth)


def _check_step_inputs(cls: str, inputs: tf.Tensor) -> None:
    _check_cell_inputs(cls, inputs)
    _check_float_dtypes(inputs, cls)


def _check_single_state(cls: str, state: Any, num_units: int) -> None:
    """A one-tensor state of shape ``[batch, num_units]``."""
    if isinstance(state, (tuple, list)):
        raise ValueError(
            f"{cls}: state must be one tensor of shape [batch, {num_units}], got a "
            f"{type(state).__name__} of {len(state)}"
        )
    got = state.shape
    if got.rank is not None and (
        got.rank != 2 or _dim(got, -1) not in (None, num_units)
    ):
        raise _state_shape_error(cls, "state", f"[batch, {num_units}]", got)


def _check_lstm_state(cls: str, state: Any, num_units: int) -> None:
    error = _lstm_state_error(cls, state, num_units, num_units, True)
    if error is not None:
        raise error


def _attr_constant(value: float, dtype: tf.DType) -> tf.Tensor:
    # The block kernels took forget_bias and cell_clip as float32 attributes
    # and converted them to float16 from there; float64, which they did not
    # support, gets the exact value.
    if dtype == tf.float16:
        return tf.cast(tf.constant(value, tf.float32), dtype)
    return tf.constant(value, dtype)


class BasicRNNCell(RNNCell):
    """TF1's most basic RNN cell: one dense layer over ``[x, h]``.

    With ``W`` of shape ``[input_size + num_units, num_units]`` and ``b``::

        h' = act([x, h] @ W + b)
        output = new_state = h'

    Variables: ``<scope>/basic_rnn_cell/kernel`` (glorot uniform) and
    ``.../bias`` (zeros).

    Args:
        num_units: Number of units (size of ``h``).
        activation: Nonlinearity; ``tanh`` by default.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        name: Scope name of the cell.
        dtype: Dtype of the variables; defaults to the inputs' dtype.

    Divergences from TF1: no deprecation notice is logged; the cell is not a
    Keras layer (see ``RNNCell``).
    """

    def __init__(
        self,
        num_units: int,
        activation: str | Activation | None = None,
        reuse: bool | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype, _reuse=reuse)
        self._num_units = _check_num_units(num_units, "num_units", "BasicRNNCell")
        self._activation = _get_activation(activation)

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _input_depth("BasicRNNCell", inputs_shape)
        n = self._num_units
        self.add_weight("kernel", [depth + n, n])
        self.add_weight("bias", [n], initializer=_v1.zeros_initializer())

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_step_inputs("BasicRNNCell", inputs)
        return super().__call__(inputs, state, scope)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, tf.Tensor]:
        """One step, with TF1's op order (so values are bitwise TF1's)."""
        _check_float_dtypes([inputs, state], "BasicRNNCell")
        _check_single_state("BasicRNNCell", state, self._num_units)
        w = self._weights.by_name
        _check_against_kernel(self, inputs, w["kernel"], self._num_units)
        _check_state_dtype(self, inputs, state)

        gate_inputs = tf.matmul(tf.concat([inputs, state], 1), w["kernel"])
        gate_inputs = tf.nn.bias_add(gate_inputs, w["bias"])
        output = self._activation(gate_inputs)
        return output, output


class GRUCell(RNNCell):
    """TF1's gated recurrent unit (Cho et al., 2014).

    With ``Wg`` of shape ``[input_size + num_units, 2 * num_units]``, ``Wc`` of
    shape ``[input_size + num_units, num_units]`` and biases ``bg``, ``bc``::

        r, u = split(sigmoid([x, h] @ Wg + bg), 2, axis=1)
        c    = act([x, r * h] @ Wc + bc)
        h'   = u * h + (1 - u) * c
        output = new_state = h'

    Variables, under ``<scope>/gru_cell``: ``gates/kernel``, ``gates/bias``
    (ones), ``candidate/kernel``, ``candidate/bias`` (zeros).
    ``kernel_initializer`` initialises both kernels; ``bias_initializer``,
    when given, both biases.

    Args:
        num_units: Number of units (size of ``h``).
        activation: Nonlinearity of the candidate; ``tanh`` by default.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        kernel_initializer: Initializer of both kernels; glorot uniform if None.
        bias_initializer: Initializer of both biases; if None the gate bias
            starts at 1.0 and the candidate bias at 0.0.
        name: Scope name of the cell.
        dtype: Dtype of the variables; defaults to the inputs' dtype.

    Divergences from TF1: no deprecation notice is logged; the cell is not a
    Keras layer (see ``RNNCell``), so the initializers must be TF initializers
    or callables ``(shape, dtype)``, not Keras initializer names.
    """

    def __init__(
        self,
        num_units: int,
        activation: str | Activation | None = None,
        reuse: bool | None = None,
        kernel_initializer: Any = None,
        bias_initializer: Any = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype, _reuse=reuse)
        self._num_units = _check_num_units(num_units, "num_units", "GRUCell")
        self._activation = _get_activation(activation)
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _input_depth("GRUCell", inputs_shape)
        n = self._num_units
        kernel_init = self._kernel_initializer
        bias_init = self._bias_initializer
        self.add_weight("gates/kernel", [depth + n, 2 * n], initializer=kernel_init)
        self.add_weight(
            "gates/bias",
            [2 * n],
            initializer=(
                bias_init if bias_init is not None else _v1.constant_initializer(1.0)
            ),
        )
        self.add_weight("candidate/kernel", [depth + n, n], initializer=kernel_init)
        self.add_weight(
            "candidate/bias",
            [n],
            initializer=bias_init if bias_init is not None else _v1.zeros_initializer(),
        )

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_step_inputs("GRUCell", inputs)
        return super().__call__(inputs, state, scope)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, tf.Tensor]:
        """One GRU step, with TF1's op order (so values are bitwise TF1's)."""
        _check_float_dtypes([inputs, state], "GRUCell")
        _check_single_state("GRUCell", state, self._num_units)
        w = self._weights.by_name
        _check_against_kernel(self, inputs, w["gates/kernel"], self._num_units)
        _check_state_dtype(self, inputs, state)

        gate_inputs = tf.matmul(tf.concat([inputs, state], 1), w["gates/kernel"])
        gate_inputs = tf.nn.bias_add(gate_inputs, w["gates/bias"])
        value = tf.sigmoid(gate_inputs)
        r, u = tf.split(value=value, num_or_size_splits=2, axis=1)

        r_state = r * state
        candidate = tf.matmul(tf.concat([inputs, r_state], 1), w["candidate/kernel"])
        candidate = tf.nn.bias_add(candidate, w["candidate/bias"])

        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h


def _lstm_block_step(
    x: tf.Tensor,
    cs_prev: tf.Tensor,
    h_prev: tf.Tensor,
    kernel: tf.Tensor,
    bias: tf.Tensor,
    peepholes: tuple[tf.Tensor, tf.Tensor, tf.Tensor] | None,
    forget_bias: float,
    cell_clip: float | None,
) -> tuple[tf.Tensor, tf.Tensor]:
    """One step of TF1's ``LSTMBlockCell`` kernel; returns ``(cs, h)``.

    The gate columns are ``i, ci, f, o`` (the kernel's ICFO layout, the same
    order as ``LSTMCell``'s ``i, j, f, o``) and each expression is evaluated
    in the kernel's order.
    """
    gates = tf.matmul(tf.concat([x, h_prev], 1), kernel)
    gates = tf.nn.bias_add(gates, bias)
    i, ci, f, o = tf.split(value=gates, num_or_size_splits=4, axis=1)
    dtype = gates.dtype

    if peepholes is not None:
        wci, wcf, wco = peepholes
        i = tf.sigmoid(i + cs_prev * wci)
    else:
        i = tf.sigmoid(i)
    ci = tf.tanh(ci)
    if peepholes is not None:
        f = tf.sigmoid(f + _attr_constant(forget_bias, dtype) + cs_prev * wcf)
    else:
        f = tf.sigmoid(f + _attr_constant(forget_bias, dtype))

    cs = i * ci + f * cs_prev
    if cell_clip is not None and cell_clip > 0:
        clip = _attr_constant(cell_clip, dtype)
        cs = tf.clip_by_value(cs, -clip, clip)

    co = tf.tanh(cs)
    if peepholes is not None:
        o = tf.sigmoid(o + cs * wco)
    else:
        o = tf.sigmoid(o)
    h = o * co
    return cs, h


class _LSTMBlockBase(RNNCell):
    """Variables and one step shared by ``LSTMBlockCell`` and the fused cell."""

    def __init__(
        self,
        cls: str,
        num_units: int,
        forget_bias: float,
        cell_clip: float | None,
        use_peephole: bool,
        reuse: bool | None,
        dtype: Any,
        name: str | None,
    ) -> None:
        super().__init__(name=name, dtype=dtype, _reuse=reuse)
        self._cls = cls
        self._num_units = _check_num_units(num_units, "num_units", cls)
        if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real):
            raise TypeError(f"{cls}: forget_bias must be a number, got {forget_bias!r}")
        if cell_clip is not None and (
            isinstance(cell_clip, bool) or not isinstance(cell_clip, numbers.Real)
        ):
            raise TypeError(
                f"{cls}: cell_clip must be a number or None, got {cell_clip!r}"
            )
        self._forget_bias: float = float(forget_bias)
        self._cell_clip: float | None = None if cell_clip is None else float(cell_clip)
        self._use_peephole: bool = bool(use_peephole)

    @property
    def state_size(self) -> LSTMStateTuple:
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _input_depth(self._cls, inputs_shape)
        n = self._num_units
        self.add_weight("kernel", [depth + n, 4 * n])
        self.add_weight("bias", [4 * n], initializer=_v1.constant_initializer(0.0))
        if self._use_peephole:
            self.add_weight("w_i_diag", [n])
            self.add_weight("w_f_diag", [n])
            self.add_weight("w_o_diag", [n])

    def _peepholes(self) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor] | None:
        if not self._use_peephole:
            return None
        w = self._weights.by_name
        return w["w_i_diag"], w["w_f_diag"], w["w_o_diag"]

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, LSTMStateTuple]:
        """One step, evaluated in the order of TF1's ``LSTMBlockCell`` kernel."""
        _check_float_dtypes([inputs, state], self._cls)
        _check_lstm_state(self._cls, state, self._num_units)
        w = self._weights.by_name
        _check_against_kernel(self, inputs, w["kernel"], self._num_units)
        _check_state_dtype(self, inputs, state)
        cs_prev, h_prev = state
        cs, h = _lstm_block_step(
            inputs,
            cs_prev,
            h_prev,
            w["kernel"],
            w["bias"],
            self._peepholes(),
            self._forget_bias,
            self._cell_clip,
        )
        return h, LSTMStateTuple(cs, h)


class LSTMBlockCell(_LSTMBlockBase):
    """``tf.contrib.rnn.LSTMBlockCell``: TF1's LSTM as one kernel, here as TF ops.

    With ``W`` of shape ``[input_size + num_units, 4 * num_units]`` and ``b``::

        i, ci, f, o = split([x, h] @ W + b, 4, axis=1)
        i  = sigmoid(i [+ cs * w_i_diag])
        ci = tanh(ci)
        f  = sigmoid(f + forget_bias [+ cs * w_f_diag])
        cs' = i * ci + f * cs
        cs' = clip(cs', -cell_clip, cell_clip)        if cell_clip > 0
        o  = sigmoid(o [+ cs' * w_o_diag])
        h' = o * tanh(cs')
        output = h', new state = LSTMStateTuple(cs', h')

    Terms in brackets apply with ``use_peephole``. The gate order and the
    variable names equal ``LSTMCell``'s, so checkpoints move between the two
    (peephole names too; only their creation order differs). Variables, under
    ``<scope>/lstm_cell``: ``kernel`` (glorot uniform), ``bias`` (zeros), and
    with peepholes ``w_i_diag``, ``w_f_diag``, ``w_o_diag`` (glorot uniform),
    created in that order. The activation is always ``tanh``.

    Args:
        num_units: Number of units (size of ``cs`` and ``h``).
        forget_bias: Added to the forget gate's pre-activation at run time.
        cell_clip: Clip ``cs`` to ``[-cell_clip, cell_clip]``; None, zero or a
            negative value means no clipping (as TF1's kernel read it).
        use_peephole: Add the diagonal peephole connections.
        dtype: Dtype of the variables; defaults to the inputs' dtype.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        name: Scope name of the cell; ``"lstm_cell"`` as in TF1.

    Divergences from TF1: TF1 ran the ``LSTMBlockCell`` C++ kernel (float16 and
    float32 only); this cell composes TF ops in that kernel's order, so it
    also runs in float64, under XLA and with TF2's automatic gradients, and
    its values equal the kernel's within float rounding rather than bitwise
    (the matrix product may sum in another order).
    """

    def __init__(
        self,
        num_units: int,
        forget_bias: float = 1.0,
        cell_clip: float | None = None,
        use_peephole: bool = False,
        dtype: Any = None,
        reuse: bool | None = None,
        name: str | None = "lstm_cell",
    ) -> None:
        super().__init__(
            "LSTMBlockCell",
            num_units,
            forget_bias,
            cell_clip,
            use_peephole,
            reuse,
            dtype,
            name,
        )

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_step_inputs("LSTMBlockCell", inputs)
        return super().__call__(inputs, state, scope)


class LSTMBlockFusedCell(_LSTMBlockBase):
    """``tf.contrib.rnn.LSTMBlockFusedCell``: the block LSTM over a whole sequence.

    Called on time-major inputs ``[time, batch, input_size]`` (or a list of
    ``time`` tensors ``[batch, input_size]``), it runs the step of
    ``LSTMBlockCell`` (same equations, variables and gate order) for
    ``t < max(sequence_length)`` (every step without ``sequence_length``)::

        cs[t], h[t] = LSTMBlockCell step(x[t], cs[t-1], h[t-1])
        cs[t] = h[t] = 0                                for t >= max(sequence_length)
        outputs = h * (t < sequence_length[b])                  (with sequence_length)
        final state = (cs, outputs) at t = sequence_length[b] - 1, or the
                      initial state where sequence_length[b] == 0

    Without ``sequence_length`` the final state is the last step's. Variables,
    under ``<scope>/lstm_fused_cell``: ``kernel``, ``bias`` (zeros) and with
    peepholes ``w_i_diag``, ``w_f_diag``, ``w_o_diag``, as ``LSTMBlockCell``'s.

    Call it as ``cell(inputs, initial_state=None, dtype=None,
    sequence_length=None, scope=None) -> (outputs, LSTMStateTuple(cs, h))``;
    outputs are ``[time, batch, num_units]`` (a list when the inputs were a
    list).

    Args:
        num_units: Number of units (size of ``cs`` and ``h``).
        forget_bias: Added to the forget gate's pre-activation at run time.
        cell_clip: Clip ``cs`` to ``[-cell_clip, cell_clip]``; None, zero or a
            negative value means no clipping.
        use_peephole: Add the diagonal peephole connections.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        dtype: Dtype of the variables; defaults to the inputs' dtype.
        name: Scope name of the cell; ``"lstm_fused_cell"`` as in TF1.

    Divergences from TF1: TF1 ran the ``BlockLSTM`` C++ kernel (float16 and
    float32 only); here a ``tf.while_loop`` runs the steps with TF ops, so
    values equal the kernel's within float rounding, float64 works, and the
    kernel's warning about odd batch and input sizes is not logged. TF1's
    fused cell was no ``RNNCell``; this one also takes one step when called
    on a rank-2 input with a state, ``cell(x_t, state)``, so it works inside
    ``dynamic_rnn`` and ``MultiRNNCell`` too (with the same variables).
    ``sequence_length`` may be int32 or int64.
    """

    def __init__(
        self,
        num_units: int,
        forget_bias: float = 1.0,
        cell_clip: float | None = None,
        use_peephole: bool = False,
        reuse: bool | None = None,
        dtype: Any = None,
        name: str | None = "lstm_fused_cell",
    ) -> None:
        super().__init__(
            "LSTMBlockFusedCell",
            num_units,
            forget_bias,
            cell_clip,
            use_peephole,
            reuse,
            dtype,
            name,
        )

    @property
    def num_units(self) -> int:
        """Number of units in this cell (output dimension)."""
        return self._num_units

    def __call__(  # type: ignore[override]
        self,
        inputs: Any,
        initial_state: Any = None,
        dtype: Any = None,
        sequence_length: Any = None,
        scope: Any = None,
    ) -> tuple[Any, Any]:
        """Run the LSTM over ``inputs`` from ``initial_state``.

        Args:
            inputs: ``[time, batch, input_size]``, or a list of ``time`` tensors
                ``[batch, input_size]``; a single ``[batch, input_size]`` step
                when called with a state (``cell(x_t, state)``).
            initial_state: ``(cs, h)``, each ``[batch, num_units]``; zeros of
                ``dtype`` when None.
            dtype: The state's dtype; needed when ``initial_state`` is None.
            sequence_length: Optional int vector ``[batch]`` of lengths in
                ``[0, time]``.
            scope: A name or ``VariableScope`` for the variables (first call).

        Returns:
            ``(outputs, LSTMStateTuple(cs, h))``.

        Raises:
            ValueError: On inputs of the wrong rank, unknown depth or a
                non-float dtype; when neither ``initial_state`` nor ``dtype``
                is given; on an ``initial_state`` that is not a pair of
                ``[batch, num_units]`` tensors.
        """
        is_list = isinstance(inputs, list)
        if is_list:
            inputs = tf.stack(inputs)
        inputs = tf.convert_to_tensor(inputs)
        rank = inputs.shape.rank
        if rank == 2:
            if initial_state is None or sequence_length is not None:
                raise ValueError(
                    "LSTMBlockFusedCell: inputs must have rank 3 [time, batch, "
                    f"input_size], got shape {inputs.shape}; to run one step call "
                    "cell(x_t, state) with a state and no sequence_length"
                )
            _check_step_inputs("LSTMBlockFusedCell", inputs)
            return super().__call__(inputs, initial_state, scope)
        if rank != 3:
            raise ValueError(
                "LSTMBlockFusedCell: inputs must have rank 3 [time, batch, "
                f"input_size], got shape {inputs.shape}"
            )
        if _dim(inputs.shape, 2) is None:
            raise ValueError(
                "LSTMBlockFusedCell: the last dimension of inputs must be known, got "
                f"shape {inputs.shape}"
            )
        _check_float_dtypes(inputs, "LSTMBlockFusedCell")

        with self._enter_scope(scope):
            if not self.built:
                self._set_dtype(inputs)
                self.build(inputs.shape)
                self.built = True
            outputs, final_state = self._run_sequence(
                inputs, initial_state, dtype, sequence_length
            )
        if is_list:
            outputs = tf.unstack(outputs)
        return outputs, final_state

    def _initial_state(
        self, inputs: tf.Tensor, initial_state: Any, dtype: Any
    ) -> tuple[tf.Tensor, tf.Tensor, tf.DType]:
        batch_size = _dim(inputs.shape, 1)
        if initial_state is None:
            if dtype is None:
                raise ValueError(
                    "LSTMBlockFusedCell: either initial_state or dtype needs to be "
                    "specified, got neither"
                )
            dtype = tf.as_dtype(dtype)
            batch = batch_size if batch_size is not None else tf.shape(inputs)[1]
            zeros = tf.zeros(tf.stack([batch, self._num_units]), dtype=dtype)
            zeros.set_shape([batch_size, self._num_units])
            return zeros, zeros, dtype
        if not isinstance(initial_state, (tuple, list)) or len(initial_state) != 2:
            raise ValueError(
                "LSTMBlockFusedCell: initial_state must be a pair (cs, h) or an "
                f"LSTMStateTuple, got {type(initial_state).__name__}"
            )
        cs, h = (tf.convert_to_tensor(s) for s in initial_state)
        _check_lstm_state("LSTMBlockFusedCell", (cs, h), self._num_units)
        if dtype is None:
            dtype = cs.dtype
        return cs, h, tf.as_dtype(dtype)

    def _run_sequence(
        self,
        inputs: tf.Tensor,
        initial_state: Any,
        dtype: Any,
        sequence_length: Any,
    ) -> tuple[tf.Tensor, LSTMStateTuple]:
        w = self._weights.by_name
        _check_against_kernel(self, inputs, w["kernel"], self._num_units)
        cs0, h0, dtype = self._initial_state(inputs, initial_state, dtype)
        got = {t.base_dtype.name for t in (dtype, cs0.dtype, h0.dtype)}
        if got != {inputs.dtype.base_dtype.name}:
            raise ValueError(
                f"LSTMBlockFusedCell: the state's dtype ({', '.join(sorted(got))}) "
                f"must be the inputs' ({inputs.dtype.base_dtype.name}); make them "
                "match, e.g. dtype=inputs.dtype"
            )

        static_time = _dim(inputs.shape, 0)
        static_batch = _dim(inputs.shape, 1)
        time_len = static_time if static_time is not None else tf.shape(inputs)[0]
        batch_size = static_batch if static_batch is not None else tf.shape(inputs)[1]
        if sequence_length is not None:
            sequence_length = tf.cast(sequence_length, tf.int32)
            lengths = _dim(sequence_length.shape, 0)
            if sequence_length.shape.rank not in (None, 1) or (
                lengths is not None
                and static_batch is not None
                and lengths != static_batch
            ):
                raise ValueError(
                    "LSTMBlockFusedCell: sequence_length must be a vector of "
                    f"batch_size={static_batch} lengths (inputs are time-major "
                    f"[time, batch, depth]), got shape {sequence_length.shape}"
                )
            max_seq_len = tf.reduce_max(sequence_length)
        else:
            max_seq_len = time_len

        cs_all, h_all = self._loop(inputs, cs0, h0, time_len, max_seq_len)
        outputs = h_all

        if sequence_length is not None:
            # The outputs past each length are masked; the final state is read
            # at index length in [initial state, step 0, step 1, ...].
            mask = tf.transpose(
                tf.sequence_mask(sequence_length, time_len, dtype=dtype), [1, 0]
            )
            mask = tf.tile(tf.expand_dims(mask, -1), [1, 1, self._num_units])
            outputs = outputs * mask
            mod_cell_states = tf.concat([tf.expand_dims(cs0, 0), cs_all], 0)
            mod_outputs = tf.concat([tf.expand_dims(h0, 0), outputs], 0)
            indices = tf.stack([sequence_length, tf.range(batch_size)], axis=1)
            final_cs = tf.gather_nd(mod_cell_states, indices)
            final_h = tf.gather_nd(mod_outputs, indices)
        else:
            final_cs = cs_all[-1]
            final_h = outputs[-1]
        final_cs.set_shape([static_batch, self._num_units])
        final_h.set_shape([static_batch, self._num_units])
        return outputs, LSTMStateTuple(final_cs, final_h)

    def _loop(
        self,
        inputs: tf.Tensor,
        cs0: tf.Tensor,
        h0: tf.Tensor,
        time_len: Any,
        max_seq_len: Any,
    ) -> tuple[tf.Tensor, tf.Tensor]:
        """The steps ``t < max_seq_len``; later steps stay zero, as in BlockLSTM."""
        w = self._weights.by_name
        peepholes = self._peepholes()
        static_time = _dim(inputs.shape, 0)
        element_shape = tf.TensorShape([_dim(inputs.shape, 1), self._num_units])
        input_ta = tf.TensorArray(
            dtype=inputs.dtype, size=time_len, element_shape=inputs.shape[1:]
        ).unstack(inputs)
        cs_ta = tf.TensorArray(
            dtype=inputs.dtype, size=time_len, element_shape=element_shape
        )
        h_ta = tf.TensorArray(
            dtype=inputs.dtype, size=time_len, element_shape=element_shape
        )

        def step(
            t: tf.Tensor,
            cs_prev: tf.Tensor,
            h_prev: tf.Tensor,
            cs_acc: tf.TensorArray,
            h_acc: tf.TensorArray,
        ) -> tuple[Any, ...]:
            x_t = input_ta.read(t)
            x_t.set_shape(inputs.shape[1:])
            cs, h = _lstm_block_step(
                x_t,
                cs_prev,
                h_prev,
                w["kernel"],
                w["bias"],
                peepholes,
                self._forget_bias,
                self._cell_clip,
            )
            cs.set_shape(element_shape)
            h.set_shape(element_shape)
            return t + 1, cs, h, cs_acc.write(t, cs), h_acc.write(t, h)

        # At least one step runs so the stacked arrays get their batch size
        # even when it is unknown; a zero-length step is masked out afterwards.
        bound = tf.minimum(time_len, tf.maximum(1, max_seq_len))
        _, _, _, cs_ta, h_ta = tf.while_loop(
            cond=lambda t, *_: t < bound,
            body=step,
            loop_vars=(tf.constant(0, tf.int32), cs0, h0, cs_ta, h_ta),
            maximum_iterations=time_len,
        )
        cs_all = cs_ta.stack()
        h_all = h_ta.stack()
        live = tf.reshape(tf.range(time_len) < max_seq_len, [-1, 1, 1])
        cs_all = tf.where(live, cs_all, tf.zeros_like(cs_all))
        h_all = tf.where(live, h_all, tf.zeros_like(h_all))
        full_shape = tf.TensorShape([static_time]).concatenate(element_shape)
        cs_all.set_shape(full_shape)
        h_all.set_shape(full_shape)
        return cs_all, h_all


class GRUBlockCell(RNNCell):
    """``tf.contrib.rnn.GRUBlockCell``: TF1's GRU as one kernel, here as TF ops.

    With ``w_ru`` of shape ``[input_size + num_units, 2 * num_units]``,
    ``w_c`` of shape ``[input_size + num_units, num_units]`` and biases
    ``b_ru``, ``b_c``::

        r, u = split([x, h] @ w_ru + b_ru, 2, axis=1)
        r, u = sigmoid(r), sigmoid(u)
        c  = tanh([x, r * h] @ w_c + b_c)
        h' = u * (h - c) + c                  (= u * h + (1 - u) * c)
        output = new_state = h'

    Variables, under ``<scope>/gru_cell``, in this order: ``w_ru``, ``b_ru``
    (ones), ``w_c``, ``b_c`` (zeros). These names differ from ``GRUCell``'s
    (``gates/kernel``, ...), as they did in TF1. The activation is always
    ``tanh``.

    Args:
        num_units: Number of units (size of ``h``).
        cell_size: Deprecated name of ``num_units``; give exactly one of them.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        name: Scope name of the cell; ``"gru_cell"`` as in TF1.

    Raises:
        ValueError: If both or neither of ``num_units`` and ``cell_size`` are
            given.

    Divergences from TF1: TF1 ran the ``GRUBlockCell`` C++ kernel (float32
    only); this cell composes TF ops in that kernel's order, so it runs in
    every float dtype, under XLA and with TF2's automatic gradients, and its
    values equal the kernel's within float rounding rather than bitwise.
    ``cell_size`` warns with ``TF1DeprecationWarning`` (TF1 logged it).
    """

    def __init__(
        self,
        num_units: int | None = None,
        cell_size: int | None = None,
        reuse: bool | None = None,
        name: str | None = "gru_cell",
    ) -> None:
        super().__init__(name=name, _reuse=reuse)
        if (cell_size is None) == (num_units is None):
            raise ValueError(
                "GRUBlockCell: exactly one of num_units or cell_size must be "
                f"provided, got num_units={num_units!r}, cell_size={cell_size!r}"
            )
        if cell_size is not None:
            warnings.warn(
                "GRUBlockCell: cell_size is deprecated (as in TF1); use num_units",
                TF1DeprecationWarning,
                stacklevel=2,
            )
            num_units = cell_size
        self._num_units = _check_num_units(num_units, "num_units", "GRUBlockCell")

    @property
    def state_size(self) -> int:
        return self._num_units

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _input_depth("GRUBlockCell", inputs_shape)
        n = self._num_units
        self.add_weight("w_ru", [depth + n, 2 * n])
        self.add_weight("b_ru", [2 * n], initializer=_v1.constant_initializer(1.0))
        self.add_weight("w_c", [depth + n, n])
        self.add_weight("b_c", [n], initializer=_v1.constant_initializer(0.0))

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_step_inputs("GRUBlockCell", inputs)
        return super().__call__(inputs, state, scope)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, tf.Tensor]:
        """One step, evaluated in the order of TF1's ``GRUBlockCell`` kernel."""
        _check_float_dtypes([inputs, state], "GRUBlockCell")
        _check_single_state("GRUBlockCell", state, self._num_units)
        w = self._weights.by_name
        _check_against_kernel(self, inputs, w["w_ru"], self._num_units)
        _check_state_dtype(self, inputs, state)
        h_prev = state

        r_u_bar = tf.matmul(tf.concat([inputs, h_prev], 1), w["w_ru"])
        r_u_bar = tf.nn.bias_add(r_u_bar, w["b_ru"])
        r_bar, u_bar = tf.split(value=r_u_bar, num_or_size_splits=2, axis=1)
        r = tf.sigmoid(r_bar)
        u = tf.sigmoid(u_bar)

        c = tf.matmul(tf.concat([inputs, h_prev * r], 1), w["w_c"])
        c = tf.tanh(tf.nn.bias_add(c, w["b_c"]))
        new_h = u * (h_prev - c) + c
        return new_h, new_h


# contrib's layer_norm: variance epsilon by dtype (float16's range needs more).
_LAYER_NORM_EPSILON = 1e-12
_LAYER_NORM_EPSILON_FLOAT16 = 1e-3
_LAYER_NORM_SCOPES = ("input", "transform", "forget", "output", "state")


class LayerNormBasicLSTMCell(RNNCell):
    """``tf.contrib.rnn.LayerNormBasicLSTMCell``: LSTM with layer norm and dropout.

    Layer normalization (Ba et al., 2016) is applied to each gate's
    pre-activation and to the new cell state; recurrent dropout (Semeniuta et
    al., 2016) to the candidate. With ``W`` of shape
    ``[input_size + num_units, 4 * num_units]``::

        i, j, f, o = split([x, h] @ W [+ b], 4, axis=1)     (+ b without layer_norm)
        i, j, f, o = LN_input(i), LN_transform(j), LN_forget(f), LN_output(o)
        g  = dropout(act(j), dropout_keep_prob, seed=dropout_prob_seed)
        c' = c * sigmoid(f + forget_bias) + sigmoid(i) * g
        c' = LN_state(c')
        h' = act(c') * sigmoid(o)
        output = h', new state = LSTMStateTuple(c', h')

    where ``LN_s(z) = (z - mean(z)) / sqrt(var(z) + eps) * s/gamma + s/beta``
    over each row (``eps`` is 1e-12, 1e-3 for float16), and the LN steps apply
    only with ``layer_norm``. Dropout applies unless ``dropout_keep_prob`` is a
    Python float of at least 1.

    Variables, under ``<scope>/layer_norm_basic_lstm_cell``, in this order:
    ``kernel`` (glorot uniform), ``bias`` (without ``layer_norm`` only; glorot
    uniform as well, since TF1 gave it no initializer), then per scope
    ``input``, ``transform``, ``forget``, ``output``, ``state``: ``<s>/gamma``
    (``norm_gain``) and ``<s>/beta`` (``norm_shift``), all ``[num_units]``.

    Args:
        num_units: Number of units (size of ``c`` and ``h``).
        forget_bias: Added to the forget gate's pre-activation.
        input_size: Deprecated and unused (warns, as TF1 logged).
        activation: Activation of the inner states; ``tanh`` by default.
        layer_norm: Apply layer normalization.
        norm_gain: Initial value of the gains (``gamma``).
        norm_shift: Initial value of the shifts (``beta``).
        dropout_keep_prob: A float or scalar tensor; the probability of keeping
            each candidate unit.
        dropout_prob_seed: Op seed of the dropout.
        reuse: Reuse existing variables of the same scope (TF1 semantics).

    Divergences from TF1: the dropout masks are drawn by TF2's random ops, so
    with ``dropout_keep_prob < 1`` they are not TF1's masks (the statistics
    are); ``input_size`` warns with ``TF1DeprecationWarning`` instead of a log
    line.
    """

    def __init__(
        self,
        num_units: int,
        forget_bias: float = 1.0,
        input_size: int | None = None,
        activation: str | Activation = tf.tanh,
        layer_norm: bool = True,
        norm_gain: float = 1.0,
        norm_shift: float = 0.0,
        dropout_keep_prob: Any = 1.0,
        dropout_prob_seed: int | None = None,
        reuse: bool | None = None,
    ) -> None:
        super().__init__(_reuse=reuse)
        if input_size is not None:
            warnings.warn(
                "LayerNormBasicLSTMCell: the input_size parameter is deprecated and "
                "unused (as in TF1)",
                TF1DeprecationWarning,
                stacklevel=2,
            )
        self._num_units = _check_num_units(
            num_units, "num_units", "LayerNormBasicLSTMCell"
        )
        self._activation = _get_activation(activation)
        self._forget_bias = forget_bias
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed
        self._layer_norm = layer_norm
        self._norm_gain = norm_gain
        self._norm_shift = norm_shift

    @property
    def state_size(self) -> LSTMStateTuple:
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _input_depth("LayerNormBasicLSTMCell", inputs_shape)
        n = self._num_units
        self.add_weight("kernel", [depth + n, 4 * n])
        if not self._layer_norm:
            # TF1 created this bias with get_variable's default initializer.
            self.add_weight("bias", [4 * n])
            return
        gain = _v1.constant_initializer(self._norm_gain)
        shift = _v1.constant_initializer(self._norm_shift)
        for scope in _LAYER_NORM_SCOPES:
            self.add_weight(f"{scope}/gamma", [n], initializer=gain)
            self.add_weight(f"{scope}/beta", [n], initializer=shift)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_step_inputs("LayerNormBasicLSTMCell", inputs)
        return super().__call__(inputs, state, scope)

    def _norm(self, inp: tf.Tensor, scope: str) -> tf.Tensor:
        """contrib's ``layer_norm`` over the last axis, with ``<scope>/gamma, beta``."""
        w = self._weights.by_name
        epsilon = (
            _LAYER_NORM_EPSILON_FLOAT16
            if inp.dtype.base_dtype == tf.float16
            else _LAYER_NORM_EPSILON
        )
        with tf.name_scope(scope):
            mean, variance = _v1.nn.moments(inp, [1], keep_dims=True)
            normalized = tf.nn.batch_normalization(
                inp,
                mean,
                variance,
                offset=w[f"{scope}/beta"],
                scale=w[f"{scope}/gamma"],
                variance_epsilon=epsilon,
            )
        normalized.set_shape(inp.shape)
        return normalized

    def _dropout(self, g: tf.Tensor) -> tf.Tensor:
        # TF1's dropout(x, keep_prob) ran dropout(x, rate=1 - keep_prob); asking
        # for the rate directly runs the same ops without TF's keep_prob notice.
        try:
            rate = 1.0 - self._keep_prob
        except TypeError:
            raise ValueError(
                "LayerNormBasicLSTMCell: dropout_keep_prob must be a float or a "
                f"scalar tensor, got {self._keep_prob!r}"
            ) from None
        return tf.nn.dropout(g, rate=rate, seed=self._seed)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, LSTMStateTuple]:
        """One step, with the op order of TF1's cell and contrib's layer_norm."""
        cls = "LayerNormBasicLSTMCell"
        _check_float_dtypes([inputs, state], cls)
        _check_lstm_state(cls, state, self._num_units)
        w = self._weights.by_name
        _check_against_kernel(self, inputs, w["kernel"], self._num_units)
        _check_state_dtype(self, inputs, state)
        c, h = state

        args = tf.concat([inputs, h], 1)
        concat = tf.matmul(args, w["kernel"])
        if not self._layer_norm:
            concat = tf.nn.bias_add(concat, w["bias"])
        i, j, f, o = tf.split(value=concat, num_or_size_splits=4, axis=1)
        if self._layer_norm:
            i = self._norm(i, "input")
            j = self._norm(j, "transform")
            f = self._norm(f, "forget")
            o = self._norm(o, "output")

        g = self._activation(j)
        if (not isinstance(self._keep_prob, float)) or self._keep_prob < 1:
            g = self._dropout(g)

        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state")
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)
