"""The shim against TF1's own numbers, recorded in tests/rnn/fixtures.

The fixtures come from TF1's cell code (kept in tf-keras) run by
tests/oracle/make_fixtures.py; these tests need no tf-keras. Every case is
replayed in v1 graph mode, eagerly and inside tf.function: variable names and
(in graph mode) static shapes must be TF1's exactly, values within 1e-6.
Bitwise equality on the same machine is checked by test_oracle_live.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.rnn.replay import (
    MODES,
    Case,
    expected_static_shapes,
    expected_values,
    load_cases,
    replay,
)

pytestmark = [
    pytest.mark.tf,
    # Some cases use state_is_tuple=False on purpose; its warning is tested elsewhere.
    pytest.mark.filterwarnings("ignore::compat.errors.TF1DeprecationWarning"),
]

FIXTURES = Path(__file__).parent / "fixtures"
CASES = load_cases(FIXTURES)

# float32 values may differ from TF1's in the last bits where eager mode runs
# unfused kernels; 1e-6 is the bar the shim promises.
RTOL = {"float32": 1e-6, "float64": 1e-12}
ATOL = {"float32": 1e-6, "float64": 1e-12}


def test_fixtures_cover_the_matrix() -> None:
    metas = [c.meta for c in CASES]
    classes = {c["cell"]["class"] for c in metas}
    assert classes == {"BasicLSTMCell", "LSTMCell", "MultiRNNCell"}
    assert {m["kind"] for m in metas} == {"dynamic_rnn", "cell_call"}
    assert {m["time_major"] for m in metas} == {True, False}
    assert {m["use_sequence_length"] for m in metas} == {True, False}
    assert {m["use_initial_state"] for m in metas} == {True, False}
    assert {m["batch"] for m in metas} >= {1, 3}
    assert {m["dtype"] for m in metas} == {"float32", "float64"}
    assert any(0 in c.arrays.get("sequence_length", [1]) for c in CASES)
    assert any(
        m["cell"].get("kwargs", {}).get("state_is_tuple") is False for m in metas
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_shim_matches_tf1(case: Case, mode: str) -> None:
    result = replay(case, mode)

    assert result.variable_names == case.meta["variable_names"]
    if mode.startswith("graph"):
        assert result.static_shapes == expected_static_shapes(case)

    expected = expected_values(case)
    assert sorted(result.values) == sorted(expected)
    dtype = case.meta["dtype"]
    for key, want in expected.items():
        got = result.values[key]
        assert got.shape == want.shape, key
        assert got.dtype == want.dtype, key
        np.testing.assert_allclose(
            got, want, rtol=RTOL[dtype], atol=ATOL[dtype], err_msg=key
        )


def test_seed_notebook_numbers_equal_tf1s() -> None:
    # The two examples of the notebook the project started from, with weights
    # from compat.set_seed(1234): the shim's numbers are TF1's, value for value.
    by_name = {c.name: c for c in CASES}
    single = replay(by_name["seed_nb_single_cell"], "graph")
    stacked = replay(by_name["seed_nb_stacked"], "graph")
    np.testing.assert_array_equal(single.values["output"].shape, (1, 4))
    assert [single.values[f"state/{i}"].shape for i in range(2)] == [(1, 4), (1, 4)]
    assert stacked.values["output"].shape == (2, 3, 5)
    for result, case in (
        (single, by_name["seed_nb_single_cell"]),
        (stacked, by_name["seed_nb_stacked"]),
    ):
        for key, want in expected_values(case).items():
            np.testing.assert_allclose(
                result.values[key], want, rtol=1e-6, atol=1e-7, err_msg=key
            )
