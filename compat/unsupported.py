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
}


def raise_unsupported(key: str) -> NoReturn:
    """Raise ``NotImplementedError`` for the feature ``key`` of ``UNSUPPORTED``."""
    entry = UNSUPPORTED[key]
    raise NotImplementedError(
        f"{entry.feature} is not supported by tf1-compat: {entry.reason}. "
        f"Instead: {entry.workaround}."
    )
