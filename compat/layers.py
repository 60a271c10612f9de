"""TF1's layer functions around RNNs, on plain TF ops, without Keras.

``tf.layers`` (``dense``, ``dropout``, ``conv1d``, ``batch_normalization``,
``flatten``), ``tf.contrib.layers`` (``fully_connected``, ``linear``,
``xavier_initializer``), ``tf.contrib.seq2seq.sequence_loss``,
``tf.contrib.legacy_seq2seq.sequence_loss_by_example`` and
``tf.contrib.learn.run_n``, with TF1's signatures, defaults, math, variable
names (``dense/kernel``, ``fully_connected/weights``,
``batch_normalization/moving_mean``, ...) and name uniquing (``dense_1``).

In v1 graph mode variables come from ``tf.compat.v1.get_variable`` under
TF1's variable scopes, so ``reuse``, scope initializers, regularization losses
(``GraphKeys.REGULARIZATION_LOSSES``), batch-norm update ops
(``GraphKeys.UPDATE_OPS``) and ``tf.compat.v1.train.Saver`` behave as in TF1.

Eagerly a layer function has no object to keep its variables in, so they are
kept by full name in a store tied to the default graph (cleared by
``tf.compat.v1.reset_default_graph()``): a layer with an explicit ``name`` (or
``scope``) finds its variables again on every later call, the way TF1's
variable scopes behave eagerly (``AUTO_REUSE``); a layer without one gets a
new unique name on each call, as in graph mode. Inside ``tf.function`` layers
that own variables need a ``name``, because the function is traced more than
once. Regularizers are graph-mode only (there is no loss collection eagerly).

With ``compat.set_seed`` in effect, a variable whose initializer was left to
its default gets seeded glorot-uniform values drawn from the seed and its full
name (``compat.seed``), the distribution TF1 used for those defaults.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import numbers
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import tensorflow as tf

from compat import seed as _seed

__all__ = [
    "batch_normalization",
    "conv1d",
    "dense",
    "dropout",
    "flatten",
    "fully_connected",
    "linear",
    "run_n",
    "sequence_loss",
    "sequence_loss_by_example",
    "xavier_initializer",
]

_v1 = tf.compat.v1

Initializer = Callable[..., Any]

# TF1's default initializers, shared as TF1's own signatures shared them.
_ZEROS = _v1.zeros_initializer()
_ONES = _v1.ones_initializer()


def _in_v1_graph() -> bool:
    return not _v1.executing_eagerly_outside_functions()


# Variables made eagerly, by full name, per default graph.
_EAGER_STORES: weakref.WeakKeyDictionary[Any, dict[str, tf.Variable]] = (
    weakref.WeakKeyDictionary()
)


def _eager_store() -> dict[str, tf.Variable]:
    # Inside tf.function the default graph is the function's; its outermost
    # graph is the one eager code sees.
    graph = _v1.get_default_graph()
    while getattr(graph, "outer_graph", None) is not None:
        graph = graph.outer_graph
    return _EAGER_STORES.setdefault(graph, {})


def _seeded_initializer(full_name: str) -> Initializer:
    def seeded(shape: Any, dtype: Any = None, partition_info: Any = None) -> Any:
        del partition_info  # unused: partitioned variables are not supported
        return _seed.seeded_glorot_uniform(
            full_name, tuple(tf.TensorShape(shape).as_list()), dtype or tf.float32
        )

    return seeded


def _get_variable(
    function: str,
    name: str,
    shape: Sequence[int],
    dtype: tf.DType,
    initializer: Any,
    regularizer: Any = None,
    trainable: bool = True,
    constraint: Any = None,
    collections: list[str] | None = None,
    reuse: Any = None,
    seed_default: bool = False,
    moving: bool = False,
) -> tf.Variable:
    """A variable named ``<current variable scope>/<name>``, TF1's way.

    ``seed_default`` marks ``initializer`` as the layer's own default, which
    the shim's seed replaces (as it replaces get_variable's glorot default).
    """
    scope = _v1.get_variable_scope()
    full_name = f"{scope.name}/{name}" if scope.name else name
    default = initializer is None or seed_default
    if default and scope.initializer is None and _seed.get_seed() is not None:
        initializer = _seeded_initializer(full_name)
    elif initializer is None and scope.initializer is not None:
        initializer = scope.initializer
    sync: dict[str, Any] = {}
    if moving:
        sync = {
            "synchronization": tf.VariableSynchronization.ON_READ,
            "aggregation": tf.VariableAggregation.MEAN,
        }

    if _in_v1_graph():
        return _v1.get_variable(
            name,
            shape=shape,
            dtype=dtype,
            initializer=initializer,
            regularizer=regularizer,
            trainable=trainable,
            collections=collections,
            constraint=constraint,
            **sync,
        )

    if regularizer is not None:
        raise NotImplementedError(
            f"{function}: regularizers need v1 graph mode (they are collected in "
            "GraphKeys.REGULARIZATION_LOSSES); eagerly, add the penalty to the loss "
            f"yourself, e.g. 0.01 * tf.nn.l2_loss(<the {name} variable>)"
        )
    store = _eager_store()
    existing = store.get(full_name)
    if existing is not None:
        if tuple(existing.shape.as_list()) != tuple(shape):
            raise ValueError(
                f"{function}: variable {full_name} exists with shape "
                f"{existing.shape}, but the layer needs {list(shape)}; give this "
                "layer another name"
            )
        return existing
    if reuse is True:
        raise ValueError(
            f"Variable {full_name} does not exist, or was not created with "
            "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in VarScope?"
        )
    if initializer is None:
        initializer = (
            _v1.glorot_uniform_initializer()
            if tf.as_dtype(dtype).is_floating
            else _v1.zeros_initializer()
        )
    with tf.init_scope(), _v1.name_scope(None):
        value = initializer(list(shape), dtype=dtype)
        variable = tf.Variable(
            value,
            name=full_name,
            dtype=dtype,
            trainable=trainable,
            constraint=constraint,
            **sync,
        )
    store[full_name] = variable
    return variable


@contextlib.contextmanager
def _layer_scope(
    function: str, name: Any, default_name: str, reuse: Any
) -> Iterator[Any]:
    """Enter a functional layer's variable scope (and, in graph mode, name scope).

    As TF1's ``tf.layers``: an explicit name is used as is (a second layer of
    that name needs ``reuse``); a reusing layer without one takes the base
    name; otherwise the base name is made unique (``dense``, ``dense_1``).
    """
    if name is None and tf.inside_function() and not _in_v1_graph():
        raise ValueError(
            f"{function}: inside tf.function give the layer a name (name=...), so "
            "that every trace of the function finds the same variables"
        )
    if name:
        with _v1.variable_scope(name) as captured:
            pass
    elif reuse:
        with _v1.variable_scope(default_name) as captured:
            pass
    else:
        with _v1.variable_scope(None, default_name=default_name) as captured:
            pass
    with _v1.variable_scope(captured, reuse=reuse, auxiliary_name_scope=False) as scope:
        if _in_v1_graph():
            with tf.name_scope(scope.original_name_scope):
                yield scope
        else:
            yield scope


def _add_to_collection(collection: str, tensor: Any) -> None:
    if _in_v1_graph():
        _v1.add_to_collection(collection, tensor)


def _apply_activity_regularizer(
    function: str, regularizer: Any, outputs: tf.Tensor
) -> None:
    # TF1.15's layers divide the activity penalty by the batch size.
    if regularizer is None:
        return
    if not _in_v1_graph():
        raise NotImplementedError(
            f"{function}: activity_regularizer needs v1 graph mode (it is collected "
            "in GraphKeys.REGULARIZATION_LOSSES); eagerly, add the penalty on the "
            "outputs to the loss yourself"
        )
    with tf.name_scope("ActivityRegularizer"):
        loss = regularizer(outputs)
        batch = tf.cast(tf.shape(outputs)[0], loss.dtype)
        _add_to_collection(_v1.GraphKeys.REGULARIZATION_LOSSES, loss / batch)


def _known_last_dim(function: str, inputs: tf.Tensor, minimum_rank: int) -> int:
    shape = inputs.shape
    if shape.rank is None:
        raise ValueError(f"{function}: inputs must have a known rank, got {shape}")
    if shape.rank < minimum_rank:
        raise ValueError(
            f"{function}: inputs must have rank >= {minimum_rank}, got shape {shape}"
        )
    last = tf.compat.dimension_value(shape[-1])
    if last is None:
        raise ValueError(
            f"{function}: the last dimension of inputs must be known, got shape "
            f"{shape}; give the placeholder a fixed feature size"
        )
    return int(last)


def _check_units(function: str, argument: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(
            f"{function}: {argument} must be a positive int, got {value!r}"
        )
    return int(value)


def _matmul_bias(
    inputs: tf.Tensor,
    kernel: tf.Variable,
    bias: tf.Variable | None,
    units: int,
) -> tf.Tensor:
    """TF1's Dense.call: matmul (tensordot above rank 2), then bias_add."""
    rank = inputs.shape.rank
    if rank is not None and rank > 2:
        outputs = tf.tensordot(inputs, kernel, [[rank - 1], [0]])
        outputs.set_shape(inputs.shape[:-1].concatenate([units]))
    else:
        outputs = tf.matmul(inputs, kernel)
    if bias is not None:
        outputs = tf.nn.bias_add(outputs, bias)
    return outputs


