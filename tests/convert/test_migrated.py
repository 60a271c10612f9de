"""``migrated/`` is the converter's current output for ``legacy_notebooks/``, and
every migrated notebook, run on a plain Python kernel (no TF1 environment),
prints the same shapes and values as its legacy original did on the TF1 kernel.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from compat.convert.files import convert_file
from compat.verify.execute import execute_notebook, read_notebook
from compat.verify.golden import check_golden, golden_path, read_golden
from tests.conftest import REPO_ROOT

LEGACY = REPO_ROOT / "legacy_notebooks"
MIGRATED = REPO_ROOT / "migrated"
NOTEBOOKS = sorted(LEGACY.glob("*.ipynb"))


def test_migrated_mirrors_legacy_notebooks() -> None:
    assert sorted(p.name for p in MIGRATED.glob("*.ipynb")) == [
        p.name for p in NOTEBOOKS
    ]
    stale = []
    for legacy in NOTEBOOKS:
        result = convert_file(legacy)
        assert result.status == "converted", legacy.name
        assert result.warnings == [], (legacy.name, result.warnings)
        if (MIGRATED / legacy.name).read_text(encoding="utf-8") != result.output:
            stale.append(legacy.name)
    assert stale == [], (
        f"migrated/ is stale for {stale}: run `tf1compat convert legacy_notebooks "
        "-o migrated` and commit the result"
    )


@pytest.mark.tf
@pytest.mark.slow
@pytest.mark.parametrize("legacy", NOTEBOOKS, ids=lambda p: p.stem)
def test_migrated_notebook_prints_what_the_legacy_one_did(
    legacy: Path, tmp_path: Path
) -> None:
    record = read_golden(golden_path(legacy))
    copy = tmp_path / legacy.name
    shutil.copy(MIGRATED / legacy.name, copy)
    notebook = read_notebook(copy)
    execute_notebook(notebook, cwd=tmp_path, kernel="python", seed=record["seed"])
    checks = check_golden(notebook, record)
    assert len(checks) == len(record["cells"])
    problems = [
        (c.number, c.comparison.skeleton_diff if c.comparison else c.note)
        for c in checks
        if not c.ok
    ]
    assert problems == []
