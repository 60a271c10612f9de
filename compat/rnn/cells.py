"""TF1's RNN cells (``tf.nn.rnn_cell``/``tf.contrib.rnn``) on TF2 ops.

The cells keep TF1's constructor signatures, defaults, variable names,
variable shapes and op order, so a TF1 checkpoint restores into them and their
numbers equal TF1's. They work in three modes:

* v1 graph mode (``tf.compat.v1.disable_eager_execution()`` or inside
  ``tf.Graph().as_default()``): variables come from
  ``tf.compat.v1.get_variable`` under TF1's variable scopes, so they sit in
  ``global_variables()``, follow ``variable_scope`` reuse rules and are saved
  by ``tf.compat.v1.train.Saver`` under their TF1 names;
* eager mode and inside ``tf.function``: each cell owns ``tf.Variable`` objects
  named as TF1 would have named them, created once and tracked for
  ``tf.train.Checkpoint``;
* either way, a seed set with ``compat.set_seed`` makes every default initial
  value a function of the seed and the variable's full name (see
  ``compat.seed``).

Divergences from TF1 are listed in each class's docstring.
"""

from __future__ import annotations

import collections
import contextlib
import copy
import logging
import numbers
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import tensorflow as tf

from compat import seed as _seed
from compat.errors import CompatWarning, TF1DeprecationWarning
from compat.unsupported import raise_unsupported

__all__ = [
    "BasicLSTMCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
]

_logger = logging.getLogger(__name__)

_v1 = tf.compat.v1

Activation = Callable[[tf.Tensor], tf.Tensor]

# Activations TF1 cells accepted by name; anything else must be a callable.
_ACTIVATIONS: dict[str, Activation] = {
    "tanh": tf.tanh,
    "sigmoid": tf.sigmoid,
    "relu": tf.nn.relu,
    "relu6": tf.nn.relu6,
    "elu": tf.nn.elu,
    "selu": tf.nn.selu,
    "softsign": tf.nn.softsign,
    "softplus": tf.nn.softplus,
    "linear": tf.identity,
}


def in_v1_graph() -> bool:
    """Return True when ops go into a TF1-style graph rather than eager/tf.function."""
    return not _v1.executing_eagerly_outside_functions()


def _dim(shape: tf.TensorShape, index: int) -> int | None:
    """One dimension as an int or None, under TF2's and TF1's TensorShape alike."""
    if shape.rank is None or shape.rank == 0:
        return None
    return tf.compat.dimension_value(shape[index])


def _to_snake_case(name: str) -> str:
    # TF1 layers took their default scope name from the class name this way:
    # BasicLSTMCell -> basic_lstm_cell, MultiRNNCell -> multi_rnn_cell.
    intermediate = re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    snake = re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    return snake if snake[0] != "_" else "private" + snake


def _get_activation(activation: str | Activation | None) -> Activation:
    if activation is None:
        return tf.tanh
    if isinstance(activation, str):
        if activation not in _ACTIVATIONS:
            raise ValueError(
                f"activation must be a callable or one of {sorted(_ACTIVATIONS)}, "
                f"got {activation!r}"
            )
        return _ACTIVATIONS[activation]
    if not callable(activation):
        raise TypeError(f"activation must be a callable or a name, got {activation!r}")
    return activation


def _check_num_units(value: object, argument: str, cls: str) -> int:
    # NumPy integers are accepted, as TF1 accepted them.
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{cls}: {argument} must be a positive integer, got {value!r}")
    return int(value)


def _check_float_dtypes(tensors: object, cls: str) -> None:
    for t in tf.nest.flatten(tensors):
        dtype = tf.as_dtype(t.dtype)
        if not (dtype.is_floating or dtype.is_complex):
            raise ValueError(
                f"{cls}: RNN cells only support floating point inputs and states, "
                f"got dtype {dtype.name}; cast first, e.g. tf.cast(x, tf.float32)"
            )


def _state_shape_error(
    cls: str, what: str, expected: object, got: object
) -> ValueError:
    return ValueError(
        f"{cls}: {what} must have shape {expected}, got {got}. Pass the state "
        "returned by the cell or by cell.zero_state(batch_size, dtype)."
    )