def dense(
    inputs: Any,
    units: int,
    activation: Callable[[tf.Tensor], tf.Tensor] | None = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = _ZEROS,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
) -> tf.Tensor:
    """TF1's ``tf.layers.dense``: ``activation(inputs @ kernel + bias)``.

    Variables ``<name>/kernel`` (``[input_depth, units]``, glorot uniform by
    default) and ``<name>/bias`` (``[units]``); ``name`` defaults to ``dense``,
    made unique (``dense_1``, ...). Inputs of rank above 2 are contracted on
    their last axis with ``tensordot``, as TF1 did.

    Args:
        inputs: A tensor of rank >= 2 with a known last dimension.
        units: Size of the output's last dimension.
        activation: Applied to the output if not None.
        use_bias: Whether to add a bias.
        kernel_initializer: The kernel's initializer; None for the scope's,
            else glorot uniform.
        bias_initializer: The bias' initializer.
        kernel_regularizer: Penalty on the kernel (graph mode).
        bias_regularizer: Penalty on the bias (graph mode).
        activity_regularizer: Penalty on the output, divided by the batch size
            (graph mode).
        kernel_constraint: Projection applied to the kernel after updates.
        bias_constraint: Projection applied to the bias after updates.
        trainable: Whether the variables are trained.
        name: The layer's scope name.
        reuse: Reuse the variables of an earlier layer of the same name.

    Returns:
        ``inputs.shape[:-1] + [units]``.

    Raises:
        ValueError: If the rank is unknown or below 2, or the last dimension
            is unknown.
    """
    units = _check_units("dense", "units", units)
    inputs = tf.convert_to_tensor(inputs)
    dtype = inputs.dtype.base_dtype
    depth = _known_last_dim("dense", inputs, 2)
    with _layer_scope("dense", name, "dense", reuse):
        kernel = _get_variable(
            "dense",
            "kernel",
            [depth, units],
            dtype,
            kernel_initializer,
            regularizer=kernel_regularizer,
            trainable=trainable,
            constraint=kernel_constraint,
            reuse=reuse,
        )
        bias = None
        if use_bias:
            bias = _get_variable(
                "dense",
                "bias",
                [units],
                dtype,
                bias_initializer,
                regularizer=bias_regularizer,
                trainable=trainable,
                constraint=bias_constraint,
                reuse=reuse,
            )
        outputs = _matmul_bias(inputs, kernel, bias, units)
        if activation is not None:
            outputs = activation(outputs)
        _apply_activity_regularizer("dense", activity_regularizer, outputs)
    return outputs


