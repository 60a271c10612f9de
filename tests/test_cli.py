"""The command-line front end: exit codes and what it prints where."""

from __future__ import annotations

import pytest

from compat.cli import EXIT_OK, EXIT_USAGE, main
from compat.unsupported import UNSUPPORTED


def test_limits_lists_every_unsupported_feature(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["limits"]) == EXIT_OK
    out = capsys.readouterr().out
    for entry in UNSUPPORTED.values():
        assert entry.feature in out
        assert entry.workaround in out


@pytest.mark.parametrize("argv", [[], ["bogus"], ["selfcheck", "--seed", "x"]])
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == EXIT_USAGE
    assert "usage: tf1compat" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import compat

    assert main(["--version"]) == EXIT_OK
    assert capsys.readouterr().out.strip() == f"tf1-compat {compat.__version__}"


def test_out_of_range_seed_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["selfcheck", "--seed", "-3"]) == EXIT_USAGE
    assert "must be an int from 0 to 2147483647, got -3" in capsys.readouterr().err


def test_bad_seed_in_the_environment_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import compat.seed

    monkeypatch.setenv("TF1COMPAT_SEED", "abc")
    monkeypatch.setattr(compat.seed, "_seed", compat.seed._UNREAD)
    assert main(["selfcheck"]) == EXIT_USAGE
    assert "TF1COMPAT_SEED must be an int from 0 to 2147483647, got 'abc'" in (
        capsys.readouterr().err
    )


@pytest.mark.tf
def test_selfcheck_prints_tf1_shapes_and_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["selfcheck", "--seed", "1234"]) == EXIT_OK
    captured = capsys.readouterr()
    assert "LSTM_sample1/basic_lstm_cell/kernel:0" in captured.out
    assert "rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0" in captured.out
    assert "selfcheck: ok (seed 1234)" in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "a.ipynb", "b.ipynb", "--rtol", "-1"],
        ["verify", "a.ipynb", "b.ipynb", "--atol", "nan"],
        ["run", "--timeout", "0", "nb.ipynb"],
        ["convert", "x.py", "--check", "-j", "0"],
    ],
)
def test_numeric_options_are_checked(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == EXIT_USAGE
    assert "must be" in capsys.readouterr().err


def test_bad_rnn_path_in_the_environment_stops_before_running_anything(
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from pathlib import Path

    script = Path(str(tmp_path)) / "touch.py"
    marker = Path(str(tmp_path)) / "ran"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.setenv("TF1COMPAT_RNN_PATH", "bogus")
    assert main(["run", str(script)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "TF1COMPAT_RNN_PATH must be one of 'auto'" in err
    assert "'bogus'" in err
    assert not marker.exists()