def _zero_state_tensors(state_size: Any, batch_size: Any, dtype: tf.DType) -> Any:
    def zeros_for(size: Any) -> tf.Tensor:
        dims = tf.TensorShape(size).as_list()
        if isinstance(batch_size, int):
            return tf.zeros([batch_size, *dims], dtype=dtype)
        batch = tf.reshape(tf.cast(batch_size, tf.int32), [1])
        zeros = tf.zeros(
            tf.concat([batch, tf.constant(dims, tf.int32)], 0), dtype=dtype
        )
        static_batch = tf.get_static_value(batch_size)
        zeros.set_shape([None if static_batch is None else int(static_batch), *dims])
        return zeros

    return tf.nest.map_structure(zeros_for, state_size)


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """The state of an LSTM cell: ``c`` (memory) and ``h`` (output), in that order.

    A namedtuple, as in TF1, so ``c, h = state`` works and ``Session.run``
    returns one with NumPy arrays inside.
    """

    __slots__ = ()

    @property
    def dtype(self) -> tf.DType:
        """The dtype shared by ``c`` and ``h``.

        Raises:
            TypeError: If ``c`` and ``h`` have different dtypes.
        """
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(
                f"LSTMStateTuple: c and h must have the same dtype, got "
                f"{c.dtype!r} and {h.dtype!r}"
            )
        return c.dtype


class _Weights:
    """Variables a cell created or collected, in creation order.

    A plain object on purpose: the trackable base class would otherwise track
    the list a second time, next to the TF1-named dependencies.
    """

    def __init__(self) -> None:
        self.ordered: list[tf.Variable] = []
        self.by_name: dict[str, tf.Variable] = {}
        self.by_full_name: dict[str, tf.Variable] = {}

    def add(self, short_name: str, variable: tf.Variable) -> bool:
        if any(variable is v for v in self.ordered):
            return False
        self.ordered.append(variable)
        self.by_name.setdefault(short_name, variable)
        return True


