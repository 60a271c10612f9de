"""Command-line front end: ``tf1compat <command>``.

Only this module prints: results to stdout, progress and errors to stderr.
``main(argv)`` returns the exit code, so tests can call it directly:

    0    success
    1    a check failed, or a notebook cell or script raised
    2    usage error, or a missing file
    3    not a notebook (bad JSON or structure)
    4    nbformat 3 or older notebook
    5    the kernel died
    6    a cell ran past --timeout
    123  internal error (a bug in tf1-compat: please report it)
    130  interrupted (Ctrl-C); the outputs so far are written
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import compat
from compat.paths import get_rnn_path
from compat.unsupported import UNSUPPORTED

__all__ = ["main"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BAD_NOTEBOOK = 3
EXIT_OLD_FORMAT = 4
EXIT_KERNEL_DIED = 5
EXIT_TIMEOUT = 6
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 123

# The seed notebook's stacked example: batch 2, time 3, depth 6.
_SEED_INPUT = [
    [[1, 2, 3, 4, 3, 2], [1, 2, 1, 1, 1, 2], [1, 2, 2, 2, 2, 2]],
    [[1, 2, 3, 4, 3, 2], [3, 2, 2, 1, 1, 2], [0, 0, 0, 0, 3, 2]],
]


def _status(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run_selfcheck(args: argparse.Namespace) -> int:
    """Run the seed notebook's two examples on the shim in graph and eager mode."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    _status(f"tf1-compat {compat.__version__}: loading TensorFlow ...")
    import numpy as np
    import tensorflow as tf

    from compat import rnn

    if args.seed is None:
        args.seed = compat.get_seed()
    if args.seed is None:
        args.seed = 1234
    compat.set_seed(args.seed)
    v1 = tf.compat.v1

    def single_cell() -> tuple[Any, Any]:
        cell = rnn.BasicLSTMCell(4, state_is_tuple=True)
        state = (tf.zeros([1, 4]),) * 2
        with v1.variable_scope("LSTM_sample1"):
            return cell(tf.constant([[3, 2, 2, 2, 2, 2]], tf.float32), state)

    def stacked(data: Any) -> tuple[Any, Any]:
        cell = rnn.MultiRNNCell([rnn.LSTMCell(4), rnn.LSTMCell(5)])
        return rnn.dynamic_rnn(cell, data, dtype=tf.float32)

    with tf.Graph().as_default(), v1.Session() as session:
        _, state = single_cell()
        data = v1.placeholder(tf.float32, [None, None, 6])
        stacked_output, _ = stacked(data)
        session.run(v1.global_variables_initializer())
        graph_single = session.run(state)
        graph_stacked = session.run(stacked_output, {data: _SEED_INPUT})
        names = [v.name for v in v1.global_variables()]
    v1.get_default_graph().clear_collection(("__varscope",))
    _, eager_state = single_cell()
    eager_stacked, _ = stacked(tf.constant(_SEED_INPUT, tf.float32))

    print("variables:", *names, sep="\n  ")
    print("single cell state (graph):", graph_single, sep="\n")
    print("stacked output (graph):", graph_stacked, sep="\n")

    problems = []
    if [a.shape for a in graph_single] != [(1, 4), (1, 4)]:
        problems.append(f"single-cell state shapes {[a.shape for a in graph_single]}")
    if graph_stacked.shape != (2, 3, 5):
        problems.append(f"stacked output shape {graph_stacked.shape}")
    eager_single = [np.asarray(t) for t in eager_state]
    if not all(
        np.allclose(g, e, rtol=1e-6, atol=1e-6)
        for g, e in zip(graph_single, eager_single)
    ):
        problems.append("single-cell state differs between graph and eager mode")
    if not np.allclose(graph_stacked, np.asarray(eager_stacked), rtol=1e-6, atol=1e-6):
        problems.append("stacked output differs between graph and eager mode")
    for problem in problems:
        _status(f"selfcheck: FAILED: {problem}")
    _status(
        "selfcheck: "
        + (
            "failed"
            if problems
            else f"ok (seed {args.seed}): shapes are TF1's and "
            "graph mode equals eager mode"
        )
    )
    return EXIT_FAILED if problems else EXIT_OK


