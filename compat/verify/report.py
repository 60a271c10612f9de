"""Verification reports: terminal lines, JSON, and a self-contained HTML page.

The HTML page has no scripts and loads nothing from the network: styles are
inline, every notebook text is escaped. It shows each cell pair side by side
with its verdict and error sizes.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from compat.verify.equivalence import CellVerdict, NotebookVerdict

__all__ = ["render_html", "summary_lines", "to_json"]

_COLOURS = {
    "equal": "#1b7f3b",
    "within": "#2b6cb0",
    "different": "#c53030",
    "not comparable": "#b7791f",
}


def _cell_line(cell: CellVerdict) -> str:
    text = f"  code cell {cell.number} (legacy index {cell.legacy_index}"
    if cell.migrated_index is not None:
        text += f", migrated index {cell.migrated_index}"
    text += f"): {cell.status}"
    if cell.status in ("within", "different") and cell.max_abs:
        text += f" (max abs {cell.max_abs:.3g}, max rel {cell.max_rel:.3g})"
    if cell.reason:
        text += f": {cell.reason}"
    return text


def summary_lines(verdict: NotebookVerdict, *, verbose: bool = False) -> list[str]:
    """Lines for the terminal: every cell that is not equal, then a verdict."""
    lines = [f"{verdict.legacy} -> {verdict.migrated}"]
    for cell in verdict.cells:
        if verbose or not cell.ok or cell.status == "within":
            lines.append(_cell_line(cell))
        if not cell.ok:
            for difference in cell.differences:
                lines.append(f"    {difference}")
            if cell.status == "different":
                lines.append("    legacy output:   " + _short(cell.legacy_output))
                lines.append("    migrated output: " + _short(cell.migrated_output))
    for problem in verdict.problems:
        lines.append(f"  problem: {problem}")
    counts = verdict.counts()
    worst = max((c.max_abs for c in verdict.cells), default=0.0)
    lines.append(
        f"  {'OK' if verdict.ok else 'DIFFERENT'}: {counts['equal']} equal, "
        f"{counts['within']} within tolerance, {counts['different']} different, "
        f"{counts['not comparable']} not comparable (max abs error {worst:.3g}, "
        f"rtol {verdict.rtol}, atol {verdict.atol}, seed {verdict.seed}, "
        f"{verdict.seconds:.1f} s)"
    )
    return lines


def _short(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def to_json(verdicts: Sequence[NotebookVerdict]) -> str:
    """All verdicts as JSON text."""
    data: list[dict[str, Any]] = []
    for verdict in verdicts:
        item = asdict(verdict)
        item["ok"] = verdict.ok
        item["counts"] = verdict.counts()
        data.append(item)
    return json.dumps({"notebooks": data}, indent=1) + "\n"


_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border: 1px solid #ccc; padding: 0.4em; vertical-align: top; }
th { background: #f3f3f3; text-align: left; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font-size: 0.85em; }
.badge { color: white; padding: 0.1em 0.5em; border-radius: 0.3em; }
.notes { color: #c53030; font-size: 0.9em; }
.summary { margin: 0.5em 0; }
"""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _cell_rows(cell: CellVerdict) -> str:
    colour = _COLOURS[cell.status]
    errors = ""
    if cell.status in ("within", "different"):
        errors = f"<br>max abs {cell.max_abs:.3g}<br>max rel {cell.max_rel:.3g}"
    notes = "".join(f"<div>{_esc(n)}</div>" for n in cell.differences)
    if cell.reason:
        notes += f"<div>{_esc(cell.reason)}</div>"
    return (
        "<tr>"
        f"<td>cell {cell.number}<br><span class='badge' style='background:{colour}'>"
        f"{_esc(cell.status)}</span>{errors}</td>"
        f"<td><pre>{_esc(cell.legacy_source)}</pre><hr><pre>{_esc(cell.legacy_output)}"
        "</pre></td>"
        f"<td><pre>{_esc(cell.migrated_source)}</pre><hr>"
        f"<pre>{_esc(cell.migrated_output)}</pre></td>"
        f"<td class='notes'>{notes}</td>"
        "</tr>"
    )


def render_html(verdicts: Sequence[NotebookVerdict], title: str = "tf1-compat") -> str:
    """A self-contained HTML page for people: each cell pair side by side."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_esc(title)} verification</title><style>{_STYLE}</style></head>",
        f"<body><h1>{_esc(title)}: legacy versus migrated</h1>",
    ]
    for verdict in verdicts:
        counts = verdict.counts()
        state = "OK" if verdict.ok else "DIFFERENT"
        parts.append(
            f"<h2>{_esc(verdict.legacy)} &rarr; {_esc(verdict.migrated)}: {state}</h2>"
            f"<p class='summary'>{counts['equal']} equal, {counts['within']} within "
            f"tolerance, {counts['different']} different, {counts['not comparable']} "
            f"not comparable; rtol {verdict.rtol}, atol {verdict.atol}, seed "
            f"{verdict.seed}, {verdict.seconds:.1f} s</p>"
        )
        for problem in verdict.problems:
            parts.append(f"<p class='notes'>{_esc(problem)}</p>")
        parts.append(
            "<table><tr><th style='width:10%'>verdict</th>"
            "<th style='width:36%'>legacy (TF1 kernel)</th>"
            "<th style='width:36%'>migrated (plain TF2)</th>"
            "<th style='width:18%'>differences</th></tr>"
        )
        parts.extend(_cell_rows(cell) for cell in verdict.cells)
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)