class RNNCell(tf.__internal__.tracking.AutoTrackable):
    """Abstract RNN cell, subclassable the TF1 way.

    A subclass defines ``state_size``, ``output_size`` and
    ``call(inputs, state) -> (output, new_state)``; it may create its
    variables in ``build(inputs_shape)`` with ``add_weight`` (or
    ``add_variable``), or, in v1 graph mode, with ``tf.compat.v1.get_variable``
    inside ``call``. ``__call__(inputs, state, scope=None)`` opens the cell's
    variable scope (``<enclosing scope>/<snake_case class name>`` on the first
    call, reused afterwards), builds the cell once and calls ``call``.

    Args:
        trainable: Whether the cell's variables are trainable.
        name: The cell's scope name; defaults to the snake-case class name,
            made unique in the enclosing scope as TF1 did.
        dtype: The variables' dtype; defaults to the first input's dtype.

    Divergences from TF1: the cell is not a Keras layer (no ``get_config``,
    no Keras losses or metrics); variables created with ``get_variable`` inside
    ``call`` are recreated on each call in eager mode, so eager subclasses
    should use ``add_weight`` in ``build``.
    """

    def __init__(
        self,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
        _reuse: bool | None = None,
    ) -> None:
        super().__init__()
        if name is not None and not isinstance(name, str):
            raise TypeError(f"{type(self).__name__}: name must be a str, got {name!r}")
        self._trainable = trainable
        self._base_name = name or _to_snake_case(type(self).__name__)
        self._reuse = _reuse
        self._dtype: tf.DType | None = None if dtype is None else tf.as_dtype(dtype)
        self._variable_scope: Any = None
        self._weights = _Weights()
        self.built = False

    # Properties a subclass must define.

    @property
    def state_size(self) -> Any:
        """Size(s) of the state: an int, a TensorShape or a nested tuple of them."""
        raise NotImplementedError(f"{type(self).__name__} must define state_size")

    @property
    def output_size(self) -> Any:
        """Size of the output: an int or a TensorShape."""
        raise NotImplementedError(f"{type(self).__name__} must define output_size")

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """Run one step; subclasses override this."""
        raise NotImplementedError(f"{type(self).__name__} must define call()")

    def build(self, inputs_shape: tf.TensorShape) -> None:
        """Create the cell's variables; called once, before the first ``call``."""
        self.built = True

    # Introspection.

    @property
    def name(self) -> str:
        """The cell's scope name (unique once the cell has been called)."""
        if self._variable_scope is not None:
            return str(self._variable_scope.name).rsplit("/", 1)[-1]
        return self._base_name

    @property
    def dtype(self) -> tf.DType | None:
        """The dtype of the cell's variables, once known."""
        return self._dtype

    @property
    def trainable(self) -> bool:
        """Whether the cell's variables are trainable."""
        return self._trainable

    @property
    def variables(self) -> list[tf.Variable]:
        """All variables of the cell, in creation order."""
        return list(self._weights.ordered)

    @property
    def trainable_variables(self) -> list[tf.Variable]:
        """The trainable variables, in creation order."""
        if not self._trainable:
            return []
        return [v for v in self.variables if v.trainable]

    @property
    def non_trainable_variables(self) -> list[tf.Variable]:
        """The variables that are not trained, in creation order."""
        trainable = self.trainable_variables
        return [v for v in self.variables if all(v is not t for t in trainable)]

    @property
    def weights(self) -> list[tf.Variable]:
        """Trainable variables first, then the others (as TF1 layers listed them)."""
        return self.trainable_variables + self.non_trainable_variables

    @property
    def trainable_weights(self) -> list[tf.Variable]:
        """Alias of ``trainable_variables``."""
        return self.trainable_variables

    @property
    def non_trainable_weights(self) -> list[tf.Variable]:
        """Alias of ``non_trainable_variables``."""
        return self.non_trainable_variables

    # States.

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        """Return zero-filled state tensor(s) shaped ``[batch_size, s]``.

        Args:
            batch_size: A Python int or a scalar integer tensor.
            dtype: The state's dtype.

        Returns:
            A tensor, or a structure of tensors matching ``state_size``.
        """
        if batch_size is None:
            raise ValueError(
                f"{type(self).__name__}.zero_state: batch_size must be an int or a "
                "scalar tensor, got None; use tf.shape(inputs)[0] for a dynamic batch"
            )
        dtype = tf.as_dtype(dtype)
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return _zero_state_tensors(self.state_size, batch_size, dtype)

    def get_initial_state(
        self, inputs: Any = None, batch_size: Any = None, dtype: Any = None
    ) -> Any:
        """Return ``zero_state``, taking batch size and dtype from ``inputs`` if given.

        Raises:
            ValueError: If neither ``inputs`` nor both ``batch_size`` and
                ``dtype`` are given.
        """
        if inputs is not None:
            inputs = tf.convert_to_tensor(inputs)
            batch_size = (
                _dim(inputs.shape, 0)
                if _dim(inputs.shape, 0) is not None
                else (tf.shape(inputs)[0])
            )
            dtype = inputs.dtype
        if batch_size is None or dtype is None:
            raise ValueError(
                f"{type(self).__name__}.get_initial_state needs inputs, or both "
                f"batch_size and dtype; got batch_size={batch_size!r}, dtype={dtype!r}"
            )
        return self.zero_state(batch_size, dtype)

    # Calling.

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        """Run the cell on ``inputs`` from ``state``, creating variables on first use.

        Args:
            inputs: A ``[batch_size, input_size]`` tensor (or something
                convertible to one).
            state: A tensor or a structure of tensors matching ``state_size``;
                plain tuples are accepted where TF1 used ``LSTMStateTuple``.
            scope: A name or ``VariableScope`` for the cell's variables, used on
                the first call only (as in TF1).

        Returns:
            ``(output, new_state)``.
        """
        inputs = tf.convert_to_tensor(inputs)
        state = tf.nest.map_structure(tf.convert_to_tensor, state)
        with self._enter_scope(scope):
            if not self.built:
                self._set_dtype(inputs)
                self.build(inputs.shape)
                self.built = True
            return self.call(inputs, state)

    def _set_dtype(self, inputs: tf.Tensor) -> None:
        if self._dtype is None:
            self._dtype = inputs.dtype.base_dtype

    def _create_variable_scope(self, scope: Any) -> Any:
        # The rules of TF1's layers: an explicit scope is used as is; a reusing
        # cell takes its base name as is; otherwise the base name is made unique
        # within the enclosing scope (basic_lstm_cell, basic_lstm_cell_1, ...).
        if scope is not None:
            context = _v1.variable_scope(scope)
        elif self._reuse:
            context = _v1.variable_scope(self._base_name)
        else:
            context = _v1.variable_scope(None, default_name=self._base_name)
        with context as captured:
            return captured

    @contextlib.contextmanager
    def _enter_scope(self, scope: Any) -> Iterator[Any]:
        if self._variable_scope is None:
            self._variable_scope = self._create_variable_scope(scope)
        graph = in_v1_graph()
        reuse = True if self.built else self._reuse
        with _v1.variable_scope(
            self._variable_scope,
            reuse=reuse,
            auxiliary_name_scope=False,
            custom_getter=self._collect_variable,
        ) as entered:
            if graph:
                with tf.name_scope(self._variable_scope.original_name_scope):
                    yield entered
            else:
                yield entered

    def _collect_variable(
        self, getter: Any, name: str, *args: Any, **kwargs: Any
    ) -> Any:
        # Variables a TF1-style subclass makes with get_variable inside call()
        # become the cell's own, as TF1's custom getter arranged. They get the
        # seeded default initializer like add_weight's. Eagerly, get_variable
        # would make a new variable at every call, so the first one is kept
        # and returned again (what TF1's graph-mode reuse gave).
        if (
            kwargs.get("initializer") is None
            and _v1.get_variable_scope().initializer is None
            and _seed.get_seed() is not None
        ):
            kwargs["initializer"] = _default_initializer(name)
        if in_v1_graph():
            variable = getter(name, *args, **kwargs)
        else:
            existing = self._weights.by_full_name.get(name)
            if existing is not None:
                return existing
            with tf.init_scope(), _v1.name_scope(None):
                variable = getter(name, *args, **kwargs)
            self._weights.by_full_name[name] = variable
        prefix = str(self._variable_scope.name) + "/"
        full = variable.name.split(":")[0]
        short = full[len(prefix) :] if full.startswith(prefix) else full
        if self._weights.add(short, variable):
            self._track_trackable(variable, name=short, overwrite=True)
        return variable

    def add_weight(
        self,
        name: str,
        shape: Sequence[int] | tf.TensorShape,
        dtype: Any = None,
        initializer: Any = None,
        trainable: bool = True,
    ) -> tf.Variable:
        """Create a variable named ``<cell scope>/<name>`` (call from ``build``).

        Args:
            name: The short name, e.g. ``kernel`` or ``projection/kernel``.
            shape: A fully defined shape.
            dtype: Defaults to the cell's dtype.
            initializer: A TF initializer or a callable ``(shape, dtype)``; when
                None, the enclosing scope's initializer, else glorot uniform
                (seeded by name when ``compat.set_seed`` is in effect).
            trainable: Whether the variable is trained.

        Returns:
            The variable.
        """
        dtype = tf.as_dtype(dtype or self._dtype or tf.float32)
        shape = tf.TensorShape(shape)
        if not shape.is_fully_defined():
            raise ValueError(
                f"{type(self).__name__}: variable {name!r} needs a fully defined "
                f"shape, got {shape}"
            )
        current = _v1.get_variable_scope()
        full_name = f"{current.name}/{name}" if current.name else name
        if initializer is None and current.initializer is None:
            initializer = _default_initializer(full_name)
        trainable = trainable and self._trainable

        if in_v1_graph():
            variable = _v1.get_variable(
                name,
                shape=shape,
                dtype=dtype,
                initializer=initializer,
                trainable=trainable,
            )
        else:
            initializer = initializer or current.initializer
            # Lifted out of any tf.function, and out of the name scopes that
            # variable_scope opened, so the name is exactly TF1's.
            with tf.init_scope(), _v1.name_scope(None):
                value = _call_initializer(initializer, shape, dtype)
                variable = tf.Variable(
                    value, name=full_name, dtype=dtype, trainable=trainable
                )
        if self._weights.add(name, variable):
            self._track_trackable(variable, name=name, overwrite=True)
        return variable

    def add_variable(self, *args: Any, **kwargs: Any) -> tf.Variable:
        """TF1's older name for ``add_weight``."""
        return self.add_weight(*args, **kwargs)