def _constant_bool(value: Any) -> bool | None:
    if isinstance(value, (bool, int)):
        return bool(value)
    static = tf.get_static_value(value)
    return None if static is None else bool(static)


def _smart_cond(
    pred: Any, true_fn: Callable[[], Any], false_fn: Callable[[], Any]
) -> Any:
    static = _constant_bool(pred)
    if static is None:
        return tf.cond(pred, true_fn, false_fn)
    return true_fn() if static else false_fn()


@contextlib.contextmanager
def _op_scope(name: str | None, default_name: str) -> Iterator[None]:
    # Layers without variables still group their ops as TF1 did (dropout_1/...).
    if _in_v1_graph():
        with _v1.variable_scope(name, default_name=default_name):
            yield
    else:
        yield


def dropout(
    inputs: Any,
    rate: float = 0.5,
    noise_shape: Any = None,
    seed: int | None = None,
    training: Any = False,
    name: str | None = None,
) -> tf.Tensor:
    """TF1's ``tf.layers.dropout``: zero a ``rate`` of the units when training.

    Kept units are scaled by ``1 / (1 - rate)``; with ``training`` False the
    inputs pass through unchanged (``tf.identity``). ``training`` may be a
    bool tensor (a placeholder), which makes the choice at run time.

    Args:
        inputs: A float tensor.
        rate: Fraction of units dropped, in ``[0, 1)``.
        noise_shape: Shape of the keep mask; ``None`` entries take the
            inputs' dimension.
        seed: Op-level seed.
        training: Python bool or bool tensor.
        name: Name scope of the ops.

    Returns:
        A tensor shaped like ``inputs``.
    """
    inputs = tf.convert_to_tensor(inputs)
    if not 0 <= rate < 1:
        raise ValueError(f"dropout: rate must be in [0, 1), got {rate!r}")
    with _op_scope(name, "dropout"):

        def dropped() -> tf.Tensor:
            shape = None
            if noise_shape is not None:
                concrete = tf.shape(inputs)
                shape = tf.convert_to_tensor(
                    [concrete[i] if d is None else d for i, d in enumerate(noise_shape)]
                )
            return tf.nn.dropout(inputs, noise_shape=shape, seed=seed, rate=rate)

        return _smart_cond(training, dropped, lambda: tf.identity(inputs))


def flatten(
    inputs: Any, name: str | None = None, data_format: str = "channels_last"
) -> tf.Tensor:
    """TF1's ``tf.layers.flatten``: ``[batch, d1, d2, ...] -> [batch, d1 * d2 * ...]``.

    Args:
        inputs: A tensor of rank >= 1.
        name: Name scope of the ops.
        data_format: ``channels_last``, or ``channels_first`` (channels are
            moved last before flattening, as TF1 did).

    Returns:
        A rank-2 tensor.
    """
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "flatten: data_format must be 'channels_last' or 'channels_first', got "
            f"{data_format!r}"
        )
    inputs = tf.convert_to_tensor(inputs)
    with _op_scope(name, "flatten"):
        rank = inputs.shape.rank
        if data_format == "channels_first" and rank is not None and rank > 1:
            inputs = tf.transpose(inputs, [0, *range(2, rank), 1])
        shape = inputs.shape
        batch = tf.compat.dimension_value(shape[0]) if shape.rank else None
        outputs = tf.reshape(inputs, [batch or tf.shape(inputs)[0], -1])
        if shape.rank is not None:
            rest = shape[1:].num_elements() if shape.rank > 1 else 1
            outputs.set_shape([batch, rest])
        return outputs


def _tuple_of(function: str, argument: str, value: Any, length: int) -> list[int]:
    values = [value] if isinstance(value, numbers.Integral) else list(value)
    if len(values) != length or not all(
        isinstance(v, numbers.Integral) and int(v) > 0 for v in values
    ):
        raise ValueError(
            f"{function}: {argument} must be a positive int or a list of {length}, "
            f"got {value!r}"
        )
    return [int(v) for v in values]


