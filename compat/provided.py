"""What tf1-compat provides in place of TF1 modules, in one table.

The TF1 environment serves these names to legacy code (``tf.contrib.rnn.X``
is ``compat.rnn.X``), and the converter rewrites them to the same targets, so
the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SHIMS", "Shim"]

# TF1 module path (under ``tensorflow.``) -> our module, the names it provides
# there, and names renamed on the way.
_RNN_CLASSES = frozenset(
    {
        "BasicLSTMCell",
        "LSTMCell",
        "LSTMStateTuple",
        "MultiRNNCell",
        "RNNCell",
        "BasicRNNCell",
        "GRUCell",
        "DropoutWrapper",
        "ResidualWrapper",
        "DeviceWrapper",
    }
)
_RUNNERS = frozenset(
    {
        "dynamic_rnn",
        "static_rnn",
        "static_bidirectional_rnn",
        "bidirectional_dynamic_rnn",
        "raw_rnn",
    }
)


@dataclass(frozen=True)
class Shim:
    """A TF1 module's replacement: our module and the names it provides."""

    module: str
    names: frozenset[str]
    renames: tuple[tuple[str, str], ...] = ()
    whole_module: bool = False
    """The TF1 module itself may be replaced by ``module`` (all it had is here)."""


SHIMS: dict[tuple[str, ...], Shim] = {
    ("contrib", "rnn"): Shim(
        "compat.rnn",
        _RNN_CLASSES
        | {
            "OutputProjectionWrapper",
            "InputProjectionWrapper",
            "EmbeddingWrapper",
            "LSTMBlockCell",
            "LSTMBlockFusedCell",
            "GRUBlockCell",
            "LayerNormBasicLSTMCell",
            "static_rnn",
            "static_bidirectional_rnn",
            "stack_bidirectional_dynamic_rnn",
            "stack_bidirectional_rnn",
        },
        whole_module=True,
    ),
    ("nn", "rnn_cell"): Shim("compat.rnn", _RNN_CLASSES, whole_module=True),
    ("nn",): Shim("compat.rnn", _RUNNERS),
    ("layers",): Shim(
        "compat.layers",
        frozenset({"dense", "dropout", "conv1d", "batch_normalization", "flatten"}),
        whole_module=True,
    ),
    ("contrib", "layers"): Shim(
        "compat.layers",
        frozenset(
            {
                "fully_connected",
                "linear",
                "xavier_initializer",
                "xavier_initializer_conv2d",
            }
        ),
        renames=(("xavier_initializer_conv2d", "xavier_initializer"),),
        whole_module=True,
    ),
    ("contrib", "seq2seq"): Shim(
        "compat.layers", frozenset({"sequence_loss"}), whole_module=True
    ),
    ("contrib", "legacy_seq2seq"): Shim(
        "compat.layers", frozenset({"sequence_loss_by_example"}), whole_module=True
    ),
    ("contrib", "learn"): Shim(
        "compat.layers", frozenset({"run_n"}), whole_module=True
    ),
}