def _default_initializer(full_name: str) -> Any:
    """The initializer TF1's get_variable would have used, seeded when asked."""
    if _seed.get_seed() is None:
        return _v1.glorot_uniform_initializer()

    def seeded(shape: Any, dtype: Any = None, partition_info: Any = None) -> tf.Tensor:
        del partition_info  # unused: sharded variables are not supported
        return _seed.seeded_glorot_uniform(
            full_name, tuple(tf.TensorShape(shape).as_list()), dtype or tf.float32
        )

    return seeded


def _call_initializer(initializer: Any, shape: tf.TensorShape, dtype: tf.DType) -> Any:
    if not callable(initializer):
        raise TypeError(f"initializer must be callable, got {initializer!r}")
    return initializer(shape.as_list(), dtype=dtype)


def _lstm_state_error(
    cls: str, state: Any, num_units: int, h_depth: int, state_is_tuple: bool
) -> ValueError | None:
    """Check an LSTM state's structure and static sizes; return the error, if any."""
    if state_is_tuple:
        if not isinstance(state, (tuple, list)) or len(state) != 2:
            return ValueError(
                f"{cls}: state must be a 2-tuple (c, h) or LSTMStateTuple since "
                f"state_is_tuple=True, got {type(state).__name__}"
            )
        for part, size, label in ((state[0], num_units, "c"), (state[1], h_depth, "h")):
            got = part.shape
            if got.rank is not None and (
                got.rank != 2 or _dim(got, -1) not in (None, size)
            ):
                return _state_shape_error(
                    cls, f"state.{label}", f"[batch, {size}]", got
                )
        return None
    if isinstance(state, (tuple, list)):
        return ValueError(
            f"{cls}: state must be one tensor of shape [batch, {num_units + h_depth}] "
            "since state_is_tuple=False, got a tuple"
        )
    got = state.shape
    size = num_units + h_depth
    if got.rank is not None and (got.rank != 2 or _dim(got, -1) not in (None, size)):
        return _state_shape_error(cls, "state", f"[batch, {size}]", got)
    return None


