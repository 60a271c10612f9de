"""tf1-compat: TF1 RNN code on TensorFlow 2.16 and later.

``compat.rnn`` holds TF1's RNN cells and ``dynamic_rnn`` reimplemented on TF2
ops; ``compat.set_seed`` makes their initial weights depend on a seed and each
variable's TF1 name only. Importing ``compat`` does not import TensorFlow;
``compat.rnn`` does.
"""

from __future__ import annotations

import importlib
from typing import Any

from compat.errors import CompatError, CompatWarning, TF1DeprecationWarning
from compat.seed import SEED_ENV_VAR, get_seed, set_seed

__all__ = [
    "SEED_ENV_VAR",
    "CompatError",
    "CompatWarning",
    "TF1DeprecationWarning",
    "__version__",
    "get_seed",
    "rnn",
    "set_seed",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Keep `import compat` cheap: TensorFlow loads only when the shim is used.
    if name == "rnn":
        return importlib.import_module("compat.rnn")
    raise AttributeError(f"module 'compat' has no attribute {name!r}")


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext compat``: switch the running IPython session to TF1.

    Cells run after this see TF1's ``tensorflow`` (see ``compat.legacy``).
    Load it before the notebook's first TensorFlow cell: graph mode cannot be
    switched on once eager tensors exist.
    """
    import os

    from compat import legacy

    legacy.install(seed=get_seed(), user_roots=[os.getcwd()])
    del ipython