def _run_limits(args: argparse.Namespace) -> int:
    """Print the TF1 features the toolkit does not provide."""
    del args
    for entry in UNSUPPORTED.values():
        print(f"- {entry.feature}: {entry.reason}.\n  Instead: {entry.workaround}.")
    return EXIT_OK


def _default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}.tf1.ipynb")


def _write_atomically(notebook: Any, target: Path) -> None:
    import nbformat

    text = nbformat.writes(notebook)  # type: ignore[no-untyped-call]
    scratch = target.with_name(f".{target.name}.tf1compat-tmp")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, target)


def _run_script(path: Path, argv: list[str], seed: int | None) -> int:
    import traceback

    from compat import legacy

    _status(f"tf1compat run: {path} in the TF1 environment")
    try:
        legacy.run_script(path, argv, seed=seed, report=_status)
    except SystemExit as exit_:
        code = exit_.code
        if code is None:
            return EXIT_OK
        if isinstance(code, int):
            return code
        _status(str(code))
        return EXIT_FAILED
    except FileNotFoundError:
        raise
    except SyntaxError as error:
        if error.filename is None and error.lineno is None:
            # Raised by the runner itself, before the script started.
            _status(f"tf1compat run: {error}")
            return EXIT_USAGE
        traceback.print_exc()
        _status(f"tf1compat run: {path} raised; see the traceback above")
        return EXIT_FAILED
    except BaseException:  # the script's own error: show it as Python would
        traceback.print_exc()
        _status(f"tf1compat run: {path} raised; see the traceback above")
        return EXIT_FAILED
    return EXIT_OK


def _run_run(args: argparse.Namespace) -> int:
    """Run a legacy notebook or script unchanged in the TF1 environment."""
    from compat import errors
    from compat.verify.execute import CellProgress, execute_notebook, read_notebook

    path = Path(args.path)
    if path.suffix == ".py":
        if not path.is_file():
            _status(f"tf1compat run: {path}: no such script")
            return EXIT_USAGE
        runner_options = [a for a in args.args if a.split("=")[0] in _RUNNER_FLAGS]
        if runner_options:
            _status(
                f"tf1compat run: note: {runner_options} come after the script's path, "
                "so they go to the script, not to tf1compat; put them before the "
                "path (tf1compat run --seed N script.py ...) to seed the run"
            )
        return _run_script(path, list(args.args), args.seed)
    if args.args:
        leftover = _RUN_OPTIONS.parse_known_args(args.args, namespace=args)[1]
        if leftover:
            _status(
                f"tf1compat run: unexpected arguments {leftover}: only scripts take "
                "arguments after the path"
            )
            return EXIT_USAGE
    if path.suffix != ".ipynb":
        _status(f"tf1compat run: {path}: expected a .ipynb notebook or a .py script")
        return EXIT_USAGE

    if args.in_place and args.output:
        _status("tf1compat run: -o and --in-place exclude each other")
        return EXIT_USAGE
    if args.in_place:
        output = path
    else:
        output = Path(args.output) if args.output else _default_output(path)
        if output.resolve() == path.resolve():
            _status(
                f"tf1compat run: refusing to write over the input {path}; "
                "pass --in-place to do that (a .bak copy is kept)"
            )
            return EXIT_USAGE
        if args.output and output.exists() and not args.force:
            _status(
                f"tf1compat run: {output} exists; pass --force to replace it, or "
                "choose another -o"
            )
            return EXIT_USAGE

    try:
        notebook = read_notebook(path)
    except FileNotFoundError as error:
        _status(f"tf1compat run: {error}")
        return EXIT_USAGE
    except errors.OldNotebookFormatError as error:
        _status(f"tf1compat run: {error}")
        return EXIT_OLD_FORMAT
    except errors.InvalidNotebookError as error:
        _status(f"tf1compat run: {error}")
        return EXIT_BAD_NOTEBOOK

    kernel = notebook.metadata.get("kernelspec", {}).get("name", "")
    if kernel and kernel != "python3":
        _status(
            f"tf1compat run: notebook asks for kernel {kernel!r}; using the TF1 kernel"
        )

    def show(event: CellProgress) -> None:
        mark = "ok" if event.ok else "FAILED"
        _status(
            f"  [{event.number}/{event.total}] cell {event.index}  "
            f"{event.seconds:6.2f}s  {mark}"
        )

    _status(f"tf1compat run: {path} on the TF1 kernel (seed {args.seed})")
    code = EXIT_OK
    try:
        execute_notebook(
            notebook,
            cwd=path.resolve().parent,
            kernel="tf1",
            seed=args.seed,
            timeout=args.timeout,
            on_progress=show,
            path_label=str(path),
        )
    except errors.CellExecutionFailed as error:
        _status(f"tf1compat run: FAILED: {error}")
        code = EXIT_FAILED
    except errors.CellTimeoutError as error:
        _status(f"tf1compat run: TIMEOUT: {error}")
        code = EXIT_TIMEOUT
    except errors.KernelDiedError as error:
        _status(f"tf1compat run: KERNEL DIED: {error}")
        code = EXIT_KERNEL_DIED
    except KeyboardInterrupt:
        _status("tf1compat run: interrupted; writing the outputs so far")
        code = EXIT_INTERRUPTED

    if args.in_place:
        backup = path.with_name(path.name + ".bak")
        backup.write_bytes(path.read_bytes())
        _status(f"tf1compat run: kept the original as {backup}")
    output.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(notebook, output)
    verdict = "executed notebook" if code == EXIT_OK else "stopped; outputs so far"
    _status(f"tf1compat run: {verdict} written to {output}")
    print(output)
    return code