def _check_cell_inputs(cls: str, inputs: tf.Tensor) -> int:
    if inputs.shape.rank is not None and inputs.shape.rank != 2:
        raise ValueError(
            f"{cls}: each step's inputs must have rank 2 [batch, input_size], got "
            f"shape {inputs.shape}"
        )
    depth = _dim(inputs.shape, -1)
    if depth is None:
        raise ValueError(
            f"{cls}: the last dimension of inputs must be known, got shape "
            f"{inputs.shape}; give the placeholder a fixed feature size"
        )
    return int(depth)


def _check_built_inputs(cell: RNNCell, inputs: tf.Tensor, h_depth: int) -> None:
    """After the first call: the same input depth and dtype as the kernel has."""
    kernel = cell._weights.by_name.get("kernel")
    if kernel is not None:
        _check_against_kernel(cell, inputs, kernel, h_depth)


def _check_against_kernel(
    cell: RNNCell, inputs: tf.Tensor, kernel: Any, h_depth: int
) -> None:
    """Inputs must have the depth and dtype that ``kernel`` was built for."""
    cls = type(cell).__name__
    expected = int(kernel.shape[0]) - h_depth
    depth = _dim(inputs.shape, -1)
    if depth is not None and depth != expected:
        raise ValueError(
            f"{cls} {cell.name!r} was built for inputs of depth {expected} and now "
            f"gets depth {depth}. A cell object holds one set of weights: create "
            "one cell for each input of a different depth"
        )
    if inputs.dtype.base_dtype != kernel.dtype.base_dtype:
        raise ValueError(
            f"{cls} {cell.name!r} has {kernel.dtype.base_dtype.name} weights but got "
            f"{inputs.dtype.base_dtype.name} inputs; cast the inputs, e.g. "
            f"tf.cast(x, tf.{kernel.dtype.base_dtype.name})"
        )


def _check_state_dtype(cell: RNNCell, inputs: tf.Tensor, state: Any) -> None:
    for part in tf.nest.flatten(state):
        if part.dtype.base_dtype != inputs.dtype.base_dtype:
            raise ValueError(
                f"{type(cell).__name__}: the state is {part.dtype.base_dtype.name} but "
                f"the inputs are {inputs.dtype.base_dtype.name}; make them match "
                "(zero_state(batch, dtype) and dynamic_rnn(dtype=...) set the state's)"
            )


def _warn_concatenated_state(cls: str) -> None:
    warnings.warn(
        f"{cls}: state_is_tuple=False (a concatenated state) was deprecated in TF1 "
        "and is kept only for old code; prefer state_is_tuple=True",
        TF1DeprecationWarning,
        stacklevel=3,
    )


class BasicLSTMCell(RNNCell):
    """TF1's basic LSTM cell: no peepholes, clipping or projection.

    With ``x`` the input, ``[x, h]`` their concatenation, ``W`` the kernel of
    shape ``[input_size + num_units, 4 * num_units]`` and ``b`` the bias::

        i, j, f, o = split([x, h] @ W + b, 4, axis=1)
        c' = c * sigmoid(f + forget_bias) + sigmoid(i) * act(j)
        h' = act(c') * sigmoid(o)

    ``forget_bias`` is added at run time, not stored in ``b`` (as in TF1).
    Variables: ``<scope>/basic_lstm_cell/kernel`` (glorot uniform) and
    ``.../bias`` (zeros).

    Args:
        num_units: Number of units (size of ``c`` and ``h``).
        forget_bias: Added to the forget gate's pre-activation.
        state_is_tuple: If True the state is ``LSTMStateTuple(c, h)``, else
            ``concat([c, h], 1)``.
        activation: Activation of the inner states; ``tanh`` by default.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        name: Scope name of the cell.
        dtype: Dtype of the variables; defaults to the inputs' dtype.
    """

    def __init__(
        self,
        num_units: int,
        forget_bias: float = 1.0,
        state_is_tuple: bool = True,
        activation: str | Activation | None = None,
        reuse: bool | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype, _reuse=reuse)
        self._num_units = _check_num_units(num_units, "num_units", "BasicLSTMCell")
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _get_activation(activation)
        if not state_is_tuple:
            _warn_concatenated_state("BasicLSTMCell")

    @property
    def state_size(self) -> Any:
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    @property
    def output_size(self) -> int:
        return self._num_units

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _dim(tf.TensorShape(inputs_shape), -1)
        if depth is None:
            raise ValueError(
                f"BasicLSTMCell: the last dimension of inputs must be known, got "
                f"{inputs_shape}"
            )
        n = self._num_units
        self.add_weight("kernel", [int(depth) + n, 4 * n])
        self.add_weight("bias", [4 * n], initializer=_v1.zeros_initializer())

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_cell_inputs("BasicLSTMCell", inputs)
        _check_float_dtypes(inputs, "BasicLSTMCell")
        return super().__call__(inputs, state, scope)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, Any]:
        """One LSTM step, with TF1's op order (so values are bitwise TF1's)."""
        _check_float_dtypes([inputs, state], "BasicLSTMCell")
        _check_built_inputs(self, inputs, self._num_units)
        _check_state_dtype(self, inputs, state)
        error = _lstm_state_error(
            "BasicLSTMCell",
            state,
            self._num_units,
            self._num_units,
            self._state_is_tuple,
        )
        if error is not None:
            raise error
        w = self._weights.by_name
        one = tf.constant(1, dtype=tf.int32)
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = tf.split(value=state, num_or_size_splits=2, axis=one)

        gate_inputs = tf.matmul(tf.concat([inputs, h], 1), w["kernel"])
        gate_inputs = tf.nn.bias_add(gate_inputs, w["bias"])
        i, j, f, o = tf.split(value=gate_inputs, num_or_size_splits=4, axis=one)

        forget_bias = tf.constant(self._forget_bias, dtype=f.dtype)
        new_c = tf.add(
            tf.multiply(c, tf.sigmoid(tf.add(f, forget_bias))),
            tf.multiply(tf.sigmoid(i), self._activation(j)),
        )
        new_h = tf.multiply(self._activation(new_c), tf.sigmoid(o))

        if self._state_is_tuple:
            return new_h, LSTMStateTuple(new_c, new_h)
        return new_h, tf.concat([new_c, new_h], 1)


