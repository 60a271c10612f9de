"""``python -m compat SCRIPT.py [args...]``: run a legacy script in the TF1 environment.

Any other first argument is handed to the ``tf1compat`` command line.
"""

from __future__ import annotations

import sys

from compat.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0].endswith(".py"):
        args = ["run", *args]
    sys.exit(main(args))
