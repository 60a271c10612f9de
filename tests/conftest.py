"""Shared fixtures: TensorFlow set up for exact comparisons, fresh graphs, seeds."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

# Quiet TensorFlow's C++ start-up banner; it is noise in test output.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

REPO_ROOT = Path(__file__).resolve().parent.parent

# pytester runs the notebook plugin in an inner pytest session.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def tf() -> Any:
    """TensorFlow, with TF32 off so float32 matmuls are exact float32 on GPUs."""
    import tensorflow

    tensorflow.config.experimental.enable_tensor_float_32_execution(False)
    return tensorflow


@pytest.fixture
def graph_session(tf: Any) -> Iterator[Any]:
    """A fresh v1 graph made default, with a session on it."""
    graph = tf.Graph()
    with graph.as_default():
        with tf.compat.v1.Session(graph=graph) as session:
            yield session


@pytest.fixture(autouse=True)
def _no_seed_leaks() -> Iterator[None]:
    """Each test starts and ends without a shim seed set."""
    import compat

    compat.set_seed(None)
    yield
    compat.set_seed(None)


@pytest.fixture(autouse=True)
def _no_path_leaks() -> Iterator[None]:
    """Each test starts and ends without a process-wide dynamic_rnn path."""
    from compat.rnn import set_rnn_path

    set_rnn_path(None)
    yield
    set_rnn_path(None)


@pytest.fixture
def reference_path() -> Iterator[None]:
    """``dynamic_rnn`` runs TF1's op order, for bitwise comparisons with TF1."""
    from compat.rnn import rnn_path

    with rnn_path("reference"):
        yield


def run_oracle(
    args: Sequence[str], *, stdin: str | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` with the oracle interpreter (TensorFlow + tf-keras).

    TF1's own cells live in tf-keras, which must not be installed beside the
    shim, so the oracle has its own environment: ``TF1COMPAT_ORACLE_PYTHON``
    names its interpreter, else ``.venv-oracle/bin/python`` is used. Without
    one the calling test is skipped, or fails when CI sets
    ``TF1COMPAT_REQUIRE_ORACLE=1``. A failing oracle fails the test.
    """
    named = os.environ.get("TF1COMPAT_ORACLE_PYTHON")
    local = REPO_ROOT / ".venv-oracle" / "bin" / "python"
    python = named or (str(local) if local.exists() else None)
    if python is None:
        message = (
            "no oracle environment: set TF1COMPAT_ORACLE_PYTHON to a Python with "
            "tensorflow and tf-keras (see README, 'Testing')"
        )
        if os.environ.get("TF1COMPAT_REQUIRE_ORACLE") == "1":
            pytest.fail(message)
        pytest.skip(message)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [python, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"oracle failed:\n{done.stdout}\n{done.stderr}"
    return done