def conv1d(
    inputs: Any,
    filters: int,
    kernel_size: Any,
    strides: Any = 1,
    padding: str = "valid",
    data_format: str = "channels_last",
    dilation_rate: Any = 1,
    activation: Callable[[tf.Tensor], tf.Tensor] | None = None,
    use_bias: bool = True,
    kernel_initializer: Any = None,
    bias_initializer: Any = _ZEROS,
    kernel_regularizer: Any = None,
    bias_regularizer: Any = None,
    activity_regularizer: Any = None,
    kernel_constraint: Any = None,
    bias_constraint: Any = None,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
) -> tf.Tensor:
    """TF1's ``tf.layers.conv1d``: a 1-D convolution (cross-correlation) over time.

    Variables ``<name>/kernel`` (``[kernel_size, in_channels, filters]``) and
    ``<name>/bias`` (``[filters]``); ``name`` defaults to ``conv1d``, made
    unique. ``outputs = activation(conv(inputs, kernel) + bias)``.

    Args:
        inputs: ``[batch, width, channels]``.
        filters: Number of output channels.
        kernel_size: Window length (an int or a list of one int).
        strides: Stride (an int or a list of one int).
        padding: ``"valid"`` or ``"same"`` (case-insensitive).
        data_format: ``"channels_last"`` only (see Raises).
        dilation_rate: Dilation (an int or a list of one int).
        activation: Applied to the output if not None.
        use_bias: Whether to add a bias.
        kernel_initializer: The kernel's initializer; glorot uniform by default.
        bias_initializer: The bias' initializer.
        kernel_regularizer: Penalty on the kernel (graph mode).
        bias_regularizer: Penalty on the bias (graph mode).
        activity_regularizer: Penalty on the output (graph mode).
        kernel_constraint: Projection applied to the kernel after updates.
        bias_constraint: Projection applied to the bias after updates.
        trainable: Whether the variables are trained.
        name: The layer's scope name.
        reuse: Reuse the variables of an earlier layer of the same name.

    Returns:
        ``[batch, new_width, filters]``.

    Raises:
        NotImplementedError: For ``data_format="channels_first"`` (TF's CPU
            kernels have no NCW convolution; transpose the inputs instead).
        ValueError: On bad sizes, padding or input shapes.
    """
    if data_format == "channels_first":
        raise NotImplementedError(
            "conv1d: data_format='channels_first' is not provided (TensorFlow's CPU "
            "kernels have no NCW convolution); transpose the inputs to "
            "[batch, width, channels] with tf.transpose(x, [0, 2, 1]) and use "
            "channels_last"
        )
    if data_format != "channels_last":
        raise ValueError(
            f"conv1d: data_format must be 'channels_last', got {data_format!r}"
        )
    if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
        raise ValueError(f"conv1d: padding must be 'valid' or 'same', got {padding!r}")
    filters = _check_units("conv1d", "filters", filters)
    (width,) = _tuple_of("conv1d", "kernel_size", kernel_size, 1)
    stride = _tuple_of("conv1d", "strides", strides, 1)
    dilation = _tuple_of("conv1d", "dilation_rate", dilation_rate, 1)
    inputs = tf.convert_to_tensor(inputs)
    if inputs.shape.rank is not None and inputs.shape.rank != 3:
        raise ValueError(
            f"conv1d: inputs must have rank 3 [batch, width, channels], got shape "
            f"{inputs.shape}"
        )
    channels = _known_last_dim("conv1d", inputs, 3)
    dtype = inputs.dtype.base_dtype
    with _layer_scope("conv1d", name, "conv1d", reuse):
        kernel = _get_variable(
            "conv1d",
            "kernel",
            [width, channels, filters],
            dtype,
            kernel_initializer,
            regularizer=kernel_regularizer,
            trainable=trainable,
            constraint=kernel_constraint,
            reuse=reuse,
        )
        bias = None
        if use_bias:
            bias = _get_variable(
                "conv1d",
                "bias",
                [filters],
                dtype,
                bias_initializer,
                regularizer=bias_regularizer,
                trainable=trainable,
                constraint=bias_constraint,
                reuse=reuse,
            )
        outputs = tf.nn.convolution(
            inputs,
            kernel,
            strides=stride,
            padding=padding.upper(),
            dilations=dilation,
            data_format="NWC",
        )
        if bias is not None:
            outputs = tf.nn.bias_add(outputs, bias, data_format="NWC")
        if activation is not None:
            outputs = activation(outputs)
        _apply_activity_regularizer("conv1d", activity_regularizer, outputs)
    return outputs


def _assign_moving_average(
    variable: tf.Variable, value: tf.Tensor, momentum: float
) -> Any:
    # variable -= (variable - value) * (1 - momentum), TF1's op order.
    with tf.name_scope("AssignMovingAvg") as scope:
        decay = tf.convert_to_tensor(1.0 - momentum, name="decay")
        if decay.dtype != variable.dtype.base_dtype:
            decay = tf.cast(decay, variable.dtype.base_dtype)
        update_delta = (variable - tf.cast(value, variable.dtype)) * decay
        if _in_v1_graph():
            return _v1.assign_sub(variable, update_delta, name=scope)
        return variable.assign_sub(update_delta, name=scope)


