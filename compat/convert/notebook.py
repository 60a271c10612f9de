"""Convert whole notebooks and scripts: read, rewrite each code unit, report.

A notebook's code cells (or a script, as one unit) go through these steps:

1. IPython lines are masked (``compat.convert.ipython``); cell magics whose
   body is not Python are left alone.
2. The unit is parsed with LibCST; if that fails, Python 2 print statements
   are fixed by the tokenizer and it is parsed again; a unit that still does
   not parse is left byte-identical and reported with its line and reason.
3. TensorFlow aliases are collected over all units, since a notebook imports
   TensorFlow in one cell and uses it in the next.
4. The codemods run on every unit; the graph-mode switch and the shim import
   go right after the first TensorFlow import.
5. Changed code cells lose their stale outputs; every code cell records which
   legacy cell it came from in ``metadata["tf1compat"]["legacy_cell"]``.
"""

from __future__ import annotations

import ast
import difflib
import json
import logging
from dataclasses import dataclass, field

import libcst as cst
import nbformat

from compat.convert import codemods
from compat.convert.ipython import MaskedSource, mask_ipython, unmask_ipython
from compat.convert.py2 import fix_print_statements
from compat.convert.results import Change, ConversionWarning, FileResult

__all__ = ["TARGETS", "convert_notebook_text", "convert_python_text"]

_logger = logging.getLogger(__name__)

TARGETS = ("compat",)


@dataclass
class _Unit:
    """One piece of code: a notebook cell or a whole script."""

    cell: int | None
    source: str
    masked: MaskedSource | None = None
    module: cst.Module | None = None
    python: str = ""
    """The text ``module`` was parsed from (after masking and print fixes)."""
    changed: bool = False
    """Whether a command changed ``module`` (else ``python`` is the result)."""
    printed_lines: list[int] = field(default_factory=list)
    warnings: list[ConversionWarning] = field(default_factory=list)

    def warn(self, line: int | None, message: str) -> None:
        self.warnings.append(ConversionWarning(self.cell, line, message))


def _looks_like_tf1_pin(line: str) -> bool:
    words = line.replace("=", " = ").split()
    if "pip" not in line or "install" not in words:
        return False
    return any(
        token.startswith(("tensorflow==1", "tensorflow-gpu==1", "tensorflow<2"))
        for token in line.replace(" = ", "=").split()
    )


def _prepare(unit: _Unit, notebook: bool) -> None:
    if notebook:
        unit.masked = mask_ipython(unit.source)
        if not unit.masked.is_python:
            return
        python = unit.masked.python
        for text in unit.masked.lines.values():
            if _looks_like_tf1_pin(text):
                unit.warn(
                    None,
                    f"`{text.strip()}` installs TensorFlow 1.x, which does not exist "
                    "for Python 3.11; remove the line (the converted code runs on "
                    "TF 2.16+)",
                )
    else:
        python = unit.source
    error: cst.ParserSyntaxError
    try:
        unit.module = cst.parse_module(python)
        unit.python = python
        return
    except cst.ParserSyntaxError as parse_error:
        error = parse_error
    fixed, fixes = fix_print_statements(python)
    if fixes:
        try:
            unit.module = cst.parse_module(fixed)
            unit.python = fixed
            unit.printed_lines = [f.line for f in fixes]
            return
        except cst.ParserSyntaxError as parse_error:
            error = parse_error
    unit.warn(
        error.raw_line,
        f"not converted: the code does not parse ({error.message.strip()}); "
        "it was left exactly as it was",
    )


# Line magics whose argument is one Python statement, converted like code.
_STATEMENT_MAGICS = ("%time ", "%timeit ", "%prun ")