def _run_kernel(args: argparse.Namespace) -> int:
    """Install or remove the "Python 3 (TF1 compat)" Jupyter kernel spec."""
    from compat.kernel import DISPLAY_NAME, install_kernel_spec, uninstall_kernel_spec

    if args.action == "install":
        prefix = sys.prefix if args.sys_prefix else args.prefix
        where = install_kernel_spec(user=args.user, prefix=prefix)
        _status(f"installed kernel {DISPLAY_NAME!r}")
        print(where)
        return EXIT_OK
    try:
        where = uninstall_kernel_spec()
    except KeyError:
        _status("tf1compat kernel uninstall: no TF1 kernel spec is installed")
        return EXIT_FAILED
    _status(f"removed kernel {DISPLAY_NAME!r}")
    print(where)
    return EXIT_OK


def _notebook_paths(paths: Sequence[str]) -> list[Path]:
    """The notebooks among ``paths`` (directories searched as convert does),
    leaving out the executed copies that ``tf1compat run`` writes."""
    from compat.convert.files import find_inputs

    return [
        item.path
        for item in find_inputs(paths)
        if item.path.suffix == ".ipynb" and not item.path.name.endswith(".tf1.ipynb")
    ]


def _execute_for_golden(path: Path, args: argparse.Namespace, seed: int | None) -> Any:
    from compat.verify.execute import execute_notebook, read_notebook

    notebook = read_notebook(path)
    execute_notebook(
        notebook,
        cwd=path.resolve().parent,
        kernel=args.kernel,
        seed=seed,
        timeout=args.timeout,
        path_label=str(path),
    )
    return notebook