def batch_normalization(
    inputs: Any,
    axis: Any = -1,
    momentum: float = 0.99,
    epsilon: float = 1e-3,
    center: bool = True,
    scale: bool = True,
    beta_initializer: Any = _ZEROS,
    gamma_initializer: Any = _ONES,
    moving_mean_initializer: Any = _ZEROS,
    moving_variance_initializer: Any = _ONES,
    beta_regularizer: Any = None,
    gamma_regularizer: Any = None,
    beta_constraint: Any = None,
    gamma_constraint: Any = None,
    training: Any = False,
    trainable: bool = True,
    name: str | None = None,
    reuse: Any = None,
    renorm: bool = False,
    renorm_clipping: Any = None,
    renorm_momentum: float = 0.99,
    fused: bool | None = None,
    virtual_batch_size: int | None = None,
    adjustment: Any = None,
) -> tf.Tensor:
    """TF1's ``tf.layers.batch_normalization`` (Ioffe and Szegedy, 2015).

    With ``mean``/``var`` the batch moments over every axis but ``axis`` when
    ``training``, else the moving averages::

        y = gamma * (x - mean) / sqrt(var + epsilon) + beta
        moving_mean -= (moving_mean - mean) * (1 - momentum)      (training)
        moving_variance -= (moving_variance - var) * (1 - momentum)

    Variables ``<name>/gamma``, ``beta`` (trainable), ``moving_mean``,
    ``moving_variance`` (not trainable), in that order; ``name`` defaults to
    ``batch_normalization``, made unique. In graph mode the two update ops go
    to ``GraphKeys.UPDATE_OPS`` (run them with the train op, as in TF1);
    eagerly they are applied at once.

    Divergences from TF1: the batch moments are always computed with
    ``tf.nn.moments`` (TF1 used its fused kernel for 4-D inputs when
    ``fused`` was None; outputs agree to rounding); ``renorm``,
    ``virtual_batch_size``, ``adjustment`` and ``fused=True`` are not provided.

    Args:
        inputs: A float tensor whose ``axis`` dimensions are known.
        axis: The feature axis (an int or a list of ints).
        momentum: Momentum of the moving averages.
        epsilon: Added to the variance.
        center: Add ``beta``.
        scale: Multiply by ``gamma``.
        beta_initializer: Initializer of ``beta``.
        gamma_initializer: Initializer of ``gamma``.
        moving_mean_initializer: Initializer of ``moving_mean``.
        moving_variance_initializer: Initializer of ``moving_variance``.
        beta_regularizer: Penalty on ``beta`` (graph mode).
        gamma_regularizer: Penalty on ``gamma`` (graph mode).
        beta_constraint: Projection applied to ``beta`` after updates.
        gamma_constraint: Projection applied to ``gamma`` after updates.
        training: Python bool or bool tensor: batch statistics and updates.
        trainable: Whether ``gamma`` and ``beta`` are trained.
        name: The layer's scope name.
        reuse: Reuse the variables of an earlier layer of the same name.
        renorm: Must be False.
        renorm_clipping: Must be None.
        renorm_momentum: Ignored (renorm is not provided).
        fused: None or False.
        virtual_batch_size: Must be None.
        adjustment: Must be None.

    Returns:
        A tensor shaped like ``inputs``.

    Raises:
        NotImplementedError: For renorm, virtual batches, adjustment or fused=True.
        ValueError: On an unknown rank, a bad axis or an unknown axis dimension.
    """
    del renorm_momentum  # only meaningful with renorm, which is refused below
    for flag, given in (
        ("renorm=True", renorm),
        ("renorm_clipping", renorm_clipping is not None),
        ("virtual_batch_size", virtual_batch_size is not None),
        ("adjustment", adjustment is not None),
        ("fused=True", fused is True),
    ):
        if given:
            raise NotImplementedError(
                f"batch_normalization: {flag} is not provided; drop the argument "
                "(fused=None gives the same normalisation)"
            )
    inputs = tf.convert_to_tensor(inputs)
    shape = inputs.shape
    if shape.rank is None:
        raise ValueError(
            f"batch_normalization: inputs must have a known rank, got {shape}"
        )
    ndims = shape.rank
    raw_axes = [axis] if isinstance(axis, numbers.Integral) else list(axis)
    if not raw_axes or not all(
        isinstance(a, numbers.Integral) and -ndims <= a < ndims for a in raw_axes
    ):
        raise ValueError(
            f"batch_normalization: axis must be ints in [-{ndims}, {ndims}) for inputs "
            f"of rank {ndims}, got {axis!r}"
        )
    axes = sorted({int(a) % ndims for a in raw_axes})
    sizes: dict[int, int] = {}
    for a in axes:
        size = tf.compat.dimension_value(shape[a])
        if size is None:
            raise ValueError(
                f"batch_normalization: the axis dimensions of inputs must be known, "
                f"got shape {shape} and axis={axis!r}"
            )
        sizes[a] = int(size)
    if len(axes) == 1:
        param_shape = [sizes[axes[0]]]
    else:
        param_shape = [sizes.get(i, 1) for i in range(ndims)]
    input_dtype = inputs.dtype.base_dtype
    param_dtype = (
        tf.float32 if input_dtype in (tf.float16, tf.bfloat16) else input_dtype
    )
    reduction_axes = [i for i in range(ndims) if i not in axes]
    needs_broadcast = (
        len(axes) == 1 and sorted(reduction_axes) != list(range(ndims))[:-1]
    )
    broadcast_shape = [1] * ndims
    broadcast_shape[axes[0]] = param_shape[0] if len(axes) == 1 else 1

    def broadcast(value: Any) -> Any:
        if value is not None and needs_broadcast:
            return tf.reshape(value, broadcast_shape)
        return value

    function = "batch_normalization"
    with _layer_scope(function, name, "batch_normalization", reuse):
        gamma = beta = None
        if scale:
            gamma = _get_variable(
                function,
                "gamma",
                param_shape,
                param_dtype,
                gamma_initializer,
                regularizer=gamma_regularizer,
                trainable=trainable,
                constraint=gamma_constraint,
                reuse=reuse,
            )
        if center:
            beta = _get_variable(
                function,
                "beta",
                param_shape,
                param_dtype,
                beta_initializer,
                regularizer=beta_regularizer,
                trainable=trainable,
                constraint=beta_constraint,
                reuse=reuse,
            )
        moving_mean = _get_variable(
            function,
            "moving_mean",
            param_shape,
            param_dtype,
            moving_mean_initializer,
            trainable=False,
            reuse=reuse,
            moving=True,
        )
        moving_variance = _get_variable(
            function,
            "moving_variance",
            param_shape,
            param_dtype,
            moving_variance_initializer,
            trainable=False,
            reuse=reuse,
            moving=True,
        )

        scale_t, offset_t = broadcast(gamma), broadcast(beta)
        if _constant_bool(training) is False:
            mean: Any = moving_mean
            variance: Any = moving_variance
        else:
            keep_dims = len(axes) > 1
            batch_mean, batch_variance = tf.nn.moments(
                tf.cast(inputs, param_dtype), reduction_axes, keepdims=keep_dims
            )
            mean = _smart_cond(
                training, lambda: batch_mean, lambda: tf.convert_to_tensor(moving_mean)
            )
            variance = _smart_cond(
                training,
                lambda: batch_variance,
                lambda: tf.convert_to_tensor(moving_variance),
            )
            new_mean, new_variance = mean, variance

            def update(variable: tf.Variable, value: Any) -> Any:
                return _smart_cond(
                    training,
                    lambda: _assign_moving_average(variable, value, momentum),
                    lambda: variable,
                )

            mean_update = update(moving_mean, new_mean)
            variance_update = update(moving_variance, new_variance)
            _add_to_collection(_v1.GraphKeys.UPDATE_OPS, mean_update)
            _add_to_collection(_v1.GraphKeys.UPDATE_OPS, variance_update)

        mean = tf.cast(mean, input_dtype)
        variance = tf.cast(variance, input_dtype)
        if offset_t is not None:
            offset_t = tf.cast(offset_t, input_dtype)
        if scale_t is not None:
            scale_t = tf.cast(scale_t, input_dtype)
        outputs = tf.nn.batch_normalization(
            inputs, broadcast(mean), broadcast(variance), offset_t, scale_t, epsilon
        )
        outputs.set_shape(shape)
    return outputs


