"""Keep IPython syntax (magics, ``!`` lines, ``x = !cmd``, ``obj?``) out of the parser.

IPython's own input transformer decides which lines are IPython syntax: it
rewrites exactly those lines into ``get_ipython()...`` calls. Each such line
is swapped for a placeholder statement with the same indentation, the cell is
converted as Python, and the original lines are put back byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CELL_MAGICS_WITH_PYTHON", "MaskedSource", "mask_ipython", "unmask_ipython"]

_PLACEHOLDER = "__tf1compat_ipython_line_{}__"

# Cell magics whose body is ordinary Python; other cell magics (%%bash, %%html,
# %%writefile, ...) hold no Python to convert.
CELL_MAGICS_WITH_PYTHON = frozenset({"time", "timeit", "capture", "prun", "debug"})


@dataclass
class MaskedSource:
    """A cell with its IPython lines replaced by placeholders."""

    python: str
    """Parseable Python (or None-equivalent empty string for non-Python cells)."""
    lines: dict[str, str] = field(default_factory=dict)
    """Placeholder -> original line (without its newline)."""
    header: str | None = None
    """A ``%%magic`` first line (with its newline) kept aside; the body is Python."""
    is_python: bool = True
    """False for a cell magic whose body is not Python (left untouched)."""
    reason: str | None = None
    """Why the cell is not treated as Python, when it is not."""


def mask_ipython(source: str) -> MaskedSource:
    """Replace the IPython lines of ``source`` with placeholders."""
    from IPython.core.inputtransformer2 import TransformerManager

    header = None
    body = source
    stripped = source.lstrip()
    if stripped.startswith("%%"):
        first, _, rest = stripped.partition("\n")
        magic = first[2:].split(maxsplit=1)[0] if first[2:].strip() else ""
        if magic not in CELL_MAGICS_WITH_PYTHON:
            return MaskedSource(
                python="", is_python=False, reason=f"cell magic %%{magic} (not Python)"
            )
        newline = "\n" if "\n" in stripped else ""
        header, body = source[: len(source) - len(stripped)] + first + newline, rest

    try:
        transformed = TransformerManager().transform_cell(body)  # type: ignore[no-untyped-call]
    except Exception:
        return MaskedSource(python=body, header=header)
    original_lines = body.splitlines(keepends=True)
    new_lines = transformed.splitlines(keepends=True)
    if len(original_lines) != len(new_lines):
        return MaskedSource(
            python="",
            is_python=False,
            reason="IPython syntax spanning several lines (left as it is)",
        )
    masked: list[str] = []
    placeholders: dict[str, str] = {}
    for original, new in zip(original_lines, new_lines):
        if original.rstrip("\r\n") == new.rstrip("\r\n"):
            masked.append(original)
            continue
        name = _PLACEHOLDER.format(len(placeholders))
        text = original.rstrip("\r\n")
        indent = text[: len(text) - len(text.lstrip())]
        ending = original[len(text) :]
        placeholders[name] = text
        masked.append(f"{indent}{name}{ending}")
    return MaskedSource(python="".join(masked), lines=placeholders, header=header)


def unmask_ipython(masked: MaskedSource, python: str) -> str:
    """Put the original IPython lines (and header) back into converted ``python``."""
    lines = python.splitlines(keepends=True)
    restored = []
    for line in lines:
        text = line.rstrip("\r\n")
        key = text.strip()
        if key in masked.lines:
            restored.append(masked.lines[key] + line[len(text) :])
        else:
            restored.append(line)
    body = "".join(restored)
    return (masked.header or "") + body
