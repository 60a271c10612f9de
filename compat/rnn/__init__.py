"""TF1's RNN cells and ``dynamic_rnn``, reimplemented on TF2 ops.

Names, signatures, defaults, variable names and math are TF1's, so code
written against ``tf.contrib.rnn`` / ``tf.nn.rnn_cell`` works with these in
their place, in v1 graph mode, eagerly and inside ``tf.function``.

With ``TF1COMPAT_SEED`` set, importing this module seeds the shim's weights,
Python, NumPy and TensorFlow (see ``compat.seed.apply_seed``).
"""

from __future__ import annotations

from compat.paths import PATHS, get_rnn_path, rnn_path, set_rnn_path
from compat.rnn.cells import (
    BasicLSTMCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    RNNCell,
)
from compat.rnn.dynamic import dynamic_rnn
from compat.rnn.more_cells import (
    BasicRNNCell,
    GRUBlockCell,
    GRUCell,
    LayerNormBasicLSTMCell,
    LSTMBlockCell,
    LSTMBlockFusedCell,
)
from compat.rnn.runners import (
    bidirectional_dynamic_rnn,
    raw_rnn,
    stack_bidirectional_dynamic_rnn,
    stack_bidirectional_rnn,
    static_bidirectional_rnn,
    static_rnn,
)
from compat.rnn.wrappers import (
    DeviceWrapper,
    DropoutWrapper,
    EmbeddingWrapper,
    InputProjectionWrapper,
    OutputProjectionWrapper,
    ResidualWrapper,
)
from compat.seed import apply_seed, seed_from_environment

# Converted code needs no edit to be seeded for a comparison with its legacy
# original: TF1COMPAT_SEED seeds everything once, when the shim is imported
# (right after the converted code switched to graph mode).
_ENVIRONMENT_SEED = seed_from_environment()
if _ENVIRONMENT_SEED is not None:
    apply_seed(_ENVIRONMENT_SEED)

__all__ = [
    "PATHS",
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "EmbeddingWrapper",
    "GRUBlockCell",
    "GRUCell",
    "InputProjectionWrapper",
    "LSTMBlockCell",
    "LSTMBlockFusedCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerNormBasicLSTMCell",
    "MultiRNNCell",
    "OutputProjectionWrapper",
    "RNNCell",
    "ResidualWrapper",
    "bidirectional_dynamic_rnn",
    "dynamic_rnn",
    "get_rnn_path",
    "raw_rnn",
    "rnn_path",
    "set_rnn_path",
    "stack_bidirectional_dynamic_rnn",
    "stack_bidirectional_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
]