def _run_golden(args: argparse.Namespace) -> int:
    """Record golden outputs of notebooks, or check notebooks against them."""
    from compat import errors
    from compat.verify import golden

    try:
        paths = _notebook_paths(args.paths)
    except FileNotFoundError as error:
        _status(f"tf1compat golden: {error}")
        return EXIT_USAGE
    if not paths:
        _status("tf1compat golden: no notebooks found")
        return EXIT_USAGE
    golden_dir = Path(args.golden_dir) if args.golden_dir else None
    failures = 0
    for path in paths:
        target = golden.golden_path(path, golden_dir)
        try:
            if args.action == "record":
                first = golden.record_golden(
                    _execute_for_golden(path, args, args.seed),
                    name=path.name,
                    seed=args.seed,
                )
                second = golden.record_golden(
                    _execute_for_golden(path, args, args.seed),
                    name=path.name,
                    seed=args.seed,
                )
                unstable = [
                    a["number"]
                    for a, b in zip(first["cells"], second["cells"])
                    if a["output"] != b["output"]
                ]
                if unstable:
                    failures += 1
                    _status(
                        f"{path}: NON-DETERMINISTIC: code cells {unstable} printed "
                        f"different values in two runs with seed {args.seed}; no "
                        "golden file written. Seed the randomness these cells use."
                    )
                    continue
                if golden_dir is not None:
                    golden_dir.mkdir(parents=True, exist_ok=True)
                golden.write_golden(first, target)
                _status(f"{path}: recorded {len(first['cells'])} code cells")
                print(target)
                continue

            record = golden.read_golden(target)
            notebook = _execute_for_golden(path, args, record.get("seed"))
            checks = golden.check_golden(
                notebook, record, rtol=args.rtol, atol=args.atol
            )
        except (errors.NotebookError, FileNotFoundError) as error:
            failures += 1
            _status(f"{path}: ERROR: {error}")
            continue
        bad = [c for c in checks if not c.ok]
        for check in bad:
            failures += 1
            _status(
                f"{path}: code cell {check.number} (cell index {check.index}) differs"
            )
            if check.note:
                _status(f"  note: {check.note}")
            _status("  source:\n    " + check.source.replace("\n", "\n    "))
            comparison = check.comparison
            if comparison is not None and comparison.skeleton_diff:
                _status("  " + comparison.skeleton_diff.replace("\n", "\n  "))
            for difference in comparison.differences if comparison else []:
                _status(f"  value {difference.index}: {difference.message}")
        worst = max((c.comparison.max_abs for c in checks if c.comparison), default=0.0)
        verdict = "ok" if not bad else f"{len(bad)} of {len(checks)} cells differ"
        _status(f"{path}: {verdict} (max abs error {worst:.3g})")
    _status(f"golden {args.action}: {len(paths)} notebooks, {failures} problems")
    return EXIT_FAILED if failures else EXIT_OK


def _run_convert(args: argparse.Namespace) -> int:
    """Rewrite legacy notebooks and scripts into TF2 code (target ``compat``)."""
    import difflib
    import json

    from compat.convert.files import convert_files, find_inputs, write_output

    writes = not (args.check or args.diff)
    if writes and not args.output and not args.in_place:
        _status(
            "tf1compat convert: say where the converted files go: -o DIR, or "
            "--in-place to replace the inputs (a .bak copy is kept); --check and "
            "--diff write nothing"
        )
        return EXIT_USAGE
    if args.output and args.in_place:
        _status("tf1compat convert: -o and --in-place exclude each other")
        return EXIT_USAGE
    try:
        inputs = find_inputs(args.paths)
    except FileNotFoundError as error:
        _status(f"tf1compat convert: {error}")
        return EXIT_USAGE
    if not inputs:
        _status("tf1compat convert: no .py or .ipynb files found")
        return EXIT_USAGE
    output_dir = Path(args.output) if args.output else None
    if writes and output_dir is not None:
        sources = {i.path.resolve() for i in inputs}
        clashes = [i for i in inputs if (output_dir / i.relative).resolve() in sources]
        if clashes:
            _status(
                f"tf1compat convert: -o {output_dir} would write over the input "
                f"{clashes[0].path}; choose another directory or use --in-place"
            )
            return EXIT_USAGE

    results = convert_files([i.path for i in inputs], jobs=args.jobs)
    failed = warned = would_change = 0
    for item, result in zip(inputs, results):
        if result.status == "failed":
            failed += 1
            _status(f"{result.path}: error: {result.error}; the file was not changed")
            continue
        for change in result.changes:
            where = f"cell {change.cell}, " if change.cell is not None else ""
            _status(
                f"{result.path}: {where}line {change.line}: "
                f"{change.old!r} -> {change.new!r}"
            )
        for warning in result.warnings:
            warned += 1
            _status(f"{warning.where(result.path)}: warning: {warning.message}")
        changed = result.status == "converted"
        would_change += changed
        if (args.check or args.diff) and changed:
            original = item.path.read_text(encoding="utf-8").splitlines(keepends=True)
            assert result.output is not None
            new = result.output.splitlines(keepends=True)
            sys.stdout.writelines(
                difflib.unified_diff(
                    original, new, str(item.path), f"{item.path} (converted)"
                )
            )
        if writes:
            if args.in_place:
                target = item.path
            else:
                assert output_dir is not None
                target = output_dir / item.relative
            if args.in_place and not changed:
                continue
            write_output(result, target, backup=args.in_place)
            print(target)

    if args.report:
        report = {
            "target": args.target,
            "files": [r.to_json() for r in results],
            "summary": {
                "files": len(results),
                "converted": sum(r.status == "converted" for r in results),
                "unchanged": sum(r.status == "unchanged" for r in results),
                "failed": failed,
                "warnings": warned,
            },
        }
        Path(args.report).write_text(
            json.dumps(report, indent=1) + "\n", encoding="utf-8"
        )

    verb = "would convert" if not writes else "converted"
    _status(
        f"convert: {len(results)} files, {would_change} {verb}, "
        f"{len(results) - would_change - failed} unchanged, {failed} failed, "
        f"{warned} warnings"
    )
    if failed:
        return EXIT_USAGE
    if warned or (args.check and would_change):
        return EXIT_FAILED
    return EXIT_OK


