"""Python 2 ``print`` statements to ``print()`` calls, found by the tokenizer.

Python 2's print statement is no longer valid syntax, so LibCST cannot parse
code that uses it. This pass works on tokens (not on text patterns): a
``print`` name that starts a statement and is not followed by ``(``, ``=``,
``.`` or ``,`` is a statement, which is rewritten in place:

    print x, y      ->  print(x, y)
    print x,        ->  print(x, end=" ")
    print           ->  print()
    print >>f, x    ->  print(x, file=f)

``print (x)`` is left alone: it is valid Python 3 and prints the same.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

__all__ = ["PrintFix", "Translation", "fix_print_statements", "translate_python2"]

_STATEMENT_STARTS = {tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT}
# What may follow `print` in a print statement: the end of the statement or
# the start of an expression. `(` is excluded: `print (x)` is valid Python 3.
_ARGUMENT_TYPES = {
    tokenize.NEWLINE,
    tokenize.ENDMARKER,
    tokenize.COMMENT,
    tokenize.NAME,
    tokenize.NUMBER,
    tokenize.STRING,
    getattr(tokenize, "FSTRING_START", tokenize.STRING),
}
_ARGUMENT_OPS = {"-", "+", "~", ">>", "[", "{"}


@dataclass(frozen=True)
class PrintFix:
    """One rewritten statement (1-based line)."""

    line: int


def _offsets(source: str) -> list[int]:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


def _split_top_level_commas(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    tokens = tokenize.generate_tokens(io.StringIO(text).readline)
    last_end = 0
    try:
        for tok in tokens:
            if tok.type == tokenize.OP and tok.string in "([{":
                depth += 1
            elif tok.type == tokenize.OP and tok.string in ")]}":
                depth -= 1
            elif tok.type == tokenize.OP and tok.string == "," and depth == 0:
                current.append(text[last_end : tok.start[1]])
                parts.append("".join(current))
                current, last_end = [], tok.end[1]
    except (tokenize.TokenError, IndentationError):
        return [text]
    current.append(text[last_end:])
    parts.append("".join(current))
    return parts


def _rewrite(argument_text: str) -> str:
    body = argument_text.strip()
    if not body:
        return "print()"
    target = None
    if body.startswith(">>"):
        parts = _split_top_level_commas(body[2:])
        target, parts = parts[0].strip(), parts[1:]
    else:
        parts = _split_top_level_commas(body)
    trailing_comma = len(parts) > 1 and not parts[-1].strip()
    values = [p.strip() for p in parts if p.strip()]
    arguments = values[:]
    if trailing_comma:
        arguments.append('end=" "')
    if target is not None:
        arguments.append(f"file={target}")
    return "print(" + ", ".join(arguments) + ")"


def fix_print_statements(source: str) -> tuple[str, list[PrintFix]]:
    """Rewrite Python 2 print statements; return the new source and the fixes.

    Code the tokenizer cannot read is returned unchanged, with no fixes.
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source, []
    offsets = _offsets(source)
    edits: list[tuple[int, int, str, int]] = []
    previous = None
    for index, tok in enumerate(tokens):
        starts_statement = (
            previous is None
            or previous.type in _STATEMENT_STARTS
            or (previous.type == tokenize.OP and previous.string in (";", ":"))
        )
        if tok.type == tokenize.NAME and tok.string == "print" and starts_statement:
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            is_statement = (
                following is None
                or following.type in _ARGUMENT_TYPES
                or (following.type == tokenize.OP and following.string in _ARGUMENT_OPS)
            )
            if is_statement:
                end = _statement_end(tokens, index + 1)
                start_offset = offsets[tok.start[0] - 1] + tok.start[1]
                end_offset = offsets[end[0] - 1] + end[1]
                argument = source[offsets[tok.end[0] - 1] + tok.end[1] : end_offset]
                edits.append(
                    (start_offset, end_offset, _rewrite(argument), tok.start[0])
                )
        if tok.type != tokenize.COMMENT:
            previous = tok
    if not edits:
        return source, []
    pieces: list[str] = []
    cursor = 0
    for begin, finish, text, _ in edits:
        pieces.append(source[cursor:begin])
        pieces.append(text)
        cursor = finish
    pieces.append(source[cursor:])
    return "".join(pieces), [PrintFix(line) for *_, line in edits]


def _statement_end(tokens: list[tokenize.TokenInfo], index: int) -> tuple[int, int]:
    """Position where the statement starting before ``tokens[index]`` ends."""
    depth = 0
    last = tokens[index - 1].end
    for tok in tokens[index:]:
        if tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        if depth == 0 and (
            tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER, tokenize.COMMENT)
            or (tok.type == tokenize.OP and tok.string == ";")
        ):
            return last
        if tok.type not in (tokenize.NL,):
            last = tok.end
    return last


@dataclass(frozen=True)
class Translation:
    """Python 2 source made runnable, and what was changed (1-based lines)."""

    source: str
    print_lines: tuple[int, ...]
    idiom_lines: tuple[int, ...]

    def describe(self) -> str | None:
        """One sentence for the user, or None when nothing changed."""
        parts = []
        if self.print_lines:
            parts.append(f"print statements at lines {list(self.print_lines)}")
        if self.idiom_lines:
            parts.append(
                "xrange/raw_input/iteritems-style names at lines "
                f"{list(self.idiom_lines)}"
            )
        return "; ".join(parts) if parts else None


def translate_python2(source: str, filename: str) -> Translation:
    """Make a Python 2 script runnable on Python 3, in memory.

    Raises:
        SyntaxError: If the script does not parse even after the translation;
            the message names the file, line and what to do.
    """
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    from compat.convert.codemods import (
        PYTHON2_METHODS,
        PYTHON2_NAMES,
        Aliases,
        ReplacePython2IdiomsCommand,
    )

    fixed, fixes = source, list[PrintFix]()
    try:
        compile(source, filename, "exec")
    except SyntaxError:
        fixed, fixes = fix_print_statements(source)
    try:
        module = cst.parse_module(fixed)
    except cst.ParserSyntaxError as error:
        raise SyntaxError(
            f"{filename}, line {error.raw_line}: not valid Python 3, and not only "
            f"because of print statements ({error.message.strip()}); it was not "
            "translated. Convert it with `tf1compat convert` and fix the reported "
            "lines by hand."
        ) from None
    idiom_lines: list[int] = []
    if any(word in fixed for word in (*PYTHON2_NAMES, *PYTHON2_METHODS)):
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        command = ReplacePython2IdiomsCommand(Aliases())
        module = module.visit(command)
        idiom_lines = sorted({positions[n].start.line for n in command.replaced})
        if command.changed:
            fixed = module.code
    return Translation(fixed, tuple(f.line for f in fixes), tuple(idiom_lines))
