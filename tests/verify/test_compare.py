"""Output parsing and comparison: the normalisation rules and the verdicts."""

from __future__ import annotations

import numpy as np
import pytest

from compat.verify.compare import compare_outputs, normalize_text, parse_output

STATE = (
    "LSTMStateTuple(c=array([[-0.02454753,  0.34984243]],\n      dtype=float32), "
    "h=array([[-0.01013183,  0.295245  ]],\n      dtype=float32))\n"
)


def test_volatile_text_is_normalised() -> None:
    text = (
        "I0000 00:00:1796403036.716955    9951 port.cc:153] oneDNN custom ops\n"
        "WARNING:tensorflow:From x.py:3: calling foo is deprecated.\n"
        "Instructions for updating:\nUse bar instead\n"
        "INFO:tensorflow:Restoring parameters from ./model.ckpt\n"
        "CPU times: user 1.2 s, sys: 3 ms, total: 1.2 s\n"
        "Wall time: 1.31 s\n"
        "<Foo object at 0x7f3a2b1c0d90>   \n"
        "loss   0.5\n"
    )
    assert normalize_text(text) == "<Foo object at 0x?>\nloss 0.5"


def test_arrays_tensors_and_numbers_are_parsed() -> None:
    parsed = parse_output(
        STATE + 'Tensor("rnn/transpose_1:0", shape=(?, ?, 5), dtype=float32)\n'
        "<tf.Tensor 'zeros:0' shape=(1, 4) dtype=float32>\n[[1. 2.]\n [3. 4.]]\n"
        "step 10 loss 0.25 cell_0\n"
    )
    assert parsed.skeleton == (
        "LSTMStateTuple(c=<array>, h=<array>)\n<tensor>\n<tensor>\n<array>\n"
        "step <number> loss <number> cell_0"
    )
    kinds = [(i.kind, i.shape, i.dtype, i.name) for i in parsed.items]
    assert kinds == [
        ("array", (1, 2), "float32", None),
        ("array", (1, 2), "float32", None),
        ("tensor", (None, None, 5), "float32", "rnn/transpose_1:0"),
        ("tensor", (1, 4), "float32", "zeros:0"),
        ("array", (2, 2), None, None),
        ("number", None, "int", None),
        ("number", None, None, None),
    ]
    np.testing.assert_array_equal(parsed.items[4].value, [[1, 2], [3, 4]])


def test_question_mark_and_none_shapes_are_equal() -> None:
    a = parse_output('Tensor("x:0", shape=(?, 3), dtype=float32)')
    b = parse_output('Tensor("x:0", shape=(None, 3), dtype=float32)')
    assert compare_outputs(a, b).status == "equal"


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (STATE, "equal"),
        (STATE.replace("0.34984243", "0.34984244"), "within"),
        (STATE.replace("0.34984243", "0.35984243"), "different"),
        (STATE.replace("dtype=float32)", "dtype=float64)", 1), "different"),
        (STATE.replace("LSTMStateTuple", "StateTuple"), "different"),
    ],
)
def test_verdicts(actual: str, status: str) -> None:
    comparison = compare_outputs(parse_output(STATE), parse_output(actual))
    assert comparison.status == status


def test_differences_report_count_and_errors() -> None:
    comparison = compare_outputs(
        parse_output("[1.0 2.0 3.0]"), parse_output("[1.0 2.5 3.0]"), rtol=0, atol=0.1
    )
    (difference,) = comparison.differences
    assert difference.count == 1
    assert difference.max_abs == pytest.approx(0.5)
    assert difference.max_rel == pytest.approx(0.25)
    assert "1 of 3 values differ" in difference.message


def test_shape_mismatch_and_nan() -> None:
    assert compare_outputs(
        parse_output("[1. 2.]"), parse_output("[[1. 2.]]")
    ).status == ("different")
    assert compare_outputs(
        parse_output("[nan 1.]"), parse_output("[nan 1.]")
    ).status == ("equal")


def test_summarised_numpy_arrays_are_compared_as_text() -> None:
    text = "[0. 0. 0. ... 0. 0. 0.]"
    parsed = parse_output(text)
    assert all(i.kind != "array" for i in parsed.items)


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("steps: 100000", "steps: 100001"),
        ("shape (100000,)", "shape (100001,)"),
        ("[0 1 2]", "[0. 1. 2.]"),
        ("{'a': 1.0}", "{'a': 1}"),
        ("array([1, 2])", "array([1., 2.])"),
    ],
)
def test_integers_match_exactly_and_never_equal_floats(
    expected: str, actual: str
) -> None:
    assert compare_outputs(parse_output(expected), parse_output(actual)).status == (
        "different"
    )
