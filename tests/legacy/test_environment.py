"""The TF1 environment: what user code and libraries see after install().

install() changes process-wide state (graph mode), so each check runs in a
fresh Python process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.tf

DATA = Path(__file__).parent / "data"


def _python(
    *args: str, cwd: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("env")
    user_dir, library_dir = root / "project", root / "site-packages-like"
    user_dir.mkdir()
    library_dir.mkdir()
    (user_dir / "user_helper.py").write_text("import tensorflow as tf\n")
    (library_dir / "third_party_lib.py").write_text("import tensorflow as tf\n")
    done = _python(str(DATA / "env_probe.py"), str(user_dir), str(library_dir))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_user_code_gets_tf1(facts: dict[str, object]) -> None:
    for key in (
        "facade_is_not_real",
        "sys_modules_is_real",
        "contrib_rnn_basic",
        "from_contrib_import_rnn",
        "import_contrib_rnn_as",
        "from_contrib_rnn_import",
        "nn_rnn_cell",
        "nn_dynamic_rnn",
        "compat_v1_rnn_cell",
        "tf1_names",
        "nn_keeps_other_functions",
        "user_module_sees_tf1",
        "version",
    ):
        assert facts[key] is True, key


def test_graph_mode_and_tf1_shapes(facts: dict[str, object]) -> None:
    assert facts["executing_eagerly"] is False
    assert facts["v1_shapes"] == "(?, 3)"


def test_libraries_keep_the_real_tensorflow(facts: dict[str, object]) -> None:
    assert facts["library_sees_real"] is True
    assert facts["after_uninstall_real"] is True


def test_missing_contrib_members_say_what_to_use(facts: dict[str, object]) -> None:
    assert facts["slim_error"] == (
        "TF1FeatureUnavailableError: tf.contrib.slim is not provided by the tf1-compat "
        "TF1 environment; use the tf-slim package (pip install tf-slim) instead"
    )
    assert facts["hasattr_distributions"] is False
    assert str(facts["missing_cell_error"]).startswith(
        "TF1FeatureUnavailableError: tf.contrib.rnn.NASCell is not provided"
    )
    assert str(facts["import_slim_error"]).startswith(
        "ModuleNotFoundError: tf.contrib.slim is not provided"
    )


def test_python_dash_m_compat_runs_a_script(tmp_path: Path) -> None:
    script = tmp_path / "legacy_script.py"
    script.write_text(
        "import sys\n"
        "import tensorflow as tf\n"
        "cell = tf.contrib.rnn.BasicLSTMCell(3)\n"
        "x = tf.placeholder(tf.float32, [None, None, 2])\n"
        "out, state = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n"
        "with tf.Session() as s:\n"
        "    s.run(tf.global_variables_initializer())\n"
        "    print(s.run(out, {x: [[[1, 2]] * 4]}).shape)\n"
        "print(__name__, sys.argv)\n"
        "sys.exit(int(sys.argv[2]))\n"
    )
    done = _python("-m", "compat", str(script), "--flag", "3", cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[-2] == "(1, 4, 3)"
    assert lines[-1] == f"__main__ ['{script}', '--flag', '3']"


def test_script_errors_and_missing_scripts(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import tensorflow as tf\nraise KeyError('boom')\n")
    done = _python("-m", "compat", "run", str(broken))
    assert done.returncode == 1
    assert "KeyError: 'boom'" in done.stderr
    assert f"{broken} raised" in done.stderr
    missing = _python("-m", "compat", "run", str(tmp_path / "nope.py"))
    assert missing.returncode == 2
    assert "nope.py: no such script" in missing.stderr


def test_ipython_extension_switches_a_session(tmp_path: Path) -> None:
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "shell.run_cell('%load_ext compat', store_history=False)\n"
        "r = shell.run_cell('import tensorflow as tf\\n"
        "c = tf.contrib.rnn.LSTMCell(2)\\n"
        "print(type(c).__module__, tf.executing_eagerly())')\n"
        "assert r.success\n"
    )
    done = _python("-c", code, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "compat.rnn.cells False"


def test_kernel_spec_install_and_uninstall(tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    done = _python("-m", "compat", "kernel", "install", "--prefix", str(prefix))
    assert done.returncode == 0, done.stderr
    spec_file = prefix / "share" / "jupyter" / "kernels" / "tf1compat" / "kernel.json"
    spec = json.loads(spec_file.read_text())
    assert spec["display_name"] == "Python 3 (TF1 compat)"
    assert spec["argv"][1:] == ["-m", "compat.kernel", "-f", "{connection_file}"]
    env = dict(os.environ, JUPYTER_PATH=str(prefix / "share" / "jupyter"))
    removed = subprocess.run(
        [sys.executable, "-m", "compat", "kernel", "uninstall"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert removed.returncode == 0, removed.stderr
    assert not spec_file.exists()
    again = subprocess.run(
        [sys.executable, "-m", "compat", "kernel", "uninstall"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert again.returncode == 1
    assert "no TF1 kernel spec is installed" in again.stderr


def test_python2_scripts_run_translated_in_memory(tmp_path: Path) -> None:
    script = tmp_path / "old_tutorial.py"
    source = (
        "import sys\n"
        "import tensorflow as tf\n"
        "counts = {'a': 1}\n"
        "for k, v in counts.iteritems():\n"
        "    print k, v\n"
        "for i in xrange(2):\n"
        "    print 'step', i,\n"
        "print\n"
        "print >>sys.stderr, 'argv', sys.argv[1:]\n"
    )
    script.write_text(source)
    done = _python("-m", "compat", "run", str(script), "x")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "a 1\nstep 0 step 1 \n"
    assert "argv ['x']" in done.stderr
    assert (
        "translated Python 2 in memory" in done.stderr
        and "print statements at lines [5, 7, 8, 9]" in done.stderr
        and "iteritems-style names at lines [4, 6]" in done.stderr
    )
    assert script.read_text() == source


def test_untranslatable_python2_is_reported_not_guessed(tmp_path: Path) -> None:
    script = tmp_path / "except_comma.py"
    script.write_text("try:\n    pass\nexcept ValueError, e:\n    pass\n")
    done = _python("-m", "compat", "run", str(script))
    assert done.returncode == 2
    assert "except_comma.py, line 3: not valid Python 3" in done.stderr, done.stderr
    assert "tf1compat convert" in done.stderr