def _write_reports(
    verdicts: list[Any], html_path: str | None, json_path: str | None
) -> None:
    from compat.verify.report import render_html, to_json

    if html_path:
        Path(html_path).parent.mkdir(parents=True, exist_ok=True)
        Path(html_path).write_text(render_html(verdicts), encoding="utf-8")
        _status(f"HTML report: {html_path}")
    if json_path:
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(to_json(verdicts), encoding="utf-8")
        _status(f"JSON report: {json_path}")


def _verify_one(legacy: Path, migrated: Path, args: argparse.Namespace) -> Any:
    from compat.verify.equivalence import verify_notebooks, verify_scripts
    from compat.verify.report import summary_lines

    options = {
        "seed": args.seed,
        "rtol": args.rtol,
        "atol": args.atol,
        "timeout": args.timeout,
        "max_output_bytes": args.max_output_bytes,
    }
    if legacy.suffix == ".py":
        _status(f"verify: {legacy} (TF1 environment) against {migrated} (plain) ...")
        if not legacy.is_file() or not migrated.is_file():
            missing = legacy if not legacy.is_file() else migrated
            raise FileNotFoundError(f"{missing}: no such script")
        verdict = verify_scripts(legacy, migrated, **options)
    else:
        _status(f"verify: {legacy} (TF1 kernel) against {migrated} (plain kernel) ...")
        verdict, _, _ = verify_notebooks(legacy, migrated, **options)
    for line in summary_lines(verdict):
        print(line)
    return verdict


def _notebook_error_code(error: Exception) -> int:
    from compat import errors

    if isinstance(error, errors.OldNotebookFormatError):
        return EXIT_OLD_FORMAT
    if isinstance(error, errors.InvalidNotebookError):
        return EXIT_BAD_NOTEBOOK
    return EXIT_USAGE


def _run_verify(args: argparse.Namespace) -> int:
    """Run a legacy and a migrated notebook with one seed and compare them."""
    from compat import errors

    try:
        verdict = _verify_one(Path(args.legacy), Path(args.migrated), args)
    except (errors.NotebookError, FileNotFoundError) as error:
        _status(f"tf1compat verify: {error}")
        return _notebook_error_code(error)
    _write_reports([verdict], args.report, args.json)
    return EXIT_OK if verdict.ok else EXIT_FAILED


