"""TF1's RNN cell wrappers (``tf.nn.rnn_cell`` and ``tf.contrib.rnn``) on TF2 ops.

A wrapper holds one cell and changes what goes in or comes out of it:

* ``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper`` (TF1's
  ``tf.nn.rnn_cell``) add no variable scope of their own: the wrapped cell's
  variables keep the names they have without the wrapper
  (``rnn/lstm_cell/kernel``);
* ``OutputProjectionWrapper``, ``InputProjectionWrapper`` and
  ``EmbeddingWrapper`` (TF1's ``tf.contrib.rnn``) are cells with a scope of
  their own (``rnn/output_projection_wrapper``), holding their variables and
  the wrapped cell's (``rnn/output_projection_wrapper/lstm_cell/kernel``).

Every wrapper takes a ``compat.rnn`` cell, another wrapper, or a Keras cell
such as ``tf.keras.layers.LSTMCell``. A Keras cell gets TF1's calling
convention: the wrapper gives it ``zero_state(batch_size, dtype)``, hands it
its state as a list and returns the state as a tuple, so it runs under
``compat.rnn.dynamic_rnn`` and ``MultiRNNCell``. A Keras cell keeps Keras's
variable names (``kernel``, ``recurrent_kernel``, ``bias`` of the Keras layer)
and ignores ``scope``; make it outside any ``tf.function``, as Keras requires.

The same code runs in v1 graph mode, eagerly and inside ``tf.function``. In
``tf.train.Checkpoint`` the wrapped cell is the dependency ``cell`` of
``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper`` and ``_cell`` of
the contrib wrappers. Divergences from TF1 are listed in each class's
docstring.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import tensorflow as tf

from compat import seed as _seed
from compat.errors import TF1DeprecationWarning
from compat.rnn.cells import (
    Activation,
    LSTMStateTuple,
    RNNCell,
    _check_num_units,
    _dim,
    _zero_state_tensors,
)

__all__ = [
    "DeviceWrapper",
    "DropoutWrapper",
    "EmbeddingWrapper",
    "InputProjectionWrapper",
    "OutputProjectionWrapper",
    "ResidualWrapper",
]

_v1 = tf.compat.v1

StateFilter = Callable[[Any], Any]


def _lists_to_tuples(structure: Any) -> Any:
    if isinstance(structure, list) or type(structure) is tuple:
        return tuple(_lists_to_tuples(item) for item in structure)
    return structure


def _tuples_to_lists(structure: Any) -> Any:
    if isinstance(structure, list) or type(structure) is tuple:
        return [_tuples_to_lists(item) for item in structure]
    return structure


def _check_like_rnncell(cls: str, cell: object) -> None:
    # TF1's rule: sizes, a way to make the initial state, and callable.
    missing = [
        what
        for what, ok in (
            ("an output_size property", hasattr(cell, "output_size")),
            ("a state_size property", hasattr(cell, "state_size")),
            (
                "a zero_state or get_initial_state method",
                hasattr(cell, "zero_state") or hasattr(cell, "get_initial_state"),
            ),
            ("__call__", callable(cell)),
        )
        if not ok
    ]
    if missing:
        raise TypeError(
            f"{cls}: cell must be an RNN cell, got {cell!r} ({type(cell).__name__}) "
            f"without {', '.join(missing)}; wrap a cell such as LSTMCell(4) or "
            "tf.keras.layers.LSTMCell(4)"
        )


class _Wrapped:
    """The wrapped cell, kept out of automatic tracking, called the TF1 way.

    A Keras cell (one without ``zero_state``) takes its state as a list and
    returns a list; here it takes and returns tuples, as TF1 cells do, and its
    variables are created before the first call, outside any loop or
    ``tf.function`` that the call is part of.
    """

    def __init__(self, cell: Any) -> None:
        self.cell = cell
        self.is_keras = not hasattr(cell, "zero_state")

    @property
    def state_size(self) -> Any:
        size = self.cell.state_size
        return _lists_to_tuples(size) if self.is_keras else size

    @property
    def output_size(self) -> Any:
        return self.cell.output_size

    @property
    def variables(self) -> list[Any]:
        return list(getattr(self.cell, "variables", []))

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        if not self.is_keras:
            return self.cell.zero_state(batch_size, dtype)
        return _zero_state_tensors(self.state_size, batch_size, tf.as_dtype(dtype))

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        if not self.is_keras:
            if scope is None:
                return self.cell(inputs, state)
            return self.cell(inputs, state, scope=scope)
        inputs = tf.convert_to_tensor(inputs)
        if not getattr(self.cell, "built", True):
            shape = tuple(tf.TensorShape(inputs.shape).as_list())
            with tf.init_scope():
                self.cell.build(shape)
        output, new_state = self.cell(inputs, _tuples_to_lists(state))
        return output, _lists_to_tuples(new_state)


def _merge_variables(*groups: Sequence[Any]) -> list[Any]:
    merged: list[Any] = []
    for group in groups:
        for variable in group:
            if all(variable is not v for v in merged):
                merged.append(variable)
    return merged


class _CellWrapper(RNNCell):
    """Common part of the wrappers: the wrapped cell, its sizes and its state."""

    # The checkpoint dependency name TF1 gave the wrapped cell.
    _cell_dependency = "cell"

    def __init__(
        self,
        cell: Any,
        name: str | None = None,
        dtype: Any = None,
        reuse: bool | None = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype, _reuse=reuse)
        _check_like_rnncell(type(self).__name__, cell)
        self._wrapped = _Wrapped(cell)
        if isinstance(cell, tf.__internal__.tracking.Trackable):
            self._track_trackable(cell, name=self._cell_dependency, overwrite=True)

    @property
    def cell(self) -> Any:
        """The wrapped cell."""
        return self._wrapped.cell

    @property
    def state_size(self) -> Any:
        return self._wrapped.state_size

    @property
    def output_size(self) -> Any:
        return self._wrapped.output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """The wrapped cell's zero state (built from its sizes for a Keras cell)."""
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return self._wrapped.zero_state(batch_size, dtype)

    @property
    def variables(self) -> list[tf.Variable]:
        """The wrapped cell's variables, then the wrapper's own."""
        return _merge_variables(self._wrapped.variables, self._weights.ordered)