class LSTMCell(RNNCell):
    """TF1's full LSTM cell, with optional peepholes, clipping and projection.

    With ``W`` of shape ``[input_size + h_depth, 4 * num_units]`` (``h_depth``
    is ``num_proj`` or ``num_units``) and ``b``::

        i, j, f, o = split([x, m] @ W + b, 4, axis=1)
        c' = sigmoid(f + forget_bias [+ w_f_diag * c]) * c
             + sigmoid(i [+ w_i_diag * c]) * act(j)
        c' = clip(c', -cell_clip, cell_clip)             if cell_clip
        m' = sigmoid(o [+ w_o_diag * c']) * act(c')
        m' = m' @ P, then clip(m', -proj_clip, proj_clip) if num_proj

    Terms in brackets apply with ``use_peepholes``. Variables: ``kernel``,
    ``bias`` (zeros), ``w_f_diag``, ``w_i_diag``, ``w_o_diag`` (peepholes),
    ``projection/kernel`` (``P``), under ``<scope>/lstm_cell``; all but the
    bias use ``initializer``.

    Args:
        num_units: Number of units in the cell (size of ``c``).
        use_peepholes: Add the diagonal peephole connections.
        cell_clip: Clip ``c`` to ``[-cell_clip, cell_clip]`` after each step.
        initializer: Initializer of the kernel, peepholes and projection.
        num_proj: Size of the output projection (and of ``m``); none if None.
        proj_clip: Clip the projected output to ``[-proj_clip, proj_clip]``.
        num_unit_shards: Not supported (partitioned variables); must be None.
        num_proj_shards: Not supported (partitioned variables); must be None.
        forget_bias: Added to the forget gate's pre-activation.
        state_is_tuple: If True the state is ``LSTMStateTuple(c, m)``, else
            ``concat([c, m], 1)``.
        activation: Activation of the inner states; ``tanh`` by default.
        reuse: Reuse existing variables of the same scope (TF1 semantics).
        name: Scope name of the cell.
        dtype: Dtype of the variables; defaults to the inputs' dtype.

    Raises:
        NotImplementedError: If ``num_unit_shards`` or ``num_proj_shards`` is set.
    """

    def __init__(
        self,
        num_units: int,
        use_peepholes: bool = False,
        cell_clip: float | None = None,
        initializer: Any = None,
        num_proj: int | None = None,
        proj_clip: float | None = None,
        num_unit_shards: int | None = None,
        num_proj_shards: int | None = None,
        forget_bias: float = 1.0,
        state_is_tuple: bool = True,
        activation: str | Activation | None = None,
        reuse: bool | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name=name, dtype=dtype, _reuse=reuse)
        if num_unit_shards is not None or num_proj_shards is not None:
            raise_unsupported("sharded_lstm_weights")
        self._num_units = _check_num_units(num_units, "num_units", "LSTMCell")
        if num_proj is not None:
            _check_num_units(num_proj, "num_proj", "LSTMCell")
        self._use_peepholes = use_peepholes
        self._cell_clip = cell_clip
        self._initializer = initializer
        self._num_proj = num_proj
        self._proj_clip = proj_clip
        self._forget_bias = forget_bias
        self._state_is_tuple = state_is_tuple
        self._activation = _get_activation(activation)
        if not state_is_tuple:
            _warn_concatenated_state("LSTMCell")

    @property
    def _h_depth(self) -> int:
        return self._num_units if self._num_proj is None else self._num_proj

    @property
    def state_size(self) -> Any:
        if self._state_is_tuple:
            return LSTMStateTuple(self._num_units, self._h_depth)
        return self._num_units + self._h_depth

    @property
    def output_size(self) -> int:
        return self._h_depth

    def build(self, inputs_shape: tf.TensorShape) -> None:
        depth = _dim(tf.TensorShape(inputs_shape), -1)
        if depth is None:
            raise ValueError(
                "LSTMCell: the last dimension of inputs must be known, got "
                f"{inputs_shape}"
            )
        n = self._num_units
        init = self._initializer
        self.add_weight("kernel", [int(depth) + self._h_depth, 4 * n], initializer=init)
        self.add_weight("bias", [4 * n], initializer=_v1.zeros_initializer())
        if self._use_peepholes:
            self.add_weight("w_f_diag", [n], initializer=init)
            self.add_weight("w_i_diag", [n], initializer=init)
            self.add_weight("w_o_diag", [n], initializer=init)
        if self._num_proj is not None:
            self.add_weight("projection/kernel", [n, self._num_proj], initializer=init)

    def __call__(self, inputs: Any, state: Any, scope: Any = None) -> tuple[Any, Any]:
        inputs = tf.convert_to_tensor(inputs)
        _check_cell_inputs("LSTMCell", inputs)
        _check_float_dtypes(inputs, "LSTMCell")
        return super().__call__(inputs, state, scope)

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[tf.Tensor, Any]:
        """One LSTM step, with TF1's op order (so values are bitwise TF1's)."""
        _check_float_dtypes([inputs, state], "LSTMCell")
        _check_built_inputs(self, inputs, self._h_depth)
        _check_state_dtype(self, inputs, state)
        error = _lstm_state_error(
            "LSTMCell", state, self._num_units, self._h_depth, self._state_is_tuple
        )
        if error is not None:
            raise error
        w = self._weights.by_name
        sigmoid = tf.sigmoid
        act = self._activation
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = tf.slice(state, [0, 0], [-1, self._num_units])
            m_prev = tf.slice(state, [0, self._num_units], [-1, self._h_depth])

        lstm_matrix = tf.matmul(tf.concat([inputs, m_prev], 1), w["kernel"])
        lstm_matrix = tf.nn.bias_add(lstm_matrix, w["bias"])
        i, j, f, o = tf.split(value=lstm_matrix, num_or_size_splits=4, axis=1)

        if self._use_peepholes:
            c = sigmoid(f + self._forget_bias + w["w_f_diag"] * c_prev) * c_prev + (
                sigmoid(i + w["w_i_diag"] * c_prev) * act(j)
            )
        else:
            c = sigmoid(f + self._forget_bias) * c_prev + sigmoid(i) * act(j)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)

        if self._use_peepholes:
            m = sigmoid(o + w["w_o_diag"] * c) * act(c)
        else:
            m = sigmoid(o) * act(c)
        if self._num_proj is not None:
            m = tf.matmul(m, w["projection/kernel"])
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)

        if self._state_is_tuple:
            return m, LSTMStateTuple(c, m)
        return m, tf.concat([c, m], 1)


