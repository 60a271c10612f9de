"""``tf1compat run`` on notebooks: progress, failures and every kind of bad input.

Each case runs the real CLI in a subprocess (the TF1 kernel is a real Jupyter
kernel) and checks the exit code, the message and that the input file is
unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.tf, pytest.mark.slow]


def _notebook(path: Path, *sources: str, kernel: str = "python3") -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": kernel,
        "display_name": kernel,
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_markdown_cell("# A test notebook")]
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, "-m", "compat", "run", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
        check=False,
    )


def _outputs(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            texts.append(
                "".join(
                    o.get("text", "") or o.get("data", {}).get("text/plain", "")
                    for o in cell.outputs
                    if o.get("name") != "stderr"
                )
            )
    return texts


def test_runs_a_python2_kernel_notebook_unchanged_and_writes_outputs(
    tmp_path: Path,
) -> None:
    source = _notebook(
        tmp_path / "legacy.ipynb",
        "import tensorflow as tf\nimport numpy as np",
        "cell = tf.contrib.rnn.BasicLSTMCell(3)\n"
        "x = tf.placeholder(tf.float32, [None, None, 2])\n"
        "out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\nout",
        "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
        "print(sess.run(out, {x: np.ones([2, 4, 2])}).shape)",
        kernel="python2",
    )
    before = source.read_bytes()
    done = _run("legacy.ipynb", "--seed", "3", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "notebook asks for kernel 'python2'; using the TF1 kernel" in done.stderr
    assert "[3/3] cell 3" in done.stderr
    assert source.read_bytes() == before
    out = tmp_path / "legacy.tf1.ipynb"
    assert done.stdout.strip() == "legacy.tf1.ipynb"
    assert _outputs(out) == [
        "",
        "<tf.Tensor 'rnn/transpose_1:0' shape=(?, ?, 3) dtype=float32>",
        "(2, 4, 3)\n",
    ]


def test_failing_cell_names_cell_line_and_error(tmp_path: Path) -> None:
    source = _notebook(
        tmp_path / "fails.ipynb",
        "import tensorflow as tf",
        "a = 1\nb = tf.contrib.slim.fully_connected\nc = 3",
        "print('never')",
    )
    before = source.read_bytes()
    done = _run("fails.ipynb", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "fails.ipynb: code cell 2 (cell index 2), line 2: TF1FeatureUnavailableError: "
        "tf.contrib.slim is not provided" in done.stderr
    )
    assert "> b = tf.contrib.slim.fully_connected" in done.stderr
    assert source.read_bytes() == before
    assert "stopped; outputs so far written to fails.tf1.ipynb" in done.stderr
    assert _outputs(tmp_path / "fails.tf1.ipynb")[2] == ""


@pytest.mark.parametrize(
    ("content", "code", "message"),
    [
        ("{not json", 3, "invalid JSON at line 1, column 2"),
        ('{"a": 1}', 3, "expected a JSON object with 'cells'"),
        (
            json.dumps(
                {"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": []}
            ),
            4,
            "nbformat 3 notebook; the runner executes nbformat 4",
        ),
    ],
)
def test_bad_notebook_files(
    tmp_path: Path, content: str, code: int, message: str
) -> None:
    path = tmp_path / "bad.ipynb"
    path.write_text(content)
    done = _run("bad.ipynb", cwd=tmp_path)
    assert done.returncode == code
    assert message in done.stderr
    assert path.read_text() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ipynb"]


def test_missing_notebook_and_refused_overwrites(tmp_path: Path) -> None:
    done = _run("nope.ipynb", cwd=tmp_path)
    assert done.returncode == 2
    assert "nope.ipynb: no such notebook" in done.stderr
    _notebook(tmp_path / "nb.ipynb", "x = 1")
    same = _run("nb.ipynb", "-o", "nb.ipynb", cwd=tmp_path)
    assert same.returncode == 2
    assert "refusing to write over the input nb.ipynb; pass --in-place" in same.stderr
    (tmp_path / "mine.ipynb").write_text("precious")
    taken = _run("nb.ipynb", "-o", "mine.ipynb", cwd=tmp_path)
    assert taken.returncode == 2
    assert "mine.ipynb exists; pass --force" in taken.stderr
    assert (tmp_path / "mine.ipynb").read_text() == "precious"


def test_in_place_keeps_a_backup(tmp_path: Path) -> None:
    source = _notebook(tmp_path / "nb.ipynb", "print(6 * 7)")
    before = source.read_bytes()
    done = _run("nb.ipynb", "--in-place", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "nb.ipynb.bak").read_bytes() == before
    assert _outputs(source) == ["42\n"]


def test_kernel_death_and_timeout_have_their_own_exit_codes(tmp_path: Path) -> None:
    _notebook(tmp_path / "dies.ipynb", "import os\nos._exit(1)")
    died = _run("dies.ipynb", cwd=tmp_path)
    assert died.returncode == 5
    assert "dies.ipynb: code cell 1 (cell index 1): the kernel died" in died.stderr
    _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(60)")
    slow = _run("slow.ipynb", "--timeout", "3", cwd=tmp_path)
    assert slow.returncode == 6
    assert (
        "slow.ipynb: code cell 1 (cell index 1): ran longer than 3.0 s" in slow.stderr
    )


def test_options_after_the_notebook_path_are_understood(tmp_path: Path) -> None:
    _notebook(tmp_path / "nb.ipynb", "print('hi')")
    done = _run("nb.ipynb", "-o", "elsewhere.ipynb", "--seed", "1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _outputs(tmp_path / "elsewhere.ipynb") == ["hi\n"]
    odd = _run("nb.ipynb", "--bogus", cwd=tmp_path)
    assert odd.returncode == 2
    assert "only scripts take arguments after the path" in odd.stderr
