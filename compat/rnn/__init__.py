"""TF1's RNN cells and ``dynamic_rnn``, reimplemented on TF2 ops.

Names, signatures, defaults, variable names and math are TF1's, so code
written against ``tf.contrib.rnn`` / ``tf.nn.rnn_cell`` works with these in
their place, in v1 graph mode, eagerly and inside ``tf.function``.
"""

from __future__ import annotations

from compat.rnn.cells import (
    BasicLSTMCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    RNNCell,
)
from compat.rnn.dynamic import dynamic_rnn

__all__ = [
    "BasicLSTMCell",
    "LSTMCell",
    "LSTMStateTuple",
    "MultiRNNCell",
    "RNNCell",
    "dynamic_rnn",
]