def _fresh_copy(cell: RNNCell) -> RNNCell:
    """An unbuilt cell with the same configuration and no variables of its own."""
    copy_ = copy.copy(cell)
    # The shallow copy would share the original's checkpoint dependencies;
    # drop them so the copy tracks only its own variables.
    for key in [k for k in copy_.__dict__ if k.startswith("_self_")]:
        copy_.__dict__.pop(key)
    copy_._maybe_initialize_trackable()
    copy_._weights = _Weights()
    copy_._variable_scope = None
    copy_.built = False
    return copy_


def _separate_repeated_cells(cells: Sequence[Any]) -> list[Any]:
    """Give each layer its own cell object when one object is listed repeatedly.

    ``MultiRNNCell([cell] * 3)`` is common in notebooks written for TF 1.0,
    where each layer got its own weights; TF 1.1+ shared one set, which fails
    with a shape error as soon as the input depth differs from ``num_units``.
    Running such a notebook as it was written means separate weights per
    layer, which is what this does, with a warning.
    """
    seen: set[int] = set()
    result: list[Any] = []
    repeated = []
    for index, cell in enumerate(cells):
        if id(cell) in seen and isinstance(cell, RNNCell) and not cell.built:
            result.append(_fresh_copy(cell))
            repeated.append(index)
        else:
            if id(cell) in seen:
                _logger.warning(
                    "MultiRNNCell: cells[%d] repeats a cell that already has weights; "
                    "the layers share them",
                    index,
                )
            result.append(cell)
        seen.add(id(cell))
    if repeated:
        warnings.warn(
            f"MultiRNNCell: the same cell object is listed {len(repeated) + 1} times "
            f"(layers {[0, *repeated]}); each layer gets its own weights, as in "
            "TF 1.0 (TF 1.1 and later shared them or failed). Build one cell per "
            "layer to say so explicitly.",
            CompatWarning,
            stacklevel=3,
        )
    return result