class _PassThroughWrapper(_CellWrapper):
    """A wrapper without a variable scope: the wrapped cell names its variables."""

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        """Run the wrapped cell (in ``scope`` if given) with the wrapper's change.

        Args:
            inputs: The step's inputs, ``[batch_size, input_size]``.
            state: The wrapped cell's state.
            scope: Passed on to the wrapped cell, as in TF1.

        Returns:
            ``(output, new_state)``.
        """
        return self._call_wrapped(inputs, state, scope)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """Run one step; the same as calling the wrapper."""
        return self._call_wrapped(inputs, state, None)

    def _call_wrapped(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        raise NotImplementedError(f"{type(self).__name__} must define _call_wrapped")


def _mask_seed(seed: int | None, salt_prefix: str, index: int) -> int | None:
    # TF1's derivation, so each mask gets the op seed TF1 gave it: the first
    # 32 bits of the MD5 of "<seed><salt>_<index>", made non-negative.
    if seed is None:
        return None
    text = f"{seed}{salt_prefix}_{index}".encode()
    digest = hashlib.md5(text, usedforsecurity=False).hexdigest()
    return int(digest[:8], 16) & 0x7FFFFFFF


def _enumerated_map_up_to(
    shallow: Any, fn: Callable[..., Any], *structures: Any
) -> Any:
    # The index counts every leaf of the shallow structure, skipped ones
    # included, so the salts are TF1's (an LSTM's h is state_1, after c).
    counter = [0]

    def numbered(*leaves: Any) -> Any:
        result = fn(counter[0], *leaves)
        counter[0] += 1
        return result

    return tf.__internal__.nest.map_structure_up_to(shallow, numbered, *structures)


def _is_lstm_state_tuple(value: object) -> bool:
    # TF's own LSTMStateTuple (for instance tf-keras') is recognised as well.
    if isinstance(value, LSTMStateTuple):
        return True
    return (
        isinstance(value, tuple)
        and type(value).__name__ == "LSTMStateTuple"
        and getattr(value, "_fields", None) == ("c", "h")
    )


def _default_dropout_state_filter_visitor(substate: Any) -> Any:
    """TF1's default state filter: drop out everything but an LSTM's ``c``.

    Args:
        substate: One level of the state structure.

    Returns:
        ``LSTMStateTuple(c=False, h=True)`` for an LSTM state, False for a
        ``TensorArray``, True otherwise.
    """
    if _is_lstm_state_tuple(substate):
        return substate._replace(c=False, h=True)
    if isinstance(substate, tf.TensorArray):
        return False
    return True


@dataclasses.dataclass
class _DropoutSettings:
    """A DropoutWrapper's settings, kept out of automatic tracking.

    The trackable base class would otherwise replace the noise tuples (an
    ``LSTMStateTuple`` among them) by trackable copies.
    """

    input_keep_prob: Any
    state_keep_prob: Any
    output_keep_prob: Any
    state_filter: StateFilter
    input_noise: Any = None
    state_noise: Any = None
    output_noise: Any = None


@dataclasses.dataclass
class _OwnVariables:
    """A contrib wrapper's variables, made on its first call."""

    kernel: Any = None
    bias: Any = None
    embedding: Any = None


class DropoutWrapper(_PassThroughWrapper):
    """TF1's dropout on the inputs, outputs and new states of a cell.

    Each step computes::

        x'           = dropout(x, input_keep_prob)
        out, state'  = cell(x', state)
        state'       = dropout(state', state_keep_prob)   # filtered, see below
        out          = dropout(out, output_keep_prob)

    where ``dropout(v, p)`` keeps each entry with probability ``p`` and scales
    it by ``1 / p`` (TF's ``tf.nn.dropout``). A keep probability known to be 1
    when the wrapper is made (a number or a constant) adds no op at all; one
    known only at run time (a placeholder, even one defaulting to 1.0) always
    adds the dropout op, which leaves values unchanged when it is 1.0. State
    dropout applies where ``dropout_state_filter_visitor`` says so: by default
    everywhere except the ``c`` of an ``LSTMStateTuple``.

    With ``variational_recurrent`` the masks are drawn once, when the wrapper
    is made (shape ``[1, size]``: shared by every step and every batch row),
    and each value becomes ``v / p * floor(p + noise)``.

    With ``seed`` set, each mask has its own op seed derived from ``seed`` and
    a salt (``input_0``, ``state_1``, ``output_0``, ... in ``tf.nest.flatten``
    order), as in TF1. In v1 graph mode with the same graph-level seed
    (``tf.compat.v1.set_random_seed``) the masks are then TF1's. The wrapper
    adds no variable scope: a wrapped ``LSTMCell`` under ``dynamic_rnn`` keeps
    ``rnn/lstm_cell/kernel``.

    Args:
        cell: The cell to wrap: a ``compat.rnn`` cell, a wrapper or a Keras cell.
        input_keep_prob: Float in ``[0, 1]`` or a scalar float tensor.
        output_keep_prob: Float in ``[0, 1]`` or a scalar float tensor.
        state_keep_prob: Float in ``[0, 1]`` or a scalar float tensor.
        variational_recurrent: Use the same masks at every step.
        input_size: With ``variational_recurrent`` and input dropout: the depth
            of the inputs (an int, a ``TensorShape``, or a nested tuple of them).
        dtype: With ``variational_recurrent``: the dtype of inputs and states.
        seed: An int from which each mask's op seed is derived.
        dropout_state_filter_visitor: A function from one level of the state
            to a bool, or to a structure of bools one level deep, saying where
            state dropout applies (True: everywhere below).

    Raises:
        TypeError: If ``cell`` is not an RNN cell or the filter is not callable.
        ValueError: If a constant keep probability is outside ``[0, 1]``; if
            ``variational_recurrent`` is set without ``dtype``, or without
            ``input_size`` while input dropout may apply.

    Divergences from TF1: eagerly, ``variational_recurrent`` masks are drawn
    once when the wrapper is made and stay for its lifetime (as TF1's wrapper
    did when run eagerly); make a new wrapper for new masks. Under
    ``dynamic_rnn`` with ``parallel_iterations > 1``, TF1's per-step masks
    (and the shim's) depend on the order in which loop iterations run; pass
    ``parallel_iterations=1`` for masks that repeat from run to run. Without
    ``seed``, TF derives op seeds from op counts, so masks are random but not
    TF1's.
    """

    def __init__(
        self,
        cell: Any,
        input_keep_prob: Any = 1.0,
        output_keep_prob: Any = 1.0,
        state_keep_prob: Any = 1.0,
        variational_recurrent: bool = False,
        input_size: Any = None,
        dtype: Any = None,
        seed: int | None = None,
        dropout_state_filter_visitor: StateFilter | None = None,
    ) -> None:
        super().__init__(cell, dtype=dtype)
        if dropout_state_filter_visitor is not None and not callable(
            dropout_state_filter_visitor
        ):
            raise TypeError(
                "DropoutWrapper: dropout_state_filter_visitor must be callable, got "
                f"{dropout_state_filter_visitor!r}"
            )
        probs = {}
        with tf.name_scope("DropoutWrapperInit"):
            for argument, prob in (
                ("input_keep_prob", input_keep_prob),
                ("state_keep_prob", state_keep_prob),
                ("output_keep_prob", output_keep_prob),
            ):
                probs[argument] = _keep_prob(argument, prob)
        self._held = _DropoutSettings(
            input_keep_prob=probs["input_keep_prob"],
            state_keep_prob=probs["state_keep_prob"],
            output_keep_prob=probs["output_keep_prob"],
            state_filter=(
                dropout_state_filter_visitor or _default_dropout_state_filter_visitor
            ),
        )
        self._variational_recurrent = variational_recurrent
        self._seed = seed
        if variational_recurrent:
            self._draw_variational_noise(dtype, input_size)

    def _draw_variational_noise(self, dtype: Any, input_size: Any) -> None:
        if dtype is None:
            raise ValueError(
                "DropoutWrapper: variational_recurrent=True needs dtype (the dtype "
                "of inputs and states), got None"
            )
        dtype = tf.as_dtype(dtype)

        def noise_for(salt: str) -> Callable[[int, Any], tf.Tensor]:
            def draw(index: int, size: Any) -> tf.Tensor:
                shape = [1, *tf.TensorShape(size).as_list()]
                return tf.random.uniform(
                    shape, seed=_mask_seed(self._seed, salt, index), dtype=dtype
                )

            return draw

        held = self._held
        if not _is_constant(held.input_keep_prob) or held.input_keep_prob < 1.0:
            if input_size is None:
                raise ValueError(
                    "DropoutWrapper: variational_recurrent=True with input dropout "
                    "needs input_size (the depth of the inputs), got None"
                )
            held.input_noise = _enumerated_map_up_to(
                input_size, noise_for("input"), input_size
            )
        state_size = self.state_size
        held.state_noise = _enumerated_map_up_to(
            state_size, noise_for("state"), state_size
        )
        output_size = self.output_size
        held.output_noise = _enumerated_map_up_to(
            output_size, noise_for("output"), output_size
        )

    @property
    def wrapped_cell(self) -> Any:
        """The wrapped cell (TF1's name for it)."""
        return self.cell

    def _dropout(
        self,
        values: Any,
        salt_prefix: str,
        noise: Any,
        keep_prob: Any,
        shallow: Any = None,
    ) -> Any:
        if shallow is None:
            shallow = values

        if not self._variational_recurrent:

            def drop(index: int, apply: Any, value: Any) -> Any:
                if isinstance(apply, bool) and not apply:
                    return value
                return tf.nn.dropout(
                    value,
                    rate=1.0 - keep_prob,
                    seed=_mask_seed(self._seed, salt_prefix, index),
                )

            return _enumerated_map_up_to(shallow, drop, shallow, values)

        def drop_variational(index: int, apply: Any, value: Any, mask: Any) -> Any:
            if isinstance(apply, bool) and not apply:
                return value
            # keep_prob + U[0, 1) floors to 1 with probability keep_prob.
            binary = tf.floor(keep_prob + mask)
            dropped = tf.divide(value, keep_prob) * binary
            dropped.set_shape(value.shape)
            return dropped

        return _enumerated_map_up_to(shallow, drop_variational, shallow, values, noise)

    def _call_wrapped(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        held = self._held
        if _applies(held.input_keep_prob):
            inputs = self._dropout(
                inputs, "input", held.input_noise, held.input_keep_prob
            )
        output, new_state = self._wrapped(inputs, state, scope)
        if _applies(held.state_keep_prob):
            shallow = tf.__internal__.nest.get_traverse_shallow_structure(
                held.state_filter, new_state
            )
            new_state = self._dropout(
                new_state, "state", held.state_noise, held.state_keep_prob, shallow
            )
        if _applies(held.output_keep_prob):
            output = self._dropout(
                output, "output", held.output_noise, held.output_keep_prob
            )
        return output, new_state


def _is_constant(prob: Any) -> bool:
    return isinstance(prob, float)


def _applies(prob: Any) -> bool:
    # A keep probability known to be 1 skips dropout; a tensor always applies it.
    return not _is_constant(prob) or prob < 1.0


def _keep_prob(argument: str, prob: Any) -> Any:
    # A value known when the graph is built becomes a float (and is checked);
    # anything else (a placeholder, say) stays a tensor, as in TF1.
    tensor = tf.convert_to_tensor(prob)
    value = tf.get_static_value(tensor)
    if value is None:
        return tensor
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(
            f"DropoutWrapper: {argument} must be between 0 and 1, got {float(value)}"
        )
    return float(value)


class ResidualWrapper(_PassThroughWrapper):
    """TF1's residual connection around a cell: ``output = inputs + cell_output``.

    The state is the wrapped cell's, unchanged. The wrapper adds no variable
    scope.

    Args:
        cell: The cell to wrap; its output must have the inputs' structure and
            shape (``num_units`` equal to the input depth).
        residual_fn: ``(inputs, outputs) -> outputs`` replacing the default sum
            (``tf.nest.map_structure`` of ``inputs + outputs``).

    Raises:
        TypeError: If ``cell`` is not an RNN cell.
        ValueError: At call time, with the default sum, if inputs and outputs
            differ in structure or shape.

    Divergences from TF1: the error on a shape mismatch names the wrapper and
    the fix rather than only the two shapes.
    """

    def __init__(
        self,
        cell: Any,
        residual_fn: Callable[[Any, Any], Any] | None = None,
    ) -> None:
        super().__init__(cell)
        self._residual_fn = residual_fn

    def _call_wrapped(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        outputs, new_state = self._wrapped(inputs, state, scope)
        residual_fn = self._residual_fn or _sum_residual
        return residual_fn(inputs, outputs), new_state


def _sum_residual(inputs: Any, outputs: Any) -> Any:
    inputs = tf.nest.map_structure(tf.convert_to_tensor, inputs)
    try:
        tf.nest.assert_same_structure(inputs, outputs)
    except (TypeError, ValueError) as error:
        raise ValueError(
            "ResidualWrapper: the cell's output must have the structure of its "
            f"inputs to be added to them: {error}"
        ) from None

    def add(inp: tf.Tensor, out: tf.Tensor) -> tf.Tensor:
        if not inp.shape.is_compatible_with(out.shape):
            raise ValueError(
                f"ResidualWrapper: inputs of shape {inp.shape} cannot be added to "
                f"cell outputs of shape {out.shape}; give the cell as many units "
                "as the input depth, or pass residual_fn"
            )
        return inp + out

    return tf.nest.map_structure(add, inputs, outputs)


class DeviceWrapper(_PassThroughWrapper):
    """TF1's wrapper that runs a cell (and builds its zero state) on one device.

    Args:
        cell: The cell to wrap.
        device: A device name such as ``"/cpu:0"``, or (in graph mode) a
            device function, for ``tf.compat.v1.device``.

    Raises:
        TypeError: If ``cell`` is not an RNN cell.
    """

    def __init__(self, cell: Any, device: Any) -> None:
        super().__init__(cell)
        self._device = device

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """The wrapped cell's zero state, made on the wrapper's device."""
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            with _v1.device(self._device):
                return self._wrapped.zero_state(batch_size, dtype)

    def _call_wrapped(self, inputs: Any, state: Any, scope: Any) -> tuple[Any, Any]:
        with _v1.device(self._device):
            return self._wrapped(inputs, state, scope)


def _linear_depth(cls: str, args: Sequence[tf.Tensor]) -> int:
    total = 0
    for arg in args:
        shape = arg.shape
        if shape.rank != 2 or _dim(shape, 1) is None:
            raise ValueError(
                f"{cls}: the projection needs 2-D tensors [batch, depth] with a "
                f"known depth, got shape {shape}"
            )
        total += int(_dim(shape, 1))  # type: ignore[arg-type]
    return total


def _apply_linear(
    args: Sequence[tf.Tensor], kernel: tf.Variable, bias: tf.Variable
) -> tf.Tensor:
    # TF1's contrib _Linear: one matmul over the concatenated args, then bias_add.
    if len(args) == 1:
        product = tf.matmul(args[0], kernel)
    else:
        one = tf.constant(1, dtype=tf.int32)
        product = tf.matmul(tf.concat(list(args), one), kernel)
    return tf.nn.bias_add(product, bias)


class _ScopedWrapper(_CellWrapper):
    """A contrib wrapper: a cell with a variable scope, holding the wrapped cell."""

    # TF 1.x's contrib wrappers kept the cell in ``self._cell``, an attribute
    # that TF's layers tracked under its own name.
    _cell_dependency = "_cell"

    def __init__(self, cell: Any, reuse: bool | None = None) -> None:
        super().__init__(cell, reuse=reuse)
        self._own = _OwnVariables()

    def _make_linear(self, args: Sequence[tf.Tensor], output_size: int) -> None:
        # Created on the first call, in the wrapper's scope, as TF1's _Linear
        # did: kernel (scope initializer or glorot uniform), bias (zeros).
        if self._own.kernel is not None:
            return
        dtype = args[0].dtype.base_dtype
        depth = _linear_depth(type(self).__name__, args)
        self._own.kernel = self.add_weight("kernel", [depth, output_size], dtype=dtype)
        self._own.bias = self.add_weight(
            "bias",
            [output_size],
            dtype=dtype,
            initializer=_v1.constant_initializer(0.0),
        )


class OutputProjectionWrapper(_ScopedWrapper):
    """TF1's ``tf.contrib.rnn.OutputProjectionWrapper``: a dense layer on the output.

    With ``W`` of shape ``[cell.output_size, output_size]`` and ``b``::

        out, state' = cell(x, state)
        out = activation(out @ W + b)        # no activation if None

    Variables, created on the first call after the cell's:
    ``<scope>/output_projection_wrapper/kernel`` (scope initializer or glorot
    uniform) and ``.../bias`` (zeros); the wrapped cell's variables sit under
    the same scope (``rnn/output_projection_wrapper/lstm_cell/kernel``).

    Args:
        cell: The cell to wrap.
        output_size: Size of the projected output.
        activation: Optional callable applied to the projection.
        reuse: Reuse existing variables of the same scope (TF1 semantics).

    Raises:
        TypeError: If ``cell`` is not an RNN cell.
        ValueError: If ``output_size`` is not a positive integer.

    Divergences from TF1: in ``tf.train.Checkpoint`` the kernel and bias are
    dependencies named ``kernel`` and ``bias`` of the wrapper (TF1's object
    graph did not list them).
    """

    def __init__(
        self,
        cell: Any,
        output_size: int,
        activation: Activation | None = None,
        reuse: bool | None = None,
    ) -> None:
        super().__init__(cell, reuse=reuse)
        self._output_size = _check_num_units(
            output_size, "output_size", "OutputProjectionWrapper"
        )
        self._activation = activation

    @property
    def output_size(self) -> int:
        return self._output_size

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """Run the cell, then project its output."""
        output, new_state = self._wrapped(inputs, state)
        args = tf.nest.flatten(output)
        self._make_linear(args, self._output_size)
        projected = _apply_linear(args, self._own.kernel, self._own.bias)
        if self._activation:
            projected = self._activation(projected)
        return projected, new_state


class InputProjectionWrapper(_ScopedWrapper):
    """TF1's ``tf.contrib.rnn.InputProjectionWrapper``: a dense layer on the input.

    With ``W`` of shape ``[input_depth, num_proj]`` and ``b``::

        x' = activation(x @ W + b)           # no activation if None
        out, state' = cell(x', state)

    Variables, created on the first call before the cell's:
    ``<scope>/input_projection_wrapper/kernel`` (scope initializer or glorot
    uniform) and ``.../bias`` (zeros); the wrapped cell's variables sit under
    the same scope.

    Args:
        cell: The cell to wrap; it receives inputs of depth ``num_proj``.
        num_proj: Depth of the projected inputs.
        activation: Optional callable applied to the projection.
        input_size: Deprecated and unused (as in TF1); emits a
            ``TF1DeprecationWarning``.
        reuse: Reuse existing variables of the same scope (TF1 semantics).

    Raises:
        TypeError: If ``cell`` is not an RNN cell.
        ValueError: If ``num_proj`` is not a positive integer.

    Divergences from TF1: ``num_proj`` is checked when the wrapper is made;
    ``input_size`` warns instead of logging; in ``tf.train.Checkpoint`` the
    kernel and bias are dependencies named ``kernel`` and ``bias``.
    """

    def __init__(
        self,
        cell: Any,
        num_proj: int,
        activation: Activation | None = None,
        input_size: Any = None,
        reuse: bool | None = None,
    ) -> None:
        super().__init__(cell, reuse=reuse)
        if input_size is not None:
            warnings.warn(
                "InputProjectionWrapper: the input_size parameter is deprecated and "
                "unused (as in TF1); drop it",
                TF1DeprecationWarning,
                stacklevel=2,
            )
        self._num_proj = _check_num_units(
            num_proj, "num_proj", "InputProjectionWrapper"
        )
        self._activation = activation

    @property
    def variables(self) -> list[tf.Variable]:
        """The projection's variables, then the wrapped cell's (creation order)."""
        return _merge_variables(self._weights.ordered, self._wrapped.variables)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """Project the inputs, then run the cell on them."""
        args = tf.nest.flatten(inputs)
        self._make_linear(args, self._num_proj)
        projected = _apply_linear(args, self._own.kernel, self._own.bias)
        if self._activation:
            projected = self._activation(projected)
        return self._wrapped(projected, state)


class EmbeddingWrapper(_ScopedWrapper):
    """TF1's ``tf.contrib.rnn.EmbeddingWrapper``: ids in, embedding vectors to the cell.

    With ``E`` of shape ``[embedding_classes, embedding_size]``::

        out, state' = cell(E[reshape(ids, [-1])], state)

    The lookup and the wrapped cell run on ``/cpu:0``, as in TF1. Variable:
    ``<scope>/embedding_wrapper/embedding``, in the state's dtype, created on
    the first call before the cell's; its initializer is ``initializer``, else
    the scope's, else uniform on ``[-sqrt(3), sqrt(3)]`` (variance 1).

    Args:
        cell: The cell to wrap; it receives inputs of depth ``embedding_size``.
        embedding_classes: Number of symbols (rows of ``E``).
        embedding_size: Size of each embedding vector.
        initializer: Initializer of ``E``.
        reuse: Reuse existing variables of the same scope (TF1 semantics).

    Raises:
        TypeError: If ``cell`` is not an RNN cell.
        ValueError: If ``embedding_classes`` or ``embedding_size`` is not a
            positive integer.

    Divergences from TF1: with ``compat.set_seed``, the default uniform values
    are drawn from the seed and the variable's full name (TF1's distribution,
    the shim's source of randomness); the embedding's dtype comes from the
    first tensor of any nested state (TF1 required ``state[0]`` to have a
    dtype); in ``tf.train.Checkpoint`` the embedding is a dependency named
    ``embedding``. ``compat.rnn.dynamic_rnn`` takes only floating point inputs,
    so this wrapper is called step by step (or through TF's ``static_rnn``).
    """

    def __init__(
        self,
        cell: Any,
        embedding_classes: int,
        embedding_size: int,
        initializer: Any = None,
        reuse: bool | None = None,
    ) -> None:
        super().__init__(cell, reuse=reuse)
        cls = "EmbeddingWrapper"
        self._embedding_classes = _check_num_units(
            embedding_classes, "embedding_classes", cls
        )
        self._embedding_size = _check_num_units(embedding_size, "embedding_size", cls)
        self._initializer = initializer

    @property
    def variables(self) -> list[tf.Variable]:
        """The embedding, then the wrapped cell's variables (creation order)."""
        return _merge_variables(self._weights.ordered, self._wrapped.variables)

    def _embedding_initializer(self, full_name: str) -> Any:
        if self._initializer:
            return self._initializer
        scope_initializer = _v1.get_variable_scope().initializer
        if scope_initializer:
            return scope_initializer
        limit = math.sqrt(3.0)
        seed = _seed.get_seed()
        if seed is None:
            return _v1.random_uniform_initializer(-limit, limit)
        key = _seed._name_key(full_name)

        def seeded(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
            del partition_info  # unused: sharded variables are not supported
            return tf.random.stateless_uniform(
                list(shape),
                seed=tf.constant([seed, key], dtype=tf.int64),
                minval=-limit,
                maxval=limit,
                dtype=tf.as_dtype(dtype or tf.float32).base_dtype,
            )

        return seeded

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """Look the ids up in the embedding, then run the cell on the vectors."""
        with _v1.device("/cpu:0"):
            if self._own.embedding is None:
                scope_name = _v1.get_variable_scope().name
                full_name = f"{scope_name}/embedding" if scope_name else "embedding"
                dtype = tf.nest.flatten(state)[0].dtype.base_dtype
                self._own.embedding = self.add_weight(
                    "embedding",
                    [self._embedding_classes, self._embedding_size],
                    dtype=dtype,
                    initializer=self._embedding_initializer(full_name),
                )
            embedded = _v1.nn.embedding_lookup(
                self._own.embedding, tf.reshape(inputs, [-1])
            )
            return self._wrapped(embedded, state)
