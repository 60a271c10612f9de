"""Shared fixtures: TensorFlow set up for exact comparisons, fresh graphs, seeds."""

from __future__ import annotations

import os
from collections.abc import Iterator
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