def _run_migrate(args: argparse.Namespace) -> int:
    """The main job: run each legacy notebook, convert it, run that, compare."""
    from compat import errors
    from compat.convert.files import convert_file, find_inputs, write_output

    try:
        inputs = find_inputs(args.paths)
    except FileNotFoundError as error:
        _status(f"tf1compat migrate: {error}")
        return EXIT_USAGE
    if not inputs:
        _status("tf1compat migrate: no notebooks or scripts found")
        return EXIT_USAGE
    output_dir = Path(args.output)
    report_dir = Path(args.report_dir)
    verdicts = []
    failures = 0
    for item in inputs:
        target = output_dir / item.relative
        if target.resolve() == item.path.resolve():
            _status(f"tf1compat migrate: -o {output_dir} would overwrite {item.path}")
            return EXIT_USAGE
        result = convert_file(item.path)
        if result.status == "failed":
            failures += 1
            _status(f"{item.path}: not converted: {result.error}")
            continue
        for warning in result.warnings:
            _status(f"{warning.where(str(item.path))}: warning: {warning.message}")
        assert result.output is not None
        if (
            target.exists()
            and target.read_text(encoding="utf-8") != result.output
            and not args.force
        ):
            failures += 1
            _status(
                f"{target}: exists and differs from the new conversion (edited by "
                "hand?); not overwritten. Pass --force to replace it, or -o elsewhere"
            )
            continue
        write_output(result, target, backup=False)
        try:
            verdicts.append(_verify_one(item.path, target, args))
        except (errors.NotebookError, FileNotFoundError) as error:
            failures += 1
            _status(f"{item.path}: {error}")
    if verdicts:
        _write_reports(
            verdicts,
            str(report_dir / "verification.html"),
            str(report_dir / "verification.json"),
        )
    same = sum(v.ok for v in verdicts)
    _status(
        f"migrate: {len(inputs)} notebooks and scripts, {len(verdicts)} run, "
        "converted and "
        f"verified; {same} equal to their legacy run, {len(verdicts) - same} "
        f"different, {failures} not processed. "
        f"Report: {report_dir / 'verification.html'}"
    )
    return EXIT_OK if same == len(inputs) and not failures else EXIT_FAILED


_COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "selfcheck": (
        "run the seed notebook's two examples on the shim (graph and eager mode)",
        _run_selfcheck,
    ),
    "limits": ("list the TF1 features tf1-compat does not provide", _run_limits),
    "run": (
        "run a legacy notebook or script unchanged in the TF1 environment",
        _run_run,
    ),
    "kernel": (
        "install or remove the 'Python 3 (TF1 compat)' Jupyter kernel",
        _run_kernel,
    ),
    "convert": (
        "rewrite legacy notebooks and scripts into TF2 code",
        _run_convert,
    ),
    "verify": (
        "run a legacy and a migrated notebook with one seed and compare them",
        _run_verify,
    ),
    "migrate": (
        "run legacy notebooks, convert them, run the results and verify",
        _run_migrate,
    ),
    "golden": (
        "record seeded notebook outputs as golden files, or check against them",
        _run_golden,
    ),
}


def _seed_value(text: str) -> int:
    """argparse type for --seed: checked before TensorFlow loads."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an int, got {text!r}") from None
    if not 0 <= value <= 2**31 - 1:
        raise argparse.ArgumentTypeError(
            f"must be an int from 0 to 2147483647, got {value}"
        )
    return value


def _number(kind: type, minimum: float, strict: bool) -> Any:
    """argparse type: a finite number above (or from) ``minimum``."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a {kind.__name__}, got {text!r}"
            ) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"must be finite, got {text}")
        if value < minimum or (strict and value == minimum):
            bound = "above" if strict else "at least"
            raise argparse.ArgumentTypeError(f"must be {bound} {minimum}, got {text}")
        return value

    return parse


_TOLERANCE = _number(float, 0, strict=False)
_SECONDS = _number(float, 0, strict=True)
_COUNT = _number(int, 1, strict=False)


def _seed_argument(parser: argparse.ArgumentParser, default: int | None) -> None:
    parser.add_argument(
        "--seed",
        type=_seed_value,
        default=default,
        help="seed of the shim's initial weights and of Python, NumPy and TF",
    )


