"""Turn cell outputs into comparable values, and compare them with tolerances.

A cell's output text (stdout and results) is normalised, then parsed into a
*skeleton* (the text with every value replaced by a placeholder) and a list of
*items*: NumPy-style arrays and nested lists, symbolic tensor reprs and plain
numbers. Two outputs agree when their skeletons are equal and their items
agree: arrays by shape and values within ``rtol``/``atol``, tensors by name,
shape (``?`` equals ``None``) and dtype, numbers within tolerance.

Normalisation rules (all of what is ignored, in one place):

1. stderr is not compared (TensorFlow logs and warnings go there);
2. TensorFlow/absl log lines (``I0000 ...``, ``W1204 ...``,
   ``INFO:tensorflow:...``, ``WARNING:tensorflow:...`` with its
   "Instructions for updating" block) are dropped;
3. memory addresses (``0x7f...``) become ``0x?``;
4. timings from ``%time``/``%timeit`` (``CPU times: ...``, ``Wall time: ...``,
   ``... per loop ...``) are dropped;
5. trailing whitespace is dropped and runs of spaces collapse to one (NumPy
   pads columns to the widest value, so alignment changes with the values).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "Item",
    "ItemDifference",
    "ParsedOutput",
    "cell_output_text",
    "compare_outputs",
    "normalize_text",
    "parse_output",
]

_LOG_LINE = re.compile(
    r"^(?:[IWEF]\d{4} [\d:. ]+\S+\] .*|(?:INFO|WARNING|ERROR):tensorflow:.*|"
    r"WARNING: All log messages before absl.*)$"
)
_UPDATE_BLOCK = re.compile(r"^Instructions for updating:\n(?:.+\n?)", re.MULTILINE)
_TIMING = re.compile(
    r"^(?:CPU times: .*|Wall time: .*|.* per loop \(mean .*\)|"
    r"\d+(?:\.\d+)? [mun]?s ± .* per loop.*)$"
)
_ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")

_EXPONENT = r"(?:[eE][-+]?\d+)?"
_NUMBER = rf"[-+]?(?:\d+\.\d*{_EXPONENT}|\.\d+{_EXPONENT}|\d+{_EXPONENT}|nan|inf)"
_SCALAR = re.compile(rf"(?<![\w.]){_NUMBER}(?![\w.])")
_TENSOR_V1 = re.compile(
    r'Tensor\("(?P<name>[^"]+)", shape=\((?P<shape>[^)]*)\), dtype=(?P<dtype>\w+)\)'
)
_TENSOR_V2 = re.compile(
    r"<tf\.Tensor '(?P<name>[^']+)' shape=\((?P<shape>[^)]*)\) dtype=(?P<dtype>\w+)>"
)
_ARRAY_PREFIX = re.compile(r"array\(\s*")
_ARRAY_SUFFIX = re.compile(r"^\s*(?:,\s*dtype=(?P<dtype>\w+))?\s*\)")
_ARRAY_BODY = re.compile(rf"^(?:\s|,|\[|\]|{_NUMBER})*$")

PLACEHOLDERS = {"array": "<array>", "tensor": "<tensor>", "number": "<number>"}

# Values printed without a decimal point or exponent (counts, ids, shapes,
# integer arrays) are integers: they must match exactly, never within a
# tolerance, and never equal a float.
INTEGER = "int"
_INTEGER = re.compile(r"[-+]?\d+")


def _only_integers(body: str) -> bool:
    tokens = re.findall(_NUMBER, body)
    return bool(tokens) and all(_INTEGER.fullmatch(t) for t in tokens)


def normalize_text(text: str) -> str:
    """Apply the normalisation rules of this module's docstring (2 to 5)."""
    text = _UPDATE_BLOCK.sub("", text)
    lines = []
    for line in text.splitlines():
        if _LOG_LINE.match(line) or _TIMING.match(line):
            continue
        line = _ADDRESS.sub("0x?", line)
        lines.append(re.sub(r"[ \t]+", " ", line).rstrip())
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def cell_output_text(cell: Any) -> str:
    """The compared text of a code cell: stdout, results and errors, in order."""
    parts = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind == "stream" and output.get("name") == "stdout":
            parts.append(_as_text(output.get("text", "")))
        elif kind in ("execute_result", "display_data"):
            data = output.get("data", {})
            if "text/plain" in data:
                parts.append(_as_text(data["text/plain"]) + "\n")
            elif any(key.startswith("image/") for key in data):
                parts.append("<image>\n")
        elif kind == "error":
            parts.append(f"{output.get('ename')}: {output.get('evalue')}\n")
    return "".join(parts)


def _as_text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


