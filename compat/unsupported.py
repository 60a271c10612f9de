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
    "more_rnn_cells": Unsupported(
        feature=(
            "GRUCell, BasicRNNCell, LSTMBlockCell, GRUBlockCell, LayerNormBasicLSTMCell"
        ),
        reason="compat.rnn provides the LSTM cells, MultiRNNCell and the wrappers",
        workaround="use LSTMCell",
    ),
    "more_rnn_runners": Unsupported(
        feature=(
            "static_rnn, bidirectional_dynamic_rnn, static_bidirectional_rnn, raw_rnn"
        ),
        reason="compat.rnn provides dynamic_rnn so far",
        workaround=(
            "call tf.compat.v1.nn.static_rnn or "
            "tf.compat.v1.nn.bidirectional_dynamic_rnn with compat.rnn cells "
            "(TensorFlow's own functions accept them), or dynamic_rnn"
        ),
    ),
    "tf_layers": Unsupported(
        feature="tf.layers.* and tf.contrib.layers.* (dense, fully_connected, ...)",
        reason="tf.compat.v1.layers needs Keras 2, which TF 2.16+ no longer has",
        workaround=(
            "write the layer with tf.compat.v1.get_variable and tf.matmul "
            "(W = get_variable('W', [n_in, n_out]); y = tf.matmul(x, W) + b)"
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
}


def raise_unsupported(key: str) -> NoReturn:
    """Raise ``NotImplementedError`` for the feature ``key`` of ``UNSUPPORTED``."""
    entry = UNSUPPORTED[key]
    raise NotImplementedError(
        f"{entry.feature} is not supported by tf1-compat: {entry.reason}. "
        f"Instead: {entry.workaround}."
    )
