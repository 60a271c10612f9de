"""The pytest plugin (through pytester) and the golden record/check commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest

from compat.cli import EXIT_FAILED, EXIT_OK, main

pytestmark = [pytest.mark.tf, pytest.mark.slow]


def _notebook(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# sample")]
    notebook.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(notebook, path)
    return path


def test_golden_record_then_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = _notebook(
        tmp_path / "ok.ipynb",
        "import numpy as np",
        "print(np.arange(4) / 3)",
        "x = 1",
    )
    assert main(["golden", "record", str(notebook), "--seed", "5"]) == EXIT_OK
    record = json.loads((tmp_path / "ok.golden.json").read_text())
    assert record["seed"] == 5
    assert record["rnn_path"] == "auto"  # dynamic_rnn's path when recorded
    assert record["cells"][1]["output"]["items"][0]["shape"] == [4]
    assert main(["golden", "check", str(notebook)]) == EXIT_OK

    # Perturb the golden: check must fail and show the cell.
    record["cells"][1]["output"]["items"][0]["data"][1] = 0.5
    (tmp_path / "ok.golden.json").write_text(json.dumps(record))
    capsys.readouterr()
    assert main(["golden", "check", str(notebook)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "code cell 2 (cell index 2) differs" in err
    assert "print(np.arange(4) / 3)" in err
    assert "1 of 4 values differ" in err
    assert "dynamic_rnn" not in err

    # Recorded on another dynamic_rnn path: the failure says so.
    record["rnn_path"] = "reference"
    (tmp_path / "ok.golden.json").write_text(json.dumps(record))
    assert main(["golden", "check", str(notebook)]) == EXIT_FAILED
    err = capsys.readouterr().err
    assert "recorded on dynamic_rnn's 'reference' path" in err
    assert "TF1COMPAT_RNN_PATH=reference" in err


def test_non_deterministic_notebooks_are_flagged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = _notebook(
        tmp_path / "random.ipynb", "import os\nprint(os.urandom(8).hex())"
    )
    assert main(["golden", "record", str(notebook)]) == EXIT_FAILED
    assert "NON-DETERMINISTIC: code cells [1]" in capsys.readouterr().err
    assert not (tmp_path / "random.golden.json").exists()


def test_plugin_items_per_cell_and_readable_failures(
    pytester: pytest.Pytester, tmp_path: Path
) -> None:
    good = _notebook(
        pytester.path / "good.ipynb", "print([1.0, 2.0])", "y = 3\nprint(y * 2)"
    )
    assert main(["golden", "record", str(good)]) == EXIT_OK
    bad = pytester.path / "bad.ipynb"
    shutil.copy(good, bad)
    shutil.copy(pytester.path / "good.golden.json", pytester.path / "bad.golden.json")
    notebook = nbformat.read(bad, as_version=4)
    notebook.cells[2].source = "y = 4\nprint(y * 2)"
    nbformat.write(notebook, bad)
    _notebook(pytester.path / "orphan.ipynb", "print(1)")

    result = pytester.runpytest_subprocess(
        "--compat-golden", str(pytester.path), "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=3, failed=2)
    output = result.stdout.str()
    assert "bad.ipynb: code cell 2 differs from its golden output" in output
    assert "y = 4" in output and "expected:" in output and "actual:" in output
    assert "orphan.ipynb: no golden file found" in output


def test_plugin_is_off_without_its_flag(pytester: pytest.Pytester) -> None:
    _notebook(pytester.path / "nb.ipynb", "print(1)")
    result = pytester.runpytest_subprocess(str(pytester.path), "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
