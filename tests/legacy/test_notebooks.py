"""The bundled legacy notebooks and their golden files.

Every notebook is checked cell by cell against its golden file by the pytest
plugin (``pytest --compat-golden legacy_notebooks migrated``, part of
``make test``). Here: the bundle is complete, the goldens hold real values,
and the seed notebook's numbers equal TF1's own cells (the oracle fixtures),
which anchors the goldens to TF1 and not only to the shim.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from compat.verify.compare import cell_output_text, parse_output
from compat.verify.execute import execute_notebook, read_notebook
from compat.verify.golden import check_golden, golden_path, read_golden
from tests.conftest import REPO_ROOT
from tests.rnn.replay import load_cases

pytestmark = [pytest.mark.tf, pytest.mark.slow]

LEGACY = REPO_ROOT / "legacy_notebooks"
NOTEBOOKS = sorted(LEGACY.glob("*.ipynb"))


def _execute_copy(notebook: Path, tmp_path: Path, seed: int | None) -> object:
    # A copy, so files the notebook writes (checkpoints) land in tmp_path.
    copy = tmp_path / notebook.name
    shutil.copy(notebook, copy)
    nb = read_notebook(copy)
    execute_notebook(nb, cwd=tmp_path, kernel="tf1", seed=seed, timeout=300)
    return nb


def test_bundle_has_the_seed_notebook_and_five_more() -> None:
    names = {p.name for p in NOTEBOOKS}
    assert "lstm_basics.ipynb" in names
    assert len(names) >= 6
    for notebook in NOTEBOOKS:
        record = read_golden(golden_path(notebook))
        values = sum(
            1
            for c in record["cells"]
            for i in c["output"]["items"]
            if i["kind"] in ("array", "number")
        )
        assert values >= 3, f"{notebook.name}: a golden without values checks nothing"


def test_seed_notebook_prints_tf1s_numbers(tmp_path: Path) -> None:
    executed = _execute_copy(LEGACY / "lstm_basics.ipynb", tmp_path, 1234)
    code = [c for c in executed.cells if c.cell_type == "code"]
    oracle = {c.name: c for c in load_cases(REPO_ROOT / "tests" / "rnn" / "fixtures")}

    # Cell 4 prints LSTMStateTuple(c=array(...), h=array(...)).
    state = parse_output(cell_output_text(code[3])).items
    single = oracle["seed_nb_single_cell"]
    assert [i.shape for i in state] == [(1, 4), (1, 4)]
    np.testing.assert_allclose(state[0].value, single.arrays["state/0"], atol=1e-7)
    np.testing.assert_allclose(state[1].value, single.arrays["state/1"], atol=1e-7)

    # Cell 14 shows the symbolic output; cell 15 its value, shape (2, 3, 5).
    symbolic = parse_output(cell_output_text(code[13])).items[0]
    assert (symbolic.name, symbolic.shape, symbolic.dtype) == (
        "rnn/transpose_1:0",
        (None, None, 5),
        "float32",
    )
    stacked = parse_output(cell_output_text(code[14])).items[0]
    assert stacked.shape == (2, 3, 5)
    np.testing.assert_allclose(
        stacked.value, oracle["seed_nb_stacked"].arrays["output"], atol=1e-7
    )


def test_golden_check_reports_a_perturbed_value(tmp_path: Path) -> None:
    notebook = LEGACY / "lstm_basics.ipynb"
    record = read_golden(golden_path(notebook))
    executed = _execute_copy(notebook, tmp_path, record["seed"])
    cell = [c for c in executed.cells if c.cell_type == "code"][4]
    cell.outputs[0]["text"] = cell.outputs[0]["text"].replace("0.", "0.9", 1)
    checks = check_golden(executed, record)
    bad = [c for c in checks if not c.ok]
    assert [c.number for c in bad] == [5]
    shutil.rmtree(tmp_path, ignore_errors=True)
