"""Properties of the converter over generated code (hypothesis).

1. Code that does not import TensorFlow comes back byte-identical.
2. Converting converted code changes nothing (idempotence), and the output
   still parses.
"""

from __future__ import annotations

import keyword

import libcst as cst
from hypothesis import given, settings
from hypothesis import strategies as st

from compat.convert.notebook import convert_python_text
from compat.convert.tf1_api import NEEDS_COMPAT_V1, SAME_IN_TF2

IDENTIFIERS = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: not keyword.iskeyword(s) and s not in ("print", "exec")
)
SPACES = st.sampled_from(["", " ", "  ", "\t"])
COMMENTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=12
).map(lambda t: f"# {t}")
STRINGS = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=8
).map(repr)


@st.composite
def expressions(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return str(draw(st.integers(-1000, 1000)))
    if kind == 1:
        return draw(STRINGS)
    if kind == 2:
        # Attribute chains that look like TF but are not: nothing imports it.
        return (
            f"{draw(IDENTIFIERS)}.{draw(st.sampled_from(sorted(NEEDS_COMPAT_V1)[:50]))}"
        )
    if kind == 3:
        inner = draw(st.lists(IDENTIFIERS, max_size=3))
        return f"{draw(IDENTIFIERS)}({', '.join(inner)})"
    return f"[{draw(IDENTIFIERS)}{draw(SPACES)}for {draw(IDENTIFIERS)} in range(3)]"


@st.composite
def programs_without_tensorflow(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 4))
        if kind == 0:
            lines.append(
                f"{draw(IDENTIFIERS)}{draw(SPACES)}={draw(SPACES)}{draw(expressions())}"
            )
        elif kind == 1:
            lines.append(draw(COMMENTS))
        elif kind == 2:
            lines.append("")
        elif kind == 3:
            lines.append(f"def {draw(IDENTIFIERS)}({draw(IDENTIFIERS)}):")
            lines.append(f"    return {draw(expressions())}  {draw(COMMENTS)}")
        else:
            lines.append(
                f"import {draw(st.sampled_from(['numpy as np', 'os', 'math']))}"
            )
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


RNN_USES = [
    "tf.contrib.rnn.BasicLSTMCell(4)",
    "tf.contrib.rnn.LSTMCell(3, use_peepholes=True)",
    "tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.LSTMCell(2)])",
    "tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)",
    "tf.contrib.rnn.LSTMStateTuple(c, h)",
    "rnn.LSTMCell(2)",
]
TF_NAMES = sorted(n for n in NEEDS_COMPAT_V1 | SAME_IN_TF2 if n.count(".") <= 1)
IMPORTS = [
    "import tensorflow as tf",
    "from tensorflow.contrib import rnn",
    "import tensorflow.contrib.rnn as rnn",
    "from tensorflow import placeholder",
]


@st.composite
def tf1_programs(draw: st.DrawFn) -> str:
    lines = ["import numpy as np"]
    lines += draw(
        st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=3, unique=True)
    )
    for index in range(draw(st.integers(1, 8))):
        if draw(st.booleans()):
            use = draw(st.sampled_from(RNN_USES))
        else:
            use = f"tf.{draw(st.sampled_from(TF_NAMES))}"
        lines.append(
            f"v{index} = {use}{draw(SPACES)}{draw(st.sampled_from(['', '  # note']))}"
        )
    if draw(st.booleans()):
        lines.append("print v0")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None)
@given(programs_without_tensorflow())
def test_code_without_tensorflow_is_byte_identical(source: str) -> None:
    result = convert_python_text(source, "generated.py")
    assert result.output == source
    assert result.status == "unchanged"
    assert result.changes == []


@settings(max_examples=150, deadline=None)
@given(tf1_programs())
def test_conversion_is_idempotent_and_parses(source: str) -> None:
    once = convert_python_text(source, "generated.py")
    assert once.output is not None
    cst.parse_module(once.output)
    twice = convert_python_text(once.output, "generated.py")
    assert twice.output == once.output
    assert twice.changes == []