def xavier_initializer(
    uniform: bool = True, seed: int | None = None, dtype: Any = tf.float32
) -> Initializer:
    """TF1's ``tf.contrib.layers.xavier_initializer`` (Glorot and Bengio, 2010).

    With ``n = (fan_in + fan_out) / 2``: uniform on ``[-sqrt(3 / n),
    sqrt(3 / n)]`` (that is ``sqrt(6 / (fan_in + fan_out))``), or a normal
    truncated at two standard deviations with ``stddev = sqrt(1.3 / n)``.
    ``fan_in = shape[-2] * prod(shape[:-2])``, ``fan_out = shape[-1] *
    prod(shape[:-2])``.

    Args:
        uniform: Uniform rather than truncated normal values.
        seed: Op-level seed.
        dtype: A floating point dtype.

    Returns:
        An initializer ``(shape, dtype=dtype, partition_info=None) -> Tensor``.

    Raises:
        TypeError: If ``dtype`` is not floating point.
    """
    dtype = tf.as_dtype(dtype)
    if not dtype.is_floating:
        raise TypeError(
            f"xavier_initializer: dtype must be floating point, got {dtype.name}"
        )

    def initializer(
        shape: Any, dtype: Any = dtype, partition_info: Any = None
    ) -> tf.Tensor:
        del partition_info  # unused: partitioned variables are not supported
        dtype = tf.as_dtype(dtype)
        if not dtype.is_floating:
            raise TypeError(
                f"xavier_initializer: dtype must be floating point, got {dtype.name}"
            )
        dims = [int(d) for d in tf.TensorShape(shape).as_list()]
        if dims:
            fan_in = float(dims[-2]) if len(dims) > 1 else float(dims[-1])
            fan_out = float(dims[-1])
        else:
            fan_in = fan_out = 1.0
        for dim in dims[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = (fan_in + fan_out) / 2.0
        if uniform:
            limit = math.sqrt(3.0 / n)
            return tf.random.uniform(dims, -limit, limit, dtype, seed=seed)
        stddev = math.sqrt(1.3 / n)
        return tf.random.truncated_normal(dims, 0.0, stddev, dtype, seed=seed)

    return initializer


_DEFAULT_WEIGHTS_INITIALIZER = xavier_initializer()


def _collections_for(collections: Any, key: str) -> list[str]:
    if collections is None:
        return []
    if isinstance(collections, dict):
        found = collections.get(key)
        return [] if found is None else list(found)
    return [collections] if isinstance(collections, str) else list(collections)


def fully_connected(
    inputs: Any,
    num_outputs: int,
    activation_fn: Callable[[tf.Tensor], tf.Tensor] | None = tf.nn.relu,
    normalizer_fn: Callable[..., tf.Tensor] | None = None,
    normalizer_params: dict[str, Any] | None = None,
    weights_initializer: Any = _DEFAULT_WEIGHTS_INITIALIZER,
    weights_regularizer: Any = None,
    biases_initializer: Any = _ZEROS,
    biases_regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
) -> tf.Tensor:
    """TF1's ``tf.contrib.layers.fully_connected``.

    ``activation_fn(normalizer_fn(x @ weights) or x @ weights + biases)``:
    variables ``<scope>/weights`` (xavier uniform by default) and
    ``<scope>/biases`` (not made when ``normalizer_fn`` is given or
    ``biases_initializer`` is None); the scope defaults to
    ``fully_connected``, made unique. In graph mode the variables are also in
    ``GraphKeys.MODEL_VARIABLES`` and in ``variables_collections``, and the
    output in ``outputs_collections``. Inputs of rank above 2 are contracted on
    their last axis.

    Args:
        inputs: A tensor of rank >= 2 with a known last dimension.
        num_outputs: Number of output units.
        activation_fn: Applied last; ``tf.nn.relu`` by default, None for linear.
        normalizer_fn: Applied to ``x @ weights`` instead of adding biases.
        normalizer_params: Keyword arguments of ``normalizer_fn``.
        weights_initializer: The weights' initializer.
        weights_regularizer: Penalty on the weights (graph mode).
        biases_initializer: The biases' initializer; None for no biases.
        biases_regularizer: Penalty on the biases (graph mode).
        reuse: Reuse the variables of ``scope``.
        variables_collections: Collection names for the variables: a list, or a
            dict with ``"weights"``/``"biases"`` keys.
        outputs_collections: Collection names for the output.
        trainable: Whether the variables are trained.
        scope: Variable scope (a name or a VariableScope).

    Returns:
        ``inputs.shape[:-1] + [num_outputs]``.

    Raises:
        ValueError: If ``num_outputs`` is not an int, or on bad input shapes.
    """
    if isinstance(num_outputs, bool) or not isinstance(num_outputs, numbers.Integral):
        raise ValueError(
            f"fully_connected: num_outputs must be an int, got {type(num_outputs)}"
        )
    function = "fully_connected"
    if scope is None and tf.inside_function() and not _in_v1_graph():
        raise ValueError(
            f"{function}: inside tf.function give the layer a scope (scope=...), so "
            "that every trace of the function finds the same variables"
        )
    inputs = tf.convert_to_tensor(inputs)
    with _v1.variable_scope(
        scope, default_name="fully_connected", values=[inputs], reuse=reuse
    ):
        dtype = inputs.dtype.base_dtype
        depth = _known_last_dim(function, inputs, 2)
        model_collections = [
            _v1.GraphKeys.GLOBAL_VARIABLES,
            _v1.GraphKeys.MODEL_VARIABLES,
        ]
        weights = _get_variable(
            function,
            "weights",
            [depth, int(num_outputs)],
            dtype,
            weights_initializer,
            regularizer=weights_regularizer,
            trainable=trainable,
            collections=model_collections,
            reuse=reuse,
            seed_default=weights_initializer is _DEFAULT_WEIGHTS_INITIALIZER,
        )
        biases = None
        if not normalizer_fn and biases_initializer:
            biases = _get_variable(
                function,
                "biases",
                [int(num_outputs)],
                dtype,
                biases_initializer,
                regularizer=biases_regularizer,
                trainable=trainable,
                collections=model_collections,
                reuse=reuse,
            )
        if _in_v1_graph():
            for variable, key in ((weights, "weights"), (biases, "biases")):
                for collection in _collections_for(variables_collections, key):
                    if variable is not None and variable not in _v1.get_collection(
                        collection
                    ):
                        _v1.add_to_collection(collection, variable)
        outputs = _matmul_bias(inputs, weights, biases, int(num_outputs))
        if normalizer_fn is not None:
            outputs = normalizer_fn(outputs, **(normalizer_params or {}))
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        if outputs_collections and _in_v1_graph():
            names = (
                [outputs_collections]
                if isinstance(outputs_collections, str)
                else list(outputs_collections)
            )
            _v1.add_to_collections(names, outputs)
    return outputs


def linear(
    inputs: Any,
    num_outputs: int,
    activation_fn: Callable[[tf.Tensor], tf.Tensor] | None = None,
    normalizer_fn: Callable[..., tf.Tensor] | None = None,
    normalizer_params: dict[str, Any] | None = None,
    weights_initializer: Any = _DEFAULT_WEIGHTS_INITIALIZER,
    weights_regularizer: Any = None,
    biases_initializer: Any = _ZEROS,
    biases_regularizer: Any = None,
    reuse: Any = None,
    variables_collections: Any = None,
    outputs_collections: Any = None,
    trainable: bool = True,
    scope: Any = None,
) -> tf.Tensor:
    """TF1's ``tf.contrib.layers.linear``: ``fully_connected`` with no activation.

    Variables are named as ``fully_connected``'s (``fully_connected/weights``).
    See ``fully_connected`` for the arguments.
    """
    return fully_connected(
        inputs,
        num_outputs,
        activation_fn=activation_fn,
        normalizer_fn=normalizer_fn,
        normalizer_params=normalizer_params,
        weights_initializer=weights_initializer,
        weights_regularizer=weights_regularizer,
        biases_initializer=biases_initializer,
        biases_regularizer=biases_regularizer,
        reuse=reuse,
        variables_collections=variables_collections,
        outputs_collections=outputs_collections,
        trainable=trainable,
        scope=scope,
    )


def sequence_loss(
    logits: Any,
    targets: Any,
    weights: Any,
    average_across_timesteps: bool = True,
    average_across_batch: bool = True,
    sum_over_timesteps: bool = False,
    sum_over_batch: bool = False,
    softmax_loss_function: Callable[..., tf.Tensor] | None = None,
    name: str | None = None,
) -> tf.Tensor:
    """TF1's ``tf.contrib.seq2seq.sequence_loss`` (TF 1.15).

    With ``ce[b, t]`` the softmax cross-entropy of ``logits[b, t]`` against
    ``targets[b, t]`` times ``weights[b, t]``: both averages give
    ``sum(ce) / sum(weights)``; both sums give ``sum(ce) / count_nonzero(
    weights)``; one average gives ``sum(ce, axis) / sum(weights, axis)`` over
    time (rank 1, ``[batch]``) or over the batch (``[time]``); one sum
    likewise with ``count_nonzero``; none gives ``ce`` (``[batch, time]``).
    Divisions by zero give 0 (``div_no_nan``).

    Args:
        logits: ``[batch, time, num_classes]`` floats.
        targets: ``[batch, time]`` ints.
        weights: ``[batch, time]`` floats (1 for real steps, 0 for padding).
        average_across_timesteps: Reduce over time, dividing by the weights.
        average_across_batch: Reduce over the batch, dividing by the weights.
        sum_over_timesteps: Reduce over time, dividing by the nonzero weights.
        sum_over_batch: Reduce over the batch, dividing by the nonzero weights.
        softmax_loss_function: ``f(labels=..., logits=...)`` instead of sparse
            softmax cross-entropy.
        name: Name scope; ``sequence_loss`` by default.

    Returns:
        A tensor of rank 0, 1 or 2.

    Raises:
        ValueError: On wrong ranks, or an average and a sum over the same axis.
    """
    logits = tf.convert_to_tensor(logits)
    targets = tf.convert_to_tensor(targets)
    weights = tf.convert_to_tensor(weights)
    for argument, tensor, rank, layout in (
        ("logits", logits, 3, "[batch_size, sequence_length, num_classes]"),
        ("targets", targets, 2, "[batch_size, sequence_length]"),
        ("weights", weights, 2, "[batch_size, sequence_length]"),
    ):
        if tensor.shape.rank != rank:
            raise ValueError(
                f"sequence_loss: {argument} must be a {layout} tensor, got shape "
                f"{tensor.shape}"
            )
    if average_across_timesteps and sum_over_timesteps:
        raise ValueError(
            "sequence_loss: average_across_timesteps and sum_over_timesteps cannot "
            "both be True"
        )
    if average_across_batch and sum_over_batch:
        raise ValueError(
            "sequence_loss: average_across_batch and sum_over_batch cannot both be True"
        )
    with tf.name_scope(name or "sequence_loss"):
        num_classes = tf.shape(logits)[2]
        logits_flat = tf.reshape(logits, [-1, num_classes])
        targets = tf.reshape(targets, [-1])
        if softmax_loss_function is None:
            crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels=targets, logits=logits_flat
            )
        else:
            crossent = softmax_loss_function(labels=targets, logits=logits_flat)
        crossent *= tf.reshape(weights, [-1])
        if average_across_timesteps and average_across_batch:
            crossent = tf.reduce_sum(crossent)
            total_size = tf.reduce_sum(weights)
            crossent = tf.math.divide_no_nan(crossent, total_size)
        elif sum_over_timesteps and sum_over_batch:
            crossent = tf.reduce_sum(crossent)
            total_count = tf.cast(tf.math.count_nonzero(weights), crossent.dtype)
            crossent = tf.math.divide_no_nan(crossent, total_count)
        else:
            crossent = tf.reshape(crossent, tf.shape(logits)[0:2])
            if average_across_timesteps or average_across_batch:
                reduce_axis = [0] if average_across_batch else [1]
                crossent = tf.reduce_sum(crossent, axis=reduce_axis)
                total_size = tf.reduce_sum(weights, axis=reduce_axis)
                crossent = tf.math.divide_no_nan(crossent, total_size)
            elif sum_over_timesteps or sum_over_batch:
                reduce_axis = [0] if sum_over_batch else [1]
                crossent = tf.reduce_sum(crossent, axis=reduce_axis)
                total_count = tf.cast(
                    tf.math.count_nonzero(weights, axis=reduce_axis), crossent.dtype
                )
                crossent = tf.math.divide_no_nan(crossent, total_count)
        return crossent