class _Cells:
    """The wrapped cells of a MultiRNNCell, kept out of automatic tracking."""

    def __init__(self, cells: Sequence[Any]) -> None:
        self.items = list(cells)


class MultiRNNCell(RNNCell):
    """TF1's stack of cells, run as one cell: layer ``k`` feeds layer ``k + 1``.

    Each layer's variables live under ``<scope>/multi_rnn_cell/cell_<k>/``. The
    state is a tuple of the layers' states, or with ``state_is_tuple=False``
    their concatenation.

    Args:
        cells: A non-empty list of cells, applied in order.
        state_is_tuple: If False, states are concatenated along axis 1; every
            cell's state must then be a single tensor.

    Raises:
        ValueError: If ``cells`` is empty, or a cell has a tuple state while
            ``state_is_tuple`` is False.
        TypeError: If ``cells`` is not a list or tuple.
    """

    def __init__(self, cells: Sequence[Any], state_is_tuple: bool = True) -> None:
        super().__init__()
        if not isinstance(cells, (list, tuple)):
            raise TypeError(
                f"MultiRNNCell: cells must be a list or tuple of cells, got "
                f"{type(cells).__name__}"
            )
        if not cells:
            raise ValueError("MultiRNNCell: cells must hold at least one cell, got []")
        for index, cell in enumerate(cells):
            if not all(hasattr(cell, a) for a in ("state_size", "output_size")) or not (
                callable(cell)
            ):
                raise TypeError(
                    f"MultiRNNCell: cells[{index}] is {cell!r} "
                    f"({type(cell).__name__}), not an RNN cell; build the cells first, "
                    "e.g. MultiRNNCell([LSTMCell(4), LSTMCell(5)])"
                )
        cells = _separate_repeated_cells(cells)
        if not state_is_tuple:
            nested = [i for i, c in enumerate(cells) if tf.nest.is_nested(c.state_size)]
            if nested:
                raise ValueError(
                    "MultiRNNCell: state_is_tuple=False needs cells with one-tensor "
                    f"states, but cells {nested} have tuple states; build them with "
                    "state_is_tuple=False too"
                )
        self._cells = _Cells(cells)
        self._state_is_tuple = state_is_tuple
        for index, cell in enumerate(cells):
            if isinstance(cell, tf.__internal__.tracking.Trackable):
                self._track_trackable(cell, name=f"cell-{index}", overwrite=True)

    @property
    def state_size(self) -> Any:
        sizes = tuple(cell.state_size for cell in self._cells.items)
        return sizes if self._state_is_tuple else sum(sizes)

    @property
    def output_size(self) -> Any:
        return self._cells.items[-1].output_size

    def zero_state(self, batch_size: Any, dtype: Any) -> Any:
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            if self._state_is_tuple:
                return tuple(c.zero_state(batch_size, dtype) for c in self._cells.items)
            return _zero_state_tensors(self.state_size, batch_size, tf.as_dtype(dtype))

    @property
    def variables(self) -> list[tf.Variable]:
        found: list[tf.Variable] = []
        for cell in self._cells.items:
            for variable in getattr(cell, "variables", []):
                if all(variable is not v for v in found):
                    found.append(variable)
        return found

    def call(self, inputs: tf.Tensor, state: Any) -> tuple[Any, Any]:
        """Run the layers in order, each in its ``cell_<k>`` variable scope."""
        cells = self._cells.items
        if self._state_is_tuple:
            if not isinstance(state, (tuple, list)) or len(state) != len(cells):
                got = len(state) if isinstance(state, (tuple, list)) else "a tensor"
                raise ValueError(
                    f"MultiRNNCell: state must be a tuple of {len(cells)} layer states,"
                    " "
                    f"got {got}"
                )
        else:
            width = _dim(state.shape, -1)
            if width is not None and width != self.state_size:
                raise _state_shape_error(
                    "MultiRNNCell", "state", f"[batch, {self.state_size}]", state.shape
                )
        position = 0
        layer_input = inputs
        new_states = []
        for index, cell in enumerate(cells):
            with _v1.variable_scope(f"cell_{index}"):
                if self._state_is_tuple:
                    layer_state = state[index]
                else:
                    layer_state = tf.slice(state, [0, position], [-1, cell.state_size])
                    position += cell.state_size
                layer_input, new_state = cell(layer_input, layer_state)
                new_states.append(new_state)
        if self._state_is_tuple:
            return layer_input, tuple(new_states)
        return layer_input, tf.concat(new_states, 1)