def _run_commands(
    module: cst.Module,
    code: str,
    aliases: codemods.Aliases,
    unit: _Unit,
    line: int | None,
) -> tuple[cst.Module, set[str], bool]:
    """Run the codemods on ``module`` (whose text is ``code``).

    Returns:
        The new module, the tf1-compat modules it now names, whether it changed.
    """
    shims: set[str] = set()
    changed = False
    # Commands that cannot match are skipped: a cell that never names
    # TensorFlow (most cells of a notebook) costs no tree traversal.
    wanted: list[type[codemods._Command]] = []
    if "tensorflow" in code:
        wanted.append(codemods.RewriteTensorflowImportsCommand)
    if any(name in code for name in aliases.names):
        wanted.append(codemods.RewriteDottedNamesCommand)
    if any(
        word in code for word in (*codemods.PYTHON2_NAMES, *codemods.PYTHON2_METHODS)
    ):
        wanted.append(codemods.ReplacePython2IdiomsCommand)
    for command_class in wanted:
        command = command_class(aliases)
        module = codemods.run_command(command, module)
        shims |= command.shim_modules
        changed |= command.changed
        for warned_line, message in command.warnings:
            unit.warn(warned_line if line is None else line, message)
    return module, shims, changed


def _convert_magic_lines(
    unit: _Unit, aliases: codemods.Aliases
) -> tuple[set[str], set[str]]:
    """Convert the statement of ``%time``-style lines; return those done, shims."""
    done: set[str] = set()
    shims: set[str] = set()
    if unit.masked is None:
        return done, shims
    for key, text in list(unit.masked.lines.items()):
        stripped = text.lstrip()
        magic = next((m for m in _STATEMENT_MAGICS if stripped.startswith(m)), None)
        if magic is None or stripped[len(magic) :].lstrip().startswith("-"):
            continue
        statement = stripped[len(magic) :]
        try:
            module = cst.parse_module(statement)
        except cst.ParserSyntaxError:
            continue
        line = unit.source.splitlines().index(text) + 1 if text in unit.source else None
        module, shim, changed = _run_commands(module, statement, aliases, unit, line)
        shims |= shim
        if changed:
            indent = text[: len(text) - len(stripped)]
            unit.masked.lines[key] = indent + magic + module.code
        done.add(key)
    return done, shims


def _ipython_lines_using_tensorflow(
    unit: _Unit, aliases: codemods.Aliases, converted: set[str]
) -> None:
    if unit.masked is None:
        return
    roots = tuple(f"{name}." for name in aliases.names)
    untouched = {v for k, v in unit.masked.lines.items() if k not in converted}
    for line_number, line in enumerate(unit.source.splitlines(), start=1):
        stripped = line.strip()
        if line not in untouched and stripped not in untouched:
            continue
        if roots and any(root in stripped for root in roots):
            unit.warn(
                line_number,
                "IPython line uses TensorFlow and was left as it is; convert it by "
                "hand",
            )


