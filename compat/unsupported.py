"""The one list of TF1 features that the toolkit does not provide.

Each entry names the feature, says why it is missing and what to do instead.
The code raises ``NotImplementedError`` with this text when a program reaches
one of them, and the README's "Known limits" section mirrors this list.
"""

from __future__ import annotations

from typing import NamedTuple, NoReturn

__all__ = ["UNSUPPORTED", "Unsupported", "raise_unsupported"]


class Unsupported(NamedTuple):
    """A TF1 feature the toolkit does not provide, and the way around it."""

    feature: str
    reason: str
    workaround: str


UNSUPPORTED: dict[str, Unsupported] = {
    "sharded_lstm_weights": Unsupported(
        feature="LSTMCell(num_unit_shards=..., num_proj_shards=...)",
        reason=(
            "TF1 split the kernel into partitioned variables (kernel/part_0, ...); "
            "partitioned variables exist only in TF's v1 graph mode"
        ),
        workaround=(
            "drop num_unit_shards/num_proj_shards: the math is the same; to restore "
            "a sharded TF1 checkpoint, concatenate kernel/part_* along axis 0 first"
        ),
    ),
    "tf_layers_classes": Unsupported(
        feature=(
            "tf.layers classes (Dense, Conv1D, ...) and the tf.layers/"
            "tf.contrib.layers functions other than dense, dropout, conv1d, "
            "batch_normalization, flatten, fully_connected, linear, "
            "xavier_initializer"
        ),
        reason="tf.compat.v1.layers needs Keras 2, which TF 2.16+ no longer has",
        workaround=(
            "use the functions compat.layers provides, or write the layer with "
            "tf.compat.v1.get_variable and tf.matmul"
        ),
    ),
    "keras3_in_graph_mode": Unsupported(
        feature="Keras 3 models in TF1 graph mode (model.fit, model.predict)",
        reason=(
            "the TF1 environment and converted code run in graph mode, which Keras 3 "
            "does not support; compat.rnn cells are not Keras layers either, so a "
            "Keras model does not train their weights"
        ),
        workaround="keep Keras code in a separate, eager program or port it to Keras 3",
    ),
    "dimension_value_after_conversion": Unsupported(
        feature="x.get_shape()[i].value in converted code",
        reason=(
            "converted code runs with TF2's TensorShape, whose dimensions are "
            "ints; the converter does not report this use yet"
        ),
        workaround=(
            "write tf.compat.dimension_value(x.get_shape()[i]), or add "
            "tf.compat.v1.disable_v2_tensorshape() after the graph-mode line"
        ),
    ),
    "cudnn_rnn_path": Unsupported(
        feature='a cuDNN path for dynamic_rnn (set_rnn_path("cudnn"))',
        reason=(
            "not built: no GPU was available to build and verify CudnnRNN "
            "weights, sequence lengths and gradients against the reference path"
        ),
        workaround=(
            "use the default path (its matmuls run on the GPU too), or "
            "keras.layers.LSTM in new TF2 code"
        ),
    ),
    "fused_path_higher_order": Unsupported(
        feature=(
            "second-order or forward-mode gradients, or XLA (jit_compile=True), "
            "through dynamic_rnn's 'fused' path (the default for small LSTMs)"
        ),
        reason="TF's BlockLSTM kernel has no second-order gradient and no XLA kernel",
        workaround=(
            "build that part of the graph with compat.rnn.rnn_path('hoisted') "
            "or TF1COMPAT_RNN_PATH=hoisted"
        ),
    ),
    "migrate_helper_modules": Unsupported(
        feature="tf1compat migrate on a notebook that imports a helper module",
        reason="migrate converts only the notebooks and scripts it is given",
        workaround="give the helper module's directory to migrate or convert too",
    ),
    "convert_output_edits": Unsupported(
        feature="convert -o DIR over hand-edited files",
        reason="convert replaces the files in DIR without checking for edits",
        workaround="use tf1compat migrate (which refuses) or a fresh directory",
    ),
}


def raise_unsupported(key: str) -> NoReturn:
    """Raise ``NotImplementedError`` for the feature ``key`` of ``UNSUPPORTED``."""
    entry = UNSUPPORTED[key]
    raise NotImplementedError(
        f"{entry.feature} is not supported by tf1-compat: {entry.reason}. "
        f"Instead: {entry.workaround}."
    )
