"""Seeded, mode-independent initial values for the shim's variables.

TF1 drew a variable's initial value from the graph-level seed and the id of the
op that created it, so the same program built twice (once in graph mode, once
eagerly) got different weights. Comparing a legacy notebook with its migrated
twin needs more: with a seed set here, the default initial value of every
variable the shim creates depends on that seed and the variable's full TF1 name
only (for example ``rnn/multi_rnn_cell/cell_0/lstm_cell/kernel``). Stateless
random ops give the same numbers in graph mode, eagerly and inside
``tf.function``.

The seed can also come from the environment variable ``TF1COMPAT_SEED``, read
once at import, so a notebook can be seeded without editing it.
"""

from __future__ import annotations

import math
import numbers
import os
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tensorflow as tf

__all__ = ["SEED_ENV_VAR", "get_seed", "seeded_glorot_uniform", "set_seed"]

SEED_ENV_VAR = "TF1COMPAT_SEED"

_MAX_SEED = 2**31 - 1


def _parse_seed(value: object, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{source} must be an int from 0 to {_MAX_SEED}, got {value!r}")
    seed = int(value)
    if not 0 <= seed <= _MAX_SEED:
        raise ValueError(f"{source} must be an int from 0 to {_MAX_SEED}, got {seed}")
    return seed


def seed_from_environment() -> int | None:
    """The seed in ``TF1COMPAT_SEED``, or None when it is unset or empty.

    Raises:
        ValueError: If the variable holds something other than an int in range.
    """
    raw = os.environ.get(SEED_ENV_VAR, "").strip()
    if not raw:
        return None
    source = f"environment variable {SEED_ENV_VAR}"
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(
            f"{source} must be an int from 0 to {_MAX_SEED}, got {raw!r}"
        ) from None
    return _parse_seed(value, source)


# Read at first use rather than at import, so a bad value is reported by the
# code that needs the seed instead of breaking `import compat`.
_UNREAD = object()
_seed: object = _UNREAD


def set_seed(seed: int | None) -> None:
    """Seed the default initial values of the shim's variables.

    Args:
        seed: An int from 0 to 2**31 - 1, or None to go back to TF1's own
            (graph-seed based) random initialisation.

    Raises:
        TypeError: If ``seed`` is not an integer (Python or NumPy) or None.
        ValueError: If ``seed`` is out of range.
    """
    global _seed
    _seed = None if seed is None else _parse_seed(seed, "seed")


def get_seed() -> int | None:
    """Return the seed set by ``set_seed`` or ``TF1COMPAT_SEED``, or None.

    Raises:
        ValueError: If ``TF1COMPAT_SEED`` is set to something other than an int.
    """
    global _seed
    if _seed is _UNREAD:
        _seed = seed_from_environment()
    return _seed  # type: ignore[return-value]


def apply_seed(seed: int) -> None:
    """Seed everything a TF1 program draws from: the shim, Python, NumPy, TF.

    TF's seed goes to the current default graph in graph mode (TF1's
    ``set_random_seed``) and to the global generator in eager mode.
    """
    import random

    import numpy as np
    import tensorflow as tf

    set_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    if tf.executing_eagerly():
        tf.random.set_seed(seed)
    else:
        tf.compat.v1.set_random_seed(seed)


def _name_key(name: str) -> int:
    # CRC-32 is stable across processes and Python versions, unlike hash().
    bare = name[:-2] if name.endswith(":0") else name
    return zlib.crc32(bare.encode("utf-8")) & _MAX_SEED


def _fans(shape: tuple[int, ...]) -> tuple[int, int]:
    # The same fan computation as TF's variance-scaling initializers.
    if not shape:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


def seeded_glorot_uniform(
    name: str, shape: tuple[int, ...], dtype: tf.DType, seed: int | None = None
) -> tf.Tensor:
    """Glorot-uniform values determined by ``seed`` and ``name`` alone.

    This is the distribution TF1's ``get_variable`` used by default
    (uniform on ``[-limit, limit]`` with ``limit = sqrt(6 / (fan_in + fan_out))``);
    only the source of randomness differs.

    Args:
        name: The variable's full name, with or without the ``:0`` suffix.
        shape: The variable's static shape.
        dtype: A floating point dtype.
        seed: The seed; defaults to the one set by ``set_seed``.

    Returns:
        A tensor of ``shape`` and ``dtype``.

    Raises:
        ValueError: If no seed is given and none is set.
    """
    import tensorflow as tf

    seed = get_seed() if seed is None else seed
    if seed is None:
        raise ValueError(
            "seeded_glorot_uniform needs a seed: pass seed= or call compat.set_seed(n)"
        )
    fan_in, fan_out = _fans(tuple(shape))
    limit = math.sqrt(6.0 / max(1.0, fan_in + fan_out))
    return tf.random.stateless_uniform(
        list(shape),
        seed=tf.constant([seed, _name_key(name)], dtype=tf.int64),
        minval=-limit,
        maxval=limit,
        dtype=tf.as_dtype(dtype).base_dtype,
    )