def sequence_loss_by_example(
    logits: Sequence[Any],
    targets: Sequence[Any],
    weights: Sequence[Any],
    average_across_timesteps: bool = True,
    softmax_loss_function: Callable[..., tf.Tensor] | None = None,
    name: str | None = None,
) -> tf.Tensor:
    """TF1's ``tf.contrib.legacy_seq2seq.sequence_loss_by_example``.

    Per example ``b``: ``sum_t ce_t[b] * w_t[b]``, divided by
    ``sum_t w_t[b] + 1e-12`` when ``average_across_timesteps``.

    Args:
        logits: A list of ``[batch, num_classes]`` tensors, one per step.
        targets: A list of ``[batch]`` int tensors, as long as ``logits``.
        weights: A list of ``[batch]`` float tensors, as long as ``logits``.
        average_across_timesteps: Divide by the total weight of each example.
        softmax_loss_function: ``f(labels=..., logits=...)`` instead of sparse
            softmax cross-entropy.
        name: Name scope; ``sequence_loss_by_example`` by default.

    Returns:
        A ``[batch]`` tensor: each example's log-perplexity.

    Raises:
        ValueError: If the three lists differ in length.
    """
    if len(targets) != len(logits) or len(weights) != len(logits):
        raise ValueError(
            "sequence_loss_by_example: logits, weights and targets must have the "
            f"same length, got {len(logits)}, {len(weights)}, {len(targets)}"
        )
    with tf.name_scope(name or "sequence_loss_by_example"):
        log_perp_list = []
        for logit, target, weight in zip(logits, targets, weights):
            if softmax_loss_function is None:
                # TF1 reshaped: the targets sometimes came as [batch, 1].
                target = tf.reshape(target, [-1])
                crossent = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=target, logits=logit
                )
            else:
                crossent = softmax_loss_function(labels=target, logits=logit)
            log_perp_list.append(crossent * weight)
        log_perps = tf.add_n(log_perp_list)
        if average_across_timesteps:
            total_size = tf.add_n(list(weights))
            total_size += 1e-12  # TF1's guard against all-zero weights
            log_perps /= total_size
    return log_perps


