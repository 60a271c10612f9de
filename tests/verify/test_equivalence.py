"""Legacy-versus-migrated verification on real kernels, including broken inputs.

Perturbed copies of a migrated notebook must be reported as different in the
right cell; kernels that die, cells that time out or raise, huge outputs and
notebooks without code each give a clear verdict.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from compat.cli import EXIT_OK, main
from compat.verify.equivalence import verify_notebooks
from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.tf, pytest.mark.slow]

LEGACY = REPO_ROOT / "legacy_notebooks" / "lstm_basics.ipynb"
MIGRATED = REPO_ROOT / "migrated" / "lstm_basics.ipynb"


def _copy_pair(tmp_path: Path) -> tuple[Path, Path, object]:
    legacy = tmp_path / "legacy" / LEGACY.name
    migrated = tmp_path / "migrated" / MIGRATED.name
    legacy.parent.mkdir()
    migrated.parent.mkdir()
    shutil.copy(LEGACY, legacy)
    shutil.copy(MIGRATED, migrated)
    return legacy, migrated, nbformat.read(migrated, as_version=4)


def _first_bad(verdict: object) -> tuple[int, str]:
    bad = next(c for c in verdict.cells if not c.ok)  # type: ignore[attr-defined]
    return bad.number, bad.status


def test_unperturbed_pair_is_equal(tmp_path: Path) -> None:
    legacy, migrated, _ = _copy_pair(tmp_path)
    verdict, _, _ = verify_notebooks(legacy, migrated, seed=1234)
    assert verdict.ok
    assert verdict.counts() == {
        "equal": 15,
        "within": 0,
        "different": 0,
        "not comparable": 0,
    }


def test_changed_forget_bias_is_found_in_the_first_cell_it_affects(
    tmp_path: Path,
) -> None:
    # The single-cell example starts from a zero state, where forget_bias has
    # no effect; the stacked example runs three steps, where it does.
    legacy, migrated, notebook = _copy_pair(tmp_path)
    cell = next(c for c in notebook.cells if "LSTMCell(LSTM_CELL_SIZE_1)" in c.source)
    cell.source = cell.source.replace(
        "LSTMCell(LSTM_CELL_SIZE_1)", "LSTMCell(LSTM_CELL_SIZE_1, forget_bias=0.5)"
    )
    nbformat.write(notebook, migrated)
    verdict, _, _ = verify_notebooks(legacy, migrated, seed=1234)
    assert not verdict.ok
    assert _first_bad(verdict) == (15, "different")
    last = verdict.cells[14]
    assert last.max_abs > 1e-4
    assert any("values differ beyond" in d for d in last.differences)
    assert [c.status for c in verdict.cells[:14]] == ["equal"] * 14


def test_an_edited_output_cell_is_reported_in_that_cell(tmp_path: Path) -> None:
    legacy, migrated, notebook = _copy_pair(tmp_path)
    cell = next(
        c for c in notebook.cells if c.source.startswith("print (sess.run(output))")
    )
    cell.source = "print (sess.run(output) * 2)"
    nbformat.write(notebook, migrated)
    verdict, _, _ = verify_notebooks(legacy, migrated, seed=1234)
    assert [c.number for c in verdict.cells if not c.ok] == [5]


def test_a_dropped_cell_is_not_comparable(tmp_path: Path) -> None:
    legacy, migrated, notebook = _copy_pair(tmp_path)
    notebook.cells = [
        c for c in notebook.cells if not c.source.startswith("input_dim = 6")
    ]
    nbformat.write(notebook, migrated)
    verdict, _, _ = verify_notebooks(legacy, migrated, seed=1234)
    dropped = verdict.cells[6]
    assert (dropped.number, dropped.status) == (7, "not comparable")
    assert dropped.reason == "no migrated cell corresponds to this legacy cell"
    assert not verdict.ok


def _plain(path: Path, *sources: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def test_crash_timeout_errors_caps_and_empty_notebooks(tmp_path: Path) -> None:
    legacy = _plain(
        tmp_path / "a" / "nb.ipynb", "print(1)", "print(2)", "1/0", "print('x' * 50)"
    )
    dies = _plain(
        tmp_path / "b" / "nb.ipynb", "print(1)", "import os; os._exit(1)", "1/0", "0"
    )
    verdict, _, _ = verify_notebooks(legacy, dies, seed=1, timeout=60)
    assert [c.status for c in verdict.cells] == ["equal"] + ["not comparable"] * 3
    assert "the migrated run stopped" in (verdict.cells[1].reason or "")
    assert any("kernel died" in p for p in verdict.problems)

    same_error = _plain(
        tmp_path / "c" / "nb.ipynb", "print(1)", "print(2)", "1/0", "print('x' * 50)"
    )
    verdict, _, _ = verify_notebooks(legacy, same_error, seed=1, max_output_bytes=40)
    assert [c.status for c in verdict.cells] == [
        "equal",
        "equal",
        "not comparable",
        "not comparable",
    ]
    # Both sides raising alike proves nothing: the legacy error is reported.
    assert "legacy cell raised ZeroDivisionError" in (verdict.cells[2].reason or "")
    assert "over the 40-byte cap" in (verdict.cells[3].reason or "")
    assert not verdict.ok

    slow = _plain(
        tmp_path / "d" / "nb.ipynb",
        "print(1)",
        "import time; time.sleep(30)",
        "1/0",
        "0",
    )
    verdict, _, _ = verify_notebooks(legacy, slow, seed=1, timeout=3)
    assert verdict.cells[1].status == "not comparable"
    assert any("ran longer than 3" in p for p in verdict.problems)

    empty = _plain(tmp_path / "e" / "nb.ipynb")
    verdict, _, _ = verify_notebooks(empty, empty, seed=1)
    assert verdict.cells == [] and not verdict.ok
    assert any("no code cells to compare" in p for p in verdict.problems)


def test_verify_cli_writes_html_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    legacy, migrated, _ = _copy_pair(tmp_path)
    html, report = tmp_path / "r.html", tmp_path / "r.json"
    code = main(
        [
            "verify",
            str(legacy),
            str(migrated),
            "--report",
            str(html),
            "--json",
            str(report),
        ]
    )
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert "OK: 15 equal, 0 within tolerance, 0 different, 0 not comparable" in out
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "&lt;tf.Tensor &#x27;rnn/transpose_1:0&#x27;" in page
    import json

    data = json.loads(report.read_text())
    assert data["notebooks"][0]["counts"]["equal"] == 15
    assert data["notebooks"][0]["ok"] is True
    missing = main(["verify", str(legacy), str(tmp_path / "nope.ipynb")])
    assert missing == 2
    assert "nope.ipynb: no such notebook" in capsys.readouterr().err