def _check_compiles(unit: _Unit, code: str) -> None:
    """Warn when converted code is still not Python 3 (LibCST accepts some
    Python 2 forms, such as ``except E, e:``, that the compiler rejects)."""
    try:
        compile(code, "<converted>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    except SyntaxError as error:
        unit.warn(
            error.lineno,
            f"the converted code does not compile ({error.msg}); fix this line by hand",
        )


def _line_changes(cell: int | None, old: str, new: str) -> list[Change]:
    changes = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        changes.append(
            Change(
                cell=cell,
                line=i1 + 1,
                old="\n".join(old_lines[i1:i2]),
                new="\n".join(new_lines[j1:j2]),
            )
        )
    return changes


def _convert_units(units: list[_Unit], notebook: bool) -> None:
    """Run every step on ``units`` in place; their ``source`` becomes the result."""
    for unit in units:
        _prepare(unit, notebook)
    parsed = [u for u in units if u.module is not None]
    originals = [(u, u.module) for u in parsed if u.module is not None]
    aliases = codemods.collect_aliases([(m, u.python) for u, m in originals])

    shims: set[str] = set()
    for unit in parsed:
        assert unit.module is not None
        unit.module, shim, unit.changed = _run_commands(
            unit.module, unit.python, aliases, unit, None
        )
        converted, magic_shim = _convert_magic_lines(unit, aliases)
        shims |= shim or magic_shim
        _ipython_lines_using_tensorflow(unit, aliases, converted)

    # Decided on the input: the commands add neither call nor import, and the
    # graph-mode switch goes after the first statement that imported TF there.
    graph_mode = bool(aliases.names) and not any(
        codemods.find_graph_mode_calls(m, u.python) for u, m in originals
    )
    present: set[str] = set()
    for unit, module in originals:
        present |= codemods.find_shim_imports(module, unit.python)
    shim_imports = sorted(shims - present)
    if graph_mode or shim_imports:
        place = next(
            (
                (u, index)
                for u, m in originals
                if "tensorflow" in u.python
                for index in [codemods.first_tensorflow_import(m)]
                if index is not None
            ),
            None,
        )
        if place is None:
            if parsed:
                parsed[0].warn(
                    None,
                    "no top-level TensorFlow import found; add "
                    "`tf.compat.v1.disable_eager_execution()` and `import compat.rnn` "
                    "after it by hand",
                )
        else:
            target, index = place
            assert target.module is not None
            inserter = codemods.InsertGraphModeCommand(
                aliases, graph_mode=graph_mode, shim_imports=shim_imports, after=index
            )
            target.module = target.module.visit(inserter)
            target.changed |= inserter.inserted

    for unit in parsed:
        assert unit.module is not None
        code = unit.module.code if unit.changed else unit.python
        _check_compiles(unit, code)
        if unit.masked is not None:
            code = unmask_ipython(unit.masked, code)
        unit.source = code


def convert_python_text(text: str, path: str) -> FileResult:
    """Convert the text of a ``.py`` script."""
    unit = _Unit(cell=None, source=text)
    _convert_units([unit], notebook=False)
    result = FileResult(path=path, status="unchanged", output=unit.source)
    result.warnings = unit.warnings
    if unit.source != text:
        result.status = "converted"
        result.changes = _line_changes(None, text, unit.source)
    _logger.info("%s: %s, %d warnings", path, result.status, len(result.warnings))
    return result


def convert_notebook_text(text: str, path: str) -> FileResult:
    """Convert the text of a ``.ipynb`` notebook (nbformat 3 or 4)."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        return FileResult(
            path=path,
            status="failed",
            error=f"not a notebook: invalid JSON at line {error.lineno}, column "
            f"{error.colno}: {error.msg}",
        )
    if not isinstance(raw, dict) or ("cells" not in raw and "worksheets" not in raw):
        return FileResult(
            path=path, status="failed", error="not a notebook: no 'cells' in the JSON"
        )
    try:
        notebook = nbformat.reads(text, as_version=4)  # type: ignore[no-untyped-call]
    except Exception as error:
        return FileResult(path=path, status="failed", error=f"not a notebook: {error}")
    upgraded = raw.get("nbformat", 4) < 4

    units = [
        _Unit(cell=index, source=cell.source)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    ]
    originals = {u.cell: u.source for u in units}
    _convert_units(units, notebook=True)

    result = FileResult(path=path, status="unchanged")
    changed = upgraded
    for unit in units:
        assert unit.cell is not None
        cell = notebook.cells[unit.cell]
        result.warnings.extend(unit.warnings)
        cell.metadata.setdefault("tf1compat", {}).setdefault("legacy_cell", unit.cell)
        if unit.source != originals[unit.cell]:
            changed = True
            result.changes.extend(
                _line_changes(unit.cell, originals[unit.cell], unit.source)
            )
            cell.source = unit.source
            cell.outputs = []
            cell.execution_count = None
    if not changed:
        result.output = text
        return result
    if upgraded:
        result.changes.insert(0, Change(None, 0, "nbformat 3", "nbformat 4"))
    result.status = "converted"
    result.output = nbformat.writes(notebook) + "\n"  # type: ignore[no-untyped-call]
    return result
