"""A Jupyter kernel with the TF1 environment active, and its kernel spec.

``python -m compat.kernel -f CONNECTION_FILE`` starts an IPython kernel in
which notebook cells see TF1 (see ``compat.legacy``). The seed comes from
``TF1COMPAT_SEED``; the kernel's working directory (the notebook's) counts as
user code, so a notebook's own helper modules see TF1 too.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

__all__ = [
    "DISPLAY_NAME",
    "KERNEL_NAME",
    "install_kernel_spec",
    "main",
    "uninstall_kernel_spec",
    "write_kernel_spec",
]

KERNEL_NAME = "tf1compat"
DISPLAY_NAME = "Python 3 (TF1 compat)"


def write_kernel_spec(
    directory: Path, *, python: str | None = None, env: dict[str, str] | None = None
) -> Path:
    """Write ``kernel.json`` for the TF1 kernel into ``directory``.

    Args:
        directory: Where to write; created if missing.
        python: The interpreter that runs the kernel; this one by default.
        env: Extra environment variables for the kernel process.

    Returns:
        The path of the written ``kernel.json``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            python or sys.executable,
            "-m",
            "compat.kernel",
            "-f",
            "{connection_file}",
        ],
        "display_name": DISPLAY_NAME,
        "language": "python",
        "metadata": {"debugger": False},
        "env": dict(env or {}),
    }
    path = directory / "kernel.json"
    path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return path


def install_kernel_spec(*, user: bool = False, prefix: str | None = None) -> str:
    """Install the TF1 kernel spec for Jupyter, VS Code and friends.

    Args:
        user: Install for the current user (``~/.local/share/jupyter``).
        prefix: Install under this prefix (``sys.prefix`` for ``--sys-prefix``).

    Returns:
        The directory the spec was installed into.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / KERNEL_NAME
        write_kernel_spec(source)
        return str(
            KernelSpecManager().install_kernel_spec(
                str(source), kernel_name=KERNEL_NAME, user=user, prefix=prefix
            )
        )


def uninstall_kernel_spec() -> str:
    """Remove the installed TF1 kernel spec; return the directory removed.

    Raises:
        KeyError: If no TF1 kernel spec is installed.
    """
    from jupyter_client.kernelspec import KernelSpecManager

    return str(KernelSpecManager().remove_kernel_spec(KERNEL_NAME))


def main() -> None:
    """Start the kernel: install the TF1 environment, then run ipykernel."""
    from compat import legacy
    from compat.seed import get_seed

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    legacy.install(seed=get_seed(), user_roots=[os.getcwd()])

    from ipykernel.kernelapp import launch_new_instance

    launch_new_instance()


if __name__ == "__main__":
    main()