def _graph_of(tensor: Any) -> Any:
    try:
        return tensor.graph
    except AttributeError:  # eager tensors have no graph
        return None


def run_n(
    output_dict: dict[str, Any],
    feed_dict: dict[Any, Any] | None = None,
    restore_checkpoint_path: str | None = None,
    n: int = 1,
) -> list[dict[str, Any]]:
    """TF1's ``tf.contrib.learn.run_n``: run ``output_dict`` ``n`` times.

    A new ``Session`` on the tensors' graph initialises the variables (or
    restores them from ``restore_checkpoint_path`` with a ``Saver`` over the
    global variables), the local variables and the tables, starts any queue
    runners, then runs ``output_dict`` with ``feed_dict`` ``n`` times.

    Args:
        output_dict: Names to graph tensors, all from one graph.
        feed_dict: Values to feed on every run.
        restore_checkpoint_path: A checkpoint to restore instead of
            initialising the variables.
        n: Number of runs.

    Returns:
        A list of ``n`` dicts of values, keyed as ``output_dict``.

    Raises:
        ValueError: If ``output_dict`` is empty or its tensors span graphs.
        RuntimeError: If the tensors are eager (there is no graph to run).
    """
    if not output_dict:
        raise ValueError(f"run_n: output_dict must not be empty, got {output_dict!r}")
    graphs = {_graph_of(t) for t in tf.nest.flatten(output_dict)}
    if None in graphs:
        raise RuntimeError(
            "run_n runs graph tensors in a Session; eagerly the values are already "
            "computed: use {key: value.numpy() for key, value in output_dict.items()}"
        )
    if len(graphs) != 1:
        raise ValueError("run_n: the tensors of output_dict must all be from one graph")
    (graph,) = graphs
    with graph.as_default(), _v1.Session(graph=graph) as session:
        if restore_checkpoint_path:
            to_save = _v1.get_collection(_v1.GraphKeys.GLOBAL_VARIABLES) + (
                _v1.get_collection(_v1.GraphKeys.SAVEABLE_OBJECTS)
            )
            if to_save:
                saver = _v1.train.Saver(to_save, sharded=True, max_to_keep=5)
                saver.restore(session, restore_checkpoint_path)
        else:
            session.run(_v1.global_variables_initializer())
        session.run(_v1.local_variables_initializer())
        session.run(_v1.tables_initializer())
        coordinator = _v1.train.Coordinator()
        threads = []
        if _v1.get_collection(_v1.GraphKeys.QUEUE_RUNNERS):
            threads = _v1.train.start_queue_runners(session, coord=coordinator)
        try:
            return [
                session.run(output_dict, feed_dict) for _ in itertools.repeat(None, n)
            ]
        finally:
            coordinator.request_stop()
            if threads:
                coordinator.join(threads, stop_grace_period_secs=120)