@dataclass
class Item:
    """One value found in an output."""

    kind: str
    """``array``, ``tensor`` or ``number``."""
    value: Any = None
    """A float64 ndarray (arrays), a float (numbers), None (tensors)."""
    shape: tuple[int | None, ...] | None = None
    dtype: str | None = None
    name: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (arrays as flat lists plus shape; no pickle)."""
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == "array":
            flat = np.asarray(self.value, dtype=np.float64).ravel()
            data["data"] = [_json_float(x) for x in flat]
        elif self.kind == "number":
            data["data"] = _json_float(float(self.value))
        if self.shape is not None:
            data["shape"] = list(self.shape)
        if self.dtype is not None:
            data["dtype"] = self.dtype
        if self.name is not None:
            data["name"] = self.name
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Item:
        """Inverse of ``to_json``."""
        shape = tuple(data["shape"]) if "shape" in data else None
        value: Any = None
        if data["kind"] == "array":
            flat = np.array(
                [_from_json_float(x) for x in data["data"]], dtype=np.float64
            )
            value = flat.reshape([d for d in shape or (len(flat),)])
        elif data["kind"] == "number":
            value = _from_json_float(data["data"])
        return cls(data["kind"], value, shape, data.get("dtype"), data.get("name"))


def _json_float(x: float) -> Any:
    return x if math.isfinite(x) else repr(float(x))


def _from_json_float(x: Any) -> float:
    return float(x)


@dataclass
class ParsedOutput:
    """A cell's output as a skeleton and the values taken out of it."""

    skeleton: str
    items: list[Item] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict."""
        return {"skeleton": self.skeleton, "items": [i.to_json() for i in self.items]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ParsedOutput:
        """Inverse of ``to_json``."""
        return cls(data["skeleton"], [Item.from_json(i) for i in data["items"]])


def _parse_shape(text: str) -> tuple[int | None, ...]:
    dims = [d.strip() for d in text.split(",") if d.strip()]
    return tuple(None if d in ("?", "None") else int(d) for d in dims)


def _matching_bracket(text: str, start: int) -> int:
    depth = 0
    for position in range(start, len(text)):
        if text[position] == "[":
            depth += 1
        elif text[position] == "]":
            depth -= 1
            if depth == 0:
                return position
    return -1


def _parse_nested(body: str) -> np.ndarray | None:
    if not _ARRAY_BODY.match(body) or "..." in body:
        return None
    tokens = re.findall(rf"\[|\]|{_NUMBER}", body)
    stack: list[list[Any]] = []
    root: list[Any] | None = None
    for token in tokens:
        if token == "[":
            stack.append([])
        elif token == "]":
            done = stack.pop()
            if stack:
                stack[-1].append(done)
            else:
                root = done
        elif stack:
            stack[-1].append(float(token))
    if root is None or stack:
        return None
    try:
        return np.array(root, dtype=np.float64)
    except ValueError:
        return None


def parse_output(text: str) -> ParsedOutput:
    """Normalise ``text`` and split it into a skeleton and items."""
    text = normalize_text(text)
    items: list[Item] = []
    pieces: list[str] = []
    position = 0
    while position < len(text):
        tensor = _TENSOR_V1.match(text, position) or _TENSOR_V2.match(text, position)
        if tensor:
            items.append(
                Item(
                    "tensor",
                    shape=_parse_shape(tensor["shape"]),
                    dtype=tensor["dtype"].removesuffix("_ref"),
                    name=tensor["name"],
                )
            )
            pieces.append(PLACEHOLDERS["tensor"])
            position = tensor.end()
            continue
        prefix = _ARRAY_PREFIX.match(text, position)
        bracket_at = prefix.end() if prefix else position
        if bracket_at < len(text) and text[bracket_at] == "[":
            end = _matching_bracket(text, bracket_at)
            body = text[bracket_at : end + 1] if end > 0 else ""
            array = _parse_nested(body) if end > 0 else None
            if array is not None:
                integers = _only_integers(body)
                dtype = INTEGER if integers else None
                after = end + 1
                if prefix:
                    suffix = _ARRAY_SUFFIX.match(text[after:])
                    if suffix is None:
                        array = None
                    else:
                        # NumPy prints no dtype for its defaults, int64 and float64.
                        default = INTEGER if integers else "float64"
                        dtype = suffix["dtype"] or default
                        after += suffix.end()
                if array is not None:
                    items.append(Item("array", array, tuple(array.shape), dtype))
                    pieces.append(PLACEHOLDERS["array"])
                    position = after
                    continue
        number = _SCALAR.match(text, position)
        if number:
            token = number.group()
            dtype = INTEGER if _INTEGER.fullmatch(token) else None
            items.append(Item("number", float(token), dtype=dtype))
            pieces.append(PLACEHOLDERS["number"])
            position = number.end()
            continue
        pieces.append(text[position])
        position += 1
    return ParsedOutput("".join(pieces), items)


@dataclass
class ItemDifference:
    """How one item differs, in words and numbers."""

    index: int
    kind: str
    message: str
    max_abs: float = 0.0
    max_rel: float = 0.0
    count: int = 0


@dataclass
class Comparison:
    """The outcome of comparing two outputs."""

    status: str
    """``equal``, ``within`` (equal within tolerance) or ``different``."""
    max_abs: float = 0.0
    max_rel: float = 0.0
    differences: list[ItemDifference] = field(default_factory=list)
    skeleton_diff: str | None = None


def _errors(expected: np.ndarray, actual: np.ndarray) -> tuple[float, float]:
    if expected.size == 0:
        return 0.0, 0.0
    both_nan = np.isnan(expected) & np.isnan(actual)
    diff = np.where(both_nan, 0.0, np.abs(expected - actual))
    scale = np.abs(expected)
    rel = np.divide(diff, scale, out=np.where(diff > 0, np.inf, 0.0), where=scale > 0)
    return float(np.nanmax(diff)), float(np.nanmax(rel))


def compare_outputs(
    expected: ParsedOutput,
    actual: ParsedOutput,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-6,
) -> Comparison:
    """Compare two parsed outputs.

    Args:
        expected: The reference output.
        actual: The output under test.
        rtol: Relative tolerance for values.
        atol: Absolute tolerance for values.

    Returns:
        The comparison, with every differing item described.
    """
    if expected.skeleton != actual.skeleton:
        return Comparison(
            "different",
            skeleton_diff=(
                f"expected text:\n{expected.skeleton}\nactual text:\n{actual.skeleton}"
            ),
        )
    differences: list[ItemDifference] = []
    worst_abs = worst_rel = 0.0
    exact = True
    for index, (want, got) in enumerate(zip(expected.items, actual.items)):
        if want.kind != got.kind:
            differences.append(
                ItemDifference(
                    index, want.kind, f"expected a {want.kind}, got a {got.kind}"
                )
            )
            continue
        if want.kind == "tensor":
            if (want.name, want.shape, want.dtype) != (got.name, got.shape, got.dtype):
                differences.append(
                    ItemDifference(
                        index,
                        "tensor",
                        f"expected tensor {want.name} shape {want.shape} {want.dtype}, "
                        f"got {got.name} shape {got.shape} {got.dtype}",
                    )
                )
            continue
        if want.kind == "array" and (
            want.shape != got.shape or want.dtype != got.dtype
        ):
            differences.append(
                ItemDifference(
                    index,
                    "array",
                    f"expected array shape {want.shape} dtype {want.dtype}, got shape "
                    f"{got.shape} dtype {got.dtype}",
                )
            )
            continue
        if want.kind == "number" and want.dtype != got.dtype:
            kinds = {INTEGER: "an integer", None: "a float"}
            differences.append(
                ItemDifference(
                    index,
                    "number",
                    f"expected {kinds[want.dtype]} ({want.value:g}), got "
                    f"{kinds[got.dtype]} ({got.value:g})",
                )
            )
            continue
        a = np.asarray(want.value, dtype=np.float64)
        b = np.asarray(got.value, dtype=np.float64)
        if np.array_equal(a, b, equal_nan=True):
            continue
        exact = False
        max_abs, max_rel = _errors(a, b)
        worst_abs, worst_rel = max(worst_abs, max_abs), max(worst_rel, max_rel)
        if want.dtype == INTEGER:
            close = np.equal(a, b)
        else:
            close = np.isclose(b, a, rtol=rtol, atol=atol, equal_nan=True)
        if not np.all(close):
            count = int(np.size(close) - np.count_nonzero(close))
            bound = (
                "integers differ"
                if want.dtype == INTEGER
                else (f"values differ beyond rtol={rtol}, atol={atol}")
            )
            differences.append(
                ItemDifference(
                    index,
                    want.kind,
                    f"{count} of {np.size(close)} {bound}: "
                    f"max abs error {max_abs:.3g}, max rel error "
                    f"{max_rel:.3g}; expected {_preview(a)}, got {_preview(b)}",
                    max_abs,
                    max_rel,
                    count,
                )
            )
    if differences:
        return Comparison("different", worst_abs, worst_rel, differences)
    return Comparison("equal" if exact else "within", worst_abs, worst_rel)


def _preview(values: np.ndarray) -> str:
    return np.array2string(values, threshold=12, precision=6, separator=", ")
