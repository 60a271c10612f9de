"""The shim against TF1's cell code running live, on this machine.

TF1's cells survive in tf-keras 2.x (``TF_USE_LEGACY_KERAS=1``). That package
must not be installed beside the shim, so the oracle runs in its own Python
environment: ``TF1COMPAT_ORACLE_PYTHON`` names its interpreter (CI sets it;
``.venv-oracle/bin/python`` is used when present). The oracle writes fresh
fixtures; in v1 graph mode, where the shim runs TF1's ops in TF1's order, the
numbers must be bitwise equal to TF1's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import REPO_ROOT, run_oracle
from tests.rnn.replay import (
    Case,
    expected_static_shapes,
    expected_values,
    load_cases,
    replay,
)

pytestmark = [
    pytest.mark.tf,
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore::compat.errors.TF1DeprecationWarning"),
]

GENERATOR = REPO_ROOT / "tests" / "oracle" / "make_fixtures.py"


@pytest.fixture(scope="module")
def live_cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    out = tmp_path_factory.mktemp("oracle")
    run_oracle([str(GENERATOR), "--out", str(out)])
    return load_cases(out)


@pytest.mark.usefixtures("reference_path")
def test_live_oracle_is_bitwise_equal_in_graph_mode(live_cases: list[Case]) -> None:
    assert len(live_cases) >= 40
    mismatches = []
    for case in live_cases:
        result = replay(case, "graph")
        assert result.variable_names == case.meta["variable_names"], case.name
        assert result.static_shapes == expected_static_shapes(case), case.name
        for key, want in expected_values(case).items():
            got = result.values[key]
            if got.dtype != want.dtype or not np.array_equal(got, want):
                mismatches.append(
                    f"{case.name}:{key} max abs {np.abs(got - want).max():.3g}"
                )
    assert mismatches == []


def test_live_oracle_eager_within_tolerance(live_cases: list[Case]) -> None:
    for case in live_cases:
        result = replay(case, "eager")
        for key, want in expected_values(case).items():
            np.testing.assert_allclose(
                result.values[key],
                want,
                rtol=1e-6,
                atol=1e-6,
                err_msg=f"{case.name}:{key}",
            )


def test_committed_fixtures_agree_with_the_live_oracle(live_cases: list[Case]) -> None:
    committed = {c.name: c for c in load_cases(Path(__file__).parent / "fixtures")}
    assert sorted(committed) == sorted(c.name for c in live_cases)
    for case in live_cases:
        stored = committed[case.name]
        assert stored.meta == case.meta, case.name
        for key, want in case.arrays.items():
            np.testing.assert_allclose(
                stored.arrays[key],
                want,
                rtol=1e-6,
                atol=1e-6,
                err_msg=f"{case.name}:{key}",
            )


def test_oracle_refuses_to_run_without_tf_keras(tmp_path: Path) -> None:
    # Run in this (tf-keras free) environment, the generator must say why it stops.
    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "tf_keras" in done.stderr or "tf-keras" in done.stderr
    assert not any(tmp_path.iterdir())