def _run_option_parser(add_help: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(add_help=add_help, prog="tf1compat run")
    parser.add_argument("-o", "--output", help="where to write the executed notebook")
    _seed_argument(parser, None)
    parser.add_argument(
        "--timeout", type=_SECONDS, default=600, help="seconds per cell (default 600)"
    )
    parser.add_argument(
        "--in-place", action="store_true", help="write outputs into the input notebook"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an existing -o file"
    )
    return parser


_RUN_OPTIONS = _run_option_parser(add_help=False)
_RUNNER_FLAGS = {
    flag for action in _RUN_OPTIONS._actions for flag in action.option_strings
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tf1compat",
        description="Run TensorFlow 1 RNN code on TensorFlow 2.16+.",
    )
    parser.add_argument(
        "--version", action="version", version=f"tf1-compat {compat.__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (help_text, _) in _COMMANDS.items():
        parents = [_RUN_OPTIONS] if name == "run" else []
        sub = commands.add_parser(
            name, help=help_text, description=help_text, parents=parents
        )
        if name == "selfcheck":
            _seed_argument(sub, None)
        elif name == "run":
            sub.add_argument("path", help="a .ipynb notebook or a .py script")
            sub.add_argument(
                "args",
                nargs=argparse.REMAINDER,
                help="arguments for a script (sys.argv[1:])",
            )
        elif name == "kernel":
            sub.add_argument("action", choices=["install", "uninstall"])
            where = sub.add_mutually_exclusive_group()
            where.add_argument("--user", action="store_true", help="for this user only")
            where.add_argument(
                "--sys-prefix", action="store_true", help="into this environment"
            )
            where.add_argument("--prefix", help="under this prefix")
        elif name == "convert":
            sub.add_argument("paths", nargs="+", help=".py/.ipynb files or directories")
            sub.add_argument("-o", "--output", help="directory for the converted files")
            sub.add_argument(
                "--target",
                choices=["compat"],
                default="compat",
                help="compat: TF 2.16+ with tf1-compat installed (the default)",
            )
            sub.add_argument(
                "--check",
                action="store_true",
                help="write nothing; exit 1 if work found",
            )
            sub.add_argument(
                "--diff", action="store_true", help="write nothing; print a diff"
            )
            sub.add_argument(
                "--in-place", action="store_true", help="replace inputs (keeps .bak)"
            )
            sub.add_argument("--report", help="write a JSON report here")
            sub.add_argument(
                "-j", "--jobs", type=_COUNT, default=1, help="worker processes"
            )
        elif name in ("verify", "migrate"):
            if name == "verify":
                sub.add_argument("legacy", help="the legacy notebook (TF1 kernel)")
                sub.add_argument(
                    "migrated", help="the migrated notebook (plain kernel)"
                )
                sub.add_argument("--report", help="write a self-contained HTML report")
                sub.add_argument("--json", help="write a JSON report")
            else:
                sub.add_argument(
                    "paths",
                    nargs="*",
                    default=["legacy_notebooks"],
                    help="legacy notebooks or directories (default legacy_notebooks)",
                )
                sub.add_argument(
                    "-o",
                    "--output",
                    default="migrated",
                    help="directory for the converted notebooks (default migrated)",
                )
                sub.add_argument(
                    "--report-dir",
                    default="reports",
                    help="directory for verification.html/.json (default reports)",
                )
                sub.add_argument(
                    "--force",
                    action="store_true",
                    help="replace converted notebooks that differ (hand edits)",
                )
            _seed_argument(sub, 1234)
            sub.add_argument("--rtol", type=_TOLERANCE, default=1e-5)
            sub.add_argument("--atol", type=_TOLERANCE, default=1e-6)
            sub.add_argument("--timeout", type=_SECONDS, default=600)
            sub.add_argument(
                "--max-output-bytes",
                type=_COUNT,
                default=1_000_000,
                help="outputs larger than this are reported, not compared",
            )
        elif name == "golden":
            sub.add_argument("action", choices=["record", "check"])
            sub.add_argument("paths", nargs="+", help="notebooks or directories")
            sub.add_argument(
                "--golden-dir", help="keep golden files here, not beside the notebooks"
            )
            sub.add_argument(
                "--kernel",
                choices=["tf1", "python"],
                default="tf1",
                help="TF1 kernel for legacy notebooks (default), python for TF2 code",
            )
            _seed_argument(sub, 1234)
            sub.add_argument("--timeout", type=_SECONDS, default=600)
            sub.add_argument("--rtol", type=_TOLERANCE, default=1e-5)
            sub.add_argument("--atol", type=_TOLERANCE, default=1e-6)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the command; return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    try:
        # A bad TF1COMPAT_RNN_PATH is reported before any code runs.
        get_rnn_path()
        return _COMMANDS[args.command][1](args)
    except (ValueError, TypeError) as error:
        _status(f"tf1compat {args.command}: error: {error}")
        return EXIT_USAGE
    except Exception as error:
        _status(
            f"tf1compat {args.command}: internal error: "
            f"{type(error).__name__}: {error}\n"
            "This is a bug in tf1-compat; please report it with the command you ran "
            "and this message."
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
