"""``tf1compat convert``: writing rules, --check/--diff, reports and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compat.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main

LEGACY_PY = "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"
CONVERTED_PY = (
    "import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n"
    "x = tf.compat.v1.placeholder(tf.float32)\n"
)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "sub").mkdir(parents=True)
    (root / "train.py").write_text(LEGACY_PY)
    (root / "sub" / "clean.py").write_text("print('no tensorflow here')\n")
    (root / ".ipynb_checkpoints").mkdir()
    (root / ".ipynb_checkpoints" / "x.py").write_text(LEGACY_PY)
    return root


def test_output_directory_mirrors_the_inputs(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(project)
    out = tmp_path / "out"
    assert main(["convert", str(project), "-o", str(out)]) == EXIT_OK
    assert _tree(project) == before
    assert (out / "train.py").read_text() == CONVERTED_PY
    assert (out / "sub" / "clean.py").read_text() == "print('no tensorflow here')\n"
    assert not (out / ".ipynb_checkpoints").exists()
    err = capsys.readouterr().err
    assert "train.py: line 2: 'x = tf.placeholder(tf.float32)' -> " in err
    assert "convert: 2 files, 1 converted, 1 unchanged, 0 failed, 0 warnings" in err


def test_check_and_diff_write_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tree(project)
    assert main(["convert", str(project), "--check"]) == EXIT_FAILED
    out = capsys.readouterr().out
    assert "+x = tf.compat.v1.placeholder(tf.float32)" in out
    assert main(["convert", str(project), "--diff"]) == EXIT_OK
    assert _tree(project) == before
    clean = project / "sub" / "clean.py"
    assert main(["convert", str(clean), "--check"]) == EXIT_OK


def test_in_place_keeps_a_backup_and_is_idempotent(project: Path) -> None:
    target = project / "train.py"
    assert main(["convert", str(target), "--in-place"]) == EXIT_OK
    assert target.read_text() == CONVERTED_PY
    assert (project / "train.py.bak").read_text() == LEGACY_PY
    assert main(["convert", str(target), "--check"]) == EXIT_OK


def test_refusals_and_bad_inputs(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["convert", str(project)]) == EXIT_USAGE
    assert "say where the converted files go" in capsys.readouterr().err
    assert main(["convert", str(project), "-o", str(project)]) == EXIT_USAGE
    assert "would write over the input" in capsys.readouterr().err
    assert main(["convert", str(tmp_path / "missing.py"), "--check"]) == EXIT_USAGE
    assert "no such file or directory" in capsys.readouterr().err
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    out = tmp_path / "out"
    assert (
        main(["convert", str(bad), str(project / "train.py"), "-o", str(out)])
        == EXIT_USAGE
    )
    err = capsys.readouterr().err
    assert "bad.ipynb: error: not a notebook: invalid JSON at line 1" in err
    assert "the file was not changed" in err
    assert not (out / "bad.ipynb").exists()
    assert (out / "train.py").read_text() == CONVERTED_PY
    assert bad.read_text() == "{not json"


def test_unresolved_tf1_symbol_never_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "uses_slim.py"
    script.write_text(
        "import tensorflow as tf\nnet = tf.contrib.slim.fully_connected(1, 2)\n"
    )
    assert main(["convert", str(script), "-o", str(tmp_path / "out")]) == EXIT_FAILED
    assert (
        "uses_slim.py, line 2: warning: tf.contrib.slim does not exist"
        in capsys.readouterr().err
    )


def test_json_report_and_parallel_jobs(project: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    out = tmp_path / "out"
    code = main(
        ["convert", str(project), "-o", str(out), "-j", "2", "--report", str(report)]
    )
    assert code == EXIT_OK
    data = json.loads(report.read_text())
    assert data["summary"] == {
        "files": 2,
        "converted": 1,
        "unchanged": 1,
        "failed": 0,
        "warnings": 0,
    }
    train = next(f for f in data["files"] if f["path"].endswith("train.py"))
    assert train["changes"][0]["old"] == "x = tf.placeholder(tf.float32)"
    assert train["written_to"] == str(out / "train.py")


def test_empty_and_non_utf8_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.py"
    empty.write_text("")
    assert main(["convert", str(empty), "--check"]) == EXIT_OK
    latin = tmp_path / "latin.py"
    latin.write_bytes("# caf\xe9\n".encode("latin-1"))
    assert main(["convert", str(latin), "--check"]) == EXIT_USAGE
    assert "not UTF-8 text" in capsys.readouterr().err


def test_non_ascii_source_passes_through(tmp_path: Path) -> None:
    script = tmp_path / "korean.py"
    script.write_text(
        "import tensorflow as tf\n"
        "# 입력 데이터\n"
        "x = tf.placeholder(tf.float32, name='입력')\n"
        "print('中文')\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["convert", str(script), "-o", str(out)]) == EXIT_OK
    text = (out / "korean.py").read_text(encoding="utf-8")
    assert (
        "# 입력 데이터\n" in text and "name='입력'" in text and "print('中文')" in text
    )


def test_safety_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    (project / "venv" / "lib").mkdir(parents=True)
    (project / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (project / "venv" / "lib" / "installed.py").write_text(LEGACY_PY)
    script = project / "train.py"
    script.write_text(LEGACY_PY)
    assert main(["convert", str(project), "--check"]) == EXIT_FAILED
    assert "installed.py" not in capsys.readouterr().out
    # A second --in-place run keeps the first backup (the original).
    assert main(["convert", str(script), "--in-place"]) == EXIT_OK
    script.write_text(LEGACY_PY.replace("x =", "y ="))
    assert main(["convert", str(script), "--in-place"]) == EXIT_OK
    assert (project / "train.py.bak").read_text() == LEGACY_PY
    assert (project / "train.py.bak.1").read_text() == LEGACY_PY.replace("x =", "y =")


def test_python2_syntax_left_behind_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "old.py"
    script.write_text(
        "import tensorflow as tf\ntry:\n    pass\nexcept Exception, e:\n    print e\n"
    )
    assert main(["convert", str(script), "-o", str(tmp_path / "out")]) == EXIT_FAILED
    assert "the converted code does not compile" in capsys.readouterr().err
