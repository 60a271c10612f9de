"""``migrated/`` is the converter's current output for ``legacy_notebooks/``
(notebooks and scripts).

That every migrated notebook, run on a plain Python kernel, prints its legacy
original's values is checked by the pytest plugin against the legacy goldens
(``make test``) and by ``tf1compat migrate`` (``make main``).
"""

from __future__ import annotations

from compat.convert.files import convert_file
from tests.conftest import REPO_ROOT

LEGACY = REPO_ROOT / "legacy_notebooks"
MIGRATED = REPO_ROOT / "migrated"
NOTEBOOKS = sorted([*LEGACY.glob("*.ipynb"), *LEGACY.glob("*.py")])


def test_migrated_mirrors_legacy_notebooks() -> None:
    migrated = [*MIGRATED.glob("*.ipynb"), *MIGRATED.glob("*.py")]
    assert sorted(p.name for p in migrated) == sorted(p.name for p in NOTEBOOKS)
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
