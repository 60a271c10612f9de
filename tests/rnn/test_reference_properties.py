"""Property tests: the ``compat.rnn`` shim against the NumPy reference.

Each hypothesis example draws shapes, cell options, a stack of 1-3 layers, state
layouts, sequence lengths and a weight seed, runs the shim in float32 (in a fresh
TF1 graph or eagerly) with weights set to known values, and compares outputs and
final state with :mod:`tests.rnn.reference` computed in float64 from the same
float32-rounded numbers. The shim tests take the conftest ``tf`` fixture, which
turns TF32 off so that GPU matmuls stay within the float32 tolerance.

The reference's own tests carry no ``tf`` marker: ``-m "not tf"`` runs only them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.rnn import reference as ref

ATOL = 1e-5
RTOL = 1e-5
SIGMOID_1 = 0.7310585786300049


# ---------------------------------------------------------------------------
# The reference against hand-computed values.
# ---------------------------------------------------------------------------


def _sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def test_reference_zero_weights_single_step() -> None:
    """Zero kernel and bias: every gate is sigmoid(0) = 0.5 except f = sigmoid(1)."""
    x = np.array([[2.0]])
    c = np.array([[1.0, -2.0, 0.5]])
    h = np.array([[0.3, -0.7, 0.1]])
    out, (new_c, new_h) = ref.lstm_step(x, c, h, np.zeros([4, 12]), np.zeros([12]))
    # c' = sigmoid(1) * c + sigmoid(0) * tanh(0); h' = sigmoid(0) * tanh(c').
    expected_c = np.array(
        [[0.7310585786300049, -1.4621171572600098, 0.36552928931500245]]
    )
    expected_h = np.array(
        [[0.3118562749129378, -0.44903150573044787, 0.17503752737682368]]
    )
    np.testing.assert_allclose(new_c, expected_c, rtol=1e-15, atol=0)
    np.testing.assert_allclose(new_h, expected_h, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(out, new_h)


def test_reference_zero_weights_three_steps_decay() -> None:
    """With zero weights ``dynamic_rnn`` multiplies c by sigmoid(1) each step."""
    c0 = np.array([[1.5], [-0.25]])
    inputs = np.ones([2, 3, 2])

    def step(x: ref.Array, state: Any) -> tuple[ref.Array, Any]:
        c, h = state
        return ref.lstm_step(x, c, h, np.zeros([3, 4]), np.zeros([4]))

    outputs, (c3, h3) = ref.dynamic_rnn(step, inputs, (c0, np.zeros([2, 1])))
    np.testing.assert_allclose(c3, c0 * 0.3907118049313079, rtol=1e-14)
    np.testing.assert_allclose(h3, 0.5 * np.tanh(c0 * 0.3907118049313079), rtol=1e-14)
    expected_h1 = 0.5 * np.tanh(c0 * SIGMOID_1)
    np.testing.assert_allclose(outputs[:, 0, :], expected_h1, rtol=1e-14)


def test_reference_gate_order_i_j_f_o() -> None:
    """Distinct per-gate pre-activations pin down the i, j, f, o column order."""
    x = np.array([[1.0]])
    c = np.array([[0.8]])
    h = np.array([[-0.5]])
    # Row 0 multiplies x, row 1 multiplies h; columns are i, j, f, o.
    kernel = np.array([[0.5, -0.25, 2.0, -1.0], [0.2, 0.6, -0.4, 0.8]])
    bias = np.array([0.1, 0.3, -0.2, 0.05])
    zi = 0.5 * 1.0 + 0.2 * -0.5 + 0.1
    zj = -0.25 * 1.0 + 0.6 * -0.5 + 0.3
    zf = 2.0 * 1.0 - 0.4 * -0.5 - 0.2
    zo = -1.0 * 1.0 + 0.8 * -0.5 + 0.05
    c_new = _sig(zf + 0.5) * 0.8 + _sig(zi) * math.tanh(zj)
    h_new = _sig(zo) * math.tanh(c_new)
    out, (new_c, new_h) = ref.lstm_step(x, c, h, kernel, bias, forget_bias=0.5)
    assert new_c[0, 0] == pytest.approx(c_new, rel=1e-14)
    assert new_h[0, 0] == pytest.approx(h_new, rel=1e-14)
    assert out[0, 0] == pytest.approx(h_new, rel=1e-14)


def test_reference_peepholes_clip_projection() -> None:
    """Peepholes, cell clip, projection and projection clip, unit by unit."""
    x = np.array([[0.7]])
    c = np.array([[1.2, -0.9]])
    h = np.array([[0.4]])  # num_proj = 1
    rng = np.random.default_rng(7)
    kernel = rng.uniform(-1, 1, size=[2, 8])
    bias = rng.uniform(-1, 1, size=[8])
    wf, wi, wo = np.array([0.3, -0.6]), np.array([-0.2, 0.9]), np.array([0.5, 0.1])
    proj = np.array([[1.7], [-2.3]])
    z = [0.7 * kernel[0, k] + 0.4 * kernel[1, k] + bias[k] for k in range(8)]
    c_new, m = [], []
    for u in range(2):
        zi, zj, zf, zo = z[u], z[2 + u], z[4 + u], z[6 + u]
        cu = _sig(zf + 1.0 + wf[u] * c[0, u]) * c[0, u]
        cu += _sig(zi + wi[u] * c[0, u]) * math.tanh(zj)
        cu = min(max(cu, -0.6), 0.6)
        c_new.append(cu)
        m.append(_sig(zo + wo[u] * cu) * math.tanh(cu))
    projected = m[0] * 1.7 + m[1] * -2.3
    for proj_clip, expected_h in (
        (None, projected),
        (0.05, math.copysign(0.05, projected)),
    ):
        out, (new_c, new_h) = ref.lstm_step(
            x,
            c,
            h,
            kernel,
            bias,
            w_f_diag=wf,
            w_i_diag=wi,
            w_o_diag=wo,
            cell_clip=0.6,
            proj_kernel=proj,
            proj_clip=proj_clip,
        )
        np.testing.assert_allclose(new_c[0], c_new, rtol=1e-14)
        assert new_h.shape == (1, 1)
        assert new_h[0, 0] == pytest.approx(expected_h, rel=1e-14)
        np.testing.assert_array_equal(out, new_h)
    assert abs(projected) > 0.05, "the clip case must actually clip"


def test_reference_dynamic_rnn_masking_and_time_major() -> None:
    """Outputs past the length are zero; the state stops at the last valid step."""

    # State (a, (b,)): a accumulates x, b doubles; the output is 10 * new a.
    def step(x: ref.Array, state: Any) -> tuple[ref.Array, Any]:
        a, (b,) = state
        return 10.0 * (a + x), (a + x, (2.0 * b,))

    inputs = np.arange(1.0, 10.0).reshape([3, 3, 1])  # batch 3, time 3
    init = (np.zeros([3, 1]), (np.ones([3, 1]),))
    lengths = [0, 2, 3]
    outputs, (a, (b,)) = ref.dynamic_rnn(step, inputs, init, sequence_length=lengths)
    expected_outputs = np.array(
        [[[0.0], [0.0], [0.0]], [[40.0], [90.0], [0.0]], [[70.0], [150.0], [240.0]]]
    )
    np.testing.assert_array_equal(outputs, expected_outputs)
    np.testing.assert_array_equal(a, [[0.0], [9.0], [24.0]])
    np.testing.assert_array_equal(b, [[1.0], [4.0], [8.0]])
    tm_outputs, (tm_a, (tm_b,)) = ref.dynamic_rnn(
        step, inputs.transpose(1, 0, 2), init, sequence_length=lengths, time_major=True
    )
    np.testing.assert_array_equal(tm_outputs, expected_outputs.transpose(1, 0, 2))
    np.testing.assert_array_equal(tm_a, a)
    np.testing.assert_array_equal(tm_b, b)
    full_outputs, _ = ref.dynamic_rnn(step, inputs, init)
    assert full_outputs[0, 2, 0] == 10.0 * (1.0 + 2.0 + 3.0)


def test_reference_state_concat_round_trip() -> None:
    """``concat_state`` and the split helpers invert each other."""
    rng = np.random.default_rng(3)
    sizes = [(3, 2), (1, 1), (4, 4)]
    stack = tuple(
        (rng.normal(size=[2, cs]), rng.normal(size=[2, hs])) for cs, hs in sizes
    )
    flat = ref.concat_state(stack)
    assert flat.shape == (2, 15)
    np.testing.assert_array_equal(flat[:, :3], stack[0][0])
    np.testing.assert_array_equal(flat[:, 3:5], stack[0][1])
    for (c, h), (c2, h2) in zip(stack, ref.split_stack_state(flat, sizes), strict=True):
        np.testing.assert_array_equal(c, c2)
        np.testing.assert_array_equal(h, h2)
    last_c, last_h = ref.split_lstm_state(ref.concat_state(stack[2]), 4)
    np.testing.assert_array_equal(last_c, stack[2][0])
    np.testing.assert_array_equal(last_h, stack[2][1])


def test_reference_computes_in_input_dtype() -> None:
    """float32 arrays give float32 results unless a dtype is forced."""
    args = [np.full([1, k], 0.1, dtype=np.float32) for k in (2, 1, 1)]
    weights = [np.full([3, 4], 0.2, dtype=np.float32), np.zeros([4], dtype=np.float32)]
    out32, (c32, _) = ref.lstm_step(*args, *weights)
    out64, (c64, _) = ref.lstm_step(*args, *weights, dtype=np.float64)
    assert out32.dtype == np.float32 and c32.dtype == np.float32
    assert out64.dtype == np.float64 and c64.dtype == np.float64
    np.testing.assert_allclose(out32, out64, rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    batch=st.integers(1, 4),
    time=st.integers(1, 6),
    data=st.data(),
)
def test_reference_lengths_match_truncated_runs(
    seed: int, batch: int, time: int, data: st.DataObject
) -> None:
    """Masked ``dynamic_rnn`` equals running each entry on its own prefix."""
    lengths = data.draw(st.lists(st.integers(0, time), min_size=batch, max_size=batch))
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=[batch, time, 2])
    params = ref.LSTMParams(kernel=rng.normal(size=[5, 12]), bias=rng.normal(size=[12]))
    init = (rng.normal(size=[batch, 3]), rng.normal(size=[batch, 3]))

    def step(x: ref.Array, state: Any) -> tuple[ref.Array, Any]:
        c, h = state
        return ref.lstm_step(x, c, h, **params)

    outputs, (c, h) = ref.dynamic_rnn(step, inputs, init, sequence_length=lengths)
    for b, length in enumerate(lengths):
        state_b: Any = (init[0][b : b + 1], init[1][b : b + 1])
        for t in range(length):
            out_b, state_b = step(inputs[b : b + 1, t], state_b)
            np.testing.assert_allclose(outputs[b, t], out_b[0], rtol=1e-12)
        np.testing.assert_array_equal(outputs[b, length:], 0.0)
        np.testing.assert_allclose(c[b], state_b[0][0], rtol=1e-12)
        np.testing.assert_allclose(h[b], state_b[1][0], rtol=1e-12)


# ---------------------------------------------------------------------------
# The shim against the reference.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LayerSpec:
    """Constructor options of one cell."""

    basic: bool
    num_units: int
    use_peepholes: bool
    cell_clip: float | None
    num_proj: int | None
    proj_clip: float | None
    forget_bias: float
    state_is_tuple: bool
    relu: bool

    @property
    def h_depth(self) -> int:
        """Width of the cell's output and of ``h``."""
        return self.num_proj if self.num_proj is not None else self.num_units

    def variable_suffixes(self) -> list[str]:
        """Last name components of the cell's variables, in creation order."""
        names = ["kernel", "bias"]
        if self.use_peepholes:
            names += ["w_f_diag", "w_i_diag", "w_o_diag"]
        if self.num_proj is not None:
            names.append("projection/kernel")
        return names


@dataclass(frozen=True)
class Case:
    """One drawn comparison."""

    batch: int
    time: int
    depth: int
    layers: tuple[LayerSpec, ...]
    use_multi: bool
    multi_state_is_tuple: bool
    time_major: bool
    sequence_length: tuple[int, ...] | None
    pass_initial_state: bool
    placeholders: bool
    seed: int


def _f32(value: float) -> float:
    # The shim turns Python floats into float32 tensors; the reference gets the same
    # rounded number so that only the arithmetic precision differs.
    return float(np.float32(value))


# Small enough that clipping often bites.
_positive_clip = st.floats(0.05, 1.0).map(_f32)


@st.composite
def _layer_specs(draw: st.DrawFn) -> LayerSpec:
    # LSTMCell has the options worth exploring, so it gets two draws in three.
    basic = draw(st.sampled_from([True, False, False]))
    num_units = draw(st.integers(1, 6))
    forget_bias = draw(st.sampled_from([1.0, 0.0]) | st.floats(-2.0, 2.0).map(_f32))
    state_is_tuple = draw(st.booleans())
    relu = draw(st.booleans())
    if basic:
        return LayerSpec(
            True, num_units, False, None, None, None, forget_bias, state_is_tuple, relu
        )
    num_proj = draw(st.none() | st.integers(1, 6))
    return LayerSpec(
        basic=False,
        num_units=num_units,
        use_peepholes=draw(st.booleans()),
        cell_clip=draw(st.none() | _positive_clip),
        num_proj=num_proj,
        proj_clip=None if num_proj is None else draw(st.none() | _positive_clip),
        forget_bias=forget_bias,
        state_is_tuple=state_is_tuple,
        relu=relu,
    )


@st.composite
def _cases(draw: st.DrawFn) -> Case:
    batch = draw(st.integers(1, 4))
    time = draw(st.integers(1, 6))
    layers = tuple(draw(st.lists(_layer_specs(), min_size=1, max_size=3)))
    use_multi = len(layers) > 1 or draw(st.booleans())
    # TF1's MultiRNNCell rejects tuple-state cells unless it is tuple-state itself.
    if any(spec.state_is_tuple for spec in layers):
        multi_state_is_tuple = True
    else:
        multi_state_is_tuple = draw(st.booleans())
    lengths = st.lists(st.integers(0, time), min_size=batch, max_size=batch).map(tuple)
    return Case(
        batch=batch,
        time=time,
        depth=draw(st.integers(1, 5)),
        layers=layers,
        use_multi=use_multi,
        multi_state_is_tuple=multi_state_is_tuple,
        time_major=draw(st.booleans()),
        sequence_length=draw(st.none() | lengths),
        pass_initial_state=draw(st.booleans()),
        placeholders=draw(st.booleans()),
        seed=draw(st.integers(0, 2**32 - 1)),
    )


@dataclass
class Drawn:
    """Float32-representable numbers for one case, held in float64."""

    inputs: ref.Array  # in the case's layout (time-major or not)
    layer_params: list[ref.LSTMParams]
    variable_values: list[ref.Array]  # in the shim's variable creation order
    initial_state: tuple[tuple[ref.Array, ref.Array], ...]


def _draw_numbers(case: Case) -> Drawn:
    """Draws inputs, weights and initial state from the case's seed."""
    rng = np.random.default_rng(case.seed)

    def f32(shape: list[int], scale: float = 1.0) -> ref.Array:
        values = rng.uniform(-scale, scale, size=shape).astype(np.float32)
        return values.astype(np.float64)

    shape = [case.time, case.batch] if case.time_major else [case.batch, case.time]
    inputs = f32([*shape, case.depth], 2.0)
    layer_params: list[ref.LSTMParams] = []
    values: list[ref.Array] = []
    initial_state = []
    in_depth = case.depth
    for spec in case.layers:
        params = ref.LSTMParams(
            kernel=f32([in_depth + spec.h_depth, 4 * spec.num_units]),
            bias=f32([4 * spec.num_units]),
            forget_bias=spec.forget_bias,
            cell_clip=spec.cell_clip,
            proj_clip=spec.proj_clip,
            dtype=np.float64,
        )
        if spec.relu:
            params["activation"] = lambda v: np.maximum(v, 0.0)
        values += [params["kernel"], params["bias"]]
        if spec.use_peepholes:
            peepholes = [f32([spec.num_units]) for _ in range(3)]
            params["w_f_diag"], params["w_i_diag"], params["w_o_diag"] = peepholes
            values += peepholes
        if spec.num_proj is not None:
            # Wide enough that the projected output often exceeds proj_clip.
            proj_kernel = f32([spec.num_units, spec.num_proj], 2.0)
            params["proj_kernel"] = proj_kernel
            values.append(proj_kernel)
        layer_params.append(params)
        if case.pass_initial_state:
            c0, h0 = f32([case.batch, spec.num_units]), f32([case.batch, spec.h_depth])
        else:
            c0, h0 = (
                np.zeros([case.batch, spec.num_units]),
                np.zeros([case.batch, spec.h_depth]),
            )
        initial_state.append((c0, h0))
        in_depth = spec.h_depth
    return Drawn(inputs, layer_params, values, tuple(initial_state))


def _layout(
    case: Case,
    states: tuple[tuple[Any, Any], ...],
    pair: Callable[..., Any],
    concat: Callable[[list[Any]], Any],
) -> Any:
    """Arranges per-layer ``(c, h)`` as the shim's cell or stack lays out its state."""
    per_layer = [
        pair(c, h) if spec.state_is_tuple else concat([c, h])
        for spec, (c, h) in zip(case.layers, states, strict=True)
    ]
    if not case.use_multi:
        return per_layer[0]
    return tuple(per_layer) if case.multi_state_is_tuple else concat(per_layer)


def _expected(
    case: Case, drawn: Drawn
) -> tuple[ref.Array, tuple[tuple[ref.Array, ref.Array], ...]]:
    """Reference outputs and per-layer final ``(c, h)``, in float64."""

    def step(x: ref.Array, state: Any) -> tuple[ref.Array, Any]:
        return ref.multi_step(x, state, drawn.layer_params)

    return ref.dynamic_rnn(
        step,
        drawn.inputs,
        drawn.initial_state,
        sequence_length=case.sequence_length,
        time_major=case.time_major,
    )


def _build_cell(tf: Any, rnn: Any, case: Case) -> Any:
    """Fresh shim cells for the case: one cell or a ``MultiRNNCell``."""
    cells = []
    for spec in case.layers:
        activation = tf.nn.relu if spec.relu else None
        if spec.basic:
            cells.append(
                rnn.BasicLSTMCell(
                    spec.num_units,
                    forget_bias=spec.forget_bias,
                    state_is_tuple=spec.state_is_tuple,
                    activation=activation,
                )
            )
        else:
            cells.append(
                rnn.LSTMCell(
                    spec.num_units,
                    use_peepholes=spec.use_peepholes,
                    cell_clip=spec.cell_clip,
                    num_proj=spec.num_proj,
                    proj_clip=spec.proj_clip,
                    forget_bias=spec.forget_bias,
                    state_is_tuple=spec.state_is_tuple,
                    activation=activation,
                )
            )
    if case.use_multi:
        return rnn.MultiRNNCell(cells, state_is_tuple=case.multi_state_is_tuple)
    return cells[0]


def _check_variables(case: Case, variables: list[Any], values: list[ref.Array]) -> None:
    """Checks count, shapes and name suffixes before weights are set by position."""
    suffixes = [s for spec in case.layers for s in spec.variable_suffixes()]
    names = [v.name for v in variables]
    shapes = [tuple(v.shape.as_list()) for v in variables]
    assert len(variables) == len(values), f"variables {names}, expected {suffixes}"
    for name, shape, suffix, value in zip(names, shapes, suffixes, values, strict=True):
        assert name.split(":")[0].endswith("/" + suffix), f"{names} vs {suffixes}"
        assert shape == value.shape, f"{name}: shape {shape}, expected {value.shape}"


def _assert_state_close(
    actual: Any, expected: Any, lstm_tuple: type, where: str
) -> None:
    """Compares a fetched state with the expected one, structure and values."""
    if isinstance(expected, lstm_tuple):
        assert isinstance(actual, lstm_tuple), (
            f"{where}: {type(actual)} not LSTMStateTuple"
        )
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected), (
            f"{where}: got {type(actual).__name__} of {len(actual)} for a tuple of "
            f"{len(expected)}"
        )
        for k, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _assert_state_close(a, e, lstm_tuple, f"{where}[{k}]")
        return
    actual = np.asarray(actual)
    assert actual.dtype == np.float32, f"{where}: dtype {actual.dtype}"
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL, err_msg=where)


def _state_layout(rnn: Any, case: Case, states: tuple[tuple[Any, Any], ...]) -> Any:
    """Lays out NumPy per-layer ``(c, h)`` as the shim's cell or stack does."""
    return _layout(
        case, states, rnn.LSTMStateTuple, lambda parts: ref.concat_state(tuple(parts))
    )


def _shim_initial_state(tf: Any, rnn: Any, case: Case, drawn: Drawn) -> Any:
    """The drawn initial state as float32 tensors, or None to let the shim use zeros."""
    if not case.pass_initial_state:
        return None
    return tf.nest.map_structure(
        lambda a: tf.constant(a, tf.float32),
        _state_layout(rnn, case, drawn.initial_state),
    )


def _run_graph(tf: Any, rnn: Any, case: Case, drawn: Drawn) -> tuple[Any, Any]:
    """Builds the case in a fresh graph, loads the weights, fetches the results."""
    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        feed: dict[Any, Any] = {}
        inputs_np = drawn.inputs.astype(np.float32)
        lengths_np = None
        if case.sequence_length is not None:
            lengths_np = np.array(case.sequence_length, dtype=np.int32)
        if case.placeholders:
            inputs = v1.placeholder(tf.float32, [None, None, case.depth])
            feed[inputs] = inputs_np
            lengths: Any = None
            if lengths_np is not None:
                lengths = v1.placeholder(tf.int32, [None])
                feed[lengths] = lengths_np
        else:
            inputs, lengths = tf.constant(inputs_np), lengths_np
        initial_state = _shim_initial_state(tf, rnn, case, drawn)
        cell = _build_cell(tf, rnn, case)
        outputs, final_state = rnn.dynamic_rnn(
            cell,
            inputs,
            sequence_length=lengths,
            initial_state=initial_state,
            dtype=tf.float32,
            time_major=case.time_major,
        )
        assert outputs.shape[-1] == case.layers[-1].h_depth
        _check_variables(case, list(cell.variables), drawn.variable_values)
        with v1.Session(graph=graph) as sess:
            sess.run(v1.global_variables_initializer())
            for variable, value in zip(
                cell.variables, drawn.variable_values, strict=True
            ):
                variable.load(value.astype(np.float32), sess)
            outputs_np, final_state_np = sess.run(
                (outputs, final_state), feed_dict=feed
            )
            return outputs_np, final_state_np


def _run_eager(tf: Any, rnn: Any, case: Case, drawn: Drawn) -> tuple[Any, Any]:
    """Runs the case eagerly: once to create the variables, again after setting them."""
    assert tf.executing_eagerly()
    initial_state = _shim_initial_state(tf, rnn, case, drawn)
    lengths = None
    if case.sequence_length is not None:
        lengths = tf.constant(case.sequence_length, tf.int32)
    cell = _build_cell(tf, rnn, case)
    inputs = tf.constant(drawn.inputs.astype(np.float32))

    def run() -> Any:
        return rnn.dynamic_rnn(
            cell,
            inputs,
            sequence_length=lengths,
            initial_state=initial_state,
            dtype=tf.float32,
            time_major=case.time_major,
        )

    run()  # creates the variables
    variables = list(cell.variables)
    _check_variables(case, variables, drawn.variable_values)
    for variable, value in zip(variables, drawn.variable_values, strict=True):
        variable.assign(value.astype(np.float32))
    outputs, final_state = run()
    assert [id(v) for v in cell.variables] == [id(v) for v in variables], (
        "a second call must reuse the cell's variables"
    )
    return outputs.numpy(), tf.nest.map_structure(lambda t: t.numpy(), final_state)


@pytest.mark.tf
# Concatenated states are deprecated TF1 behaviour and the shim says so; this test is
# about their values, not the notice.
@pytest.mark.filterwarnings(
    "ignore:.*state_is_tuple=False:compat.errors.TF1DeprecationWarning"
)
@pytest.mark.parametrize("mode", ["graph", "eager"])
@settings(max_examples=25, deadline=None)
@given(case=_cases())
def test_shim_matches_reference(tf: Any, mode: str, case: Case) -> None:
    """Outputs and final state of ``compat.rnn.dynamic_rnn`` match the reference."""
    from compat import rnn

    drawn = _draw_numbers(case)
    expected_outputs, expected_states = _expected(case, drawn)
    if mode == "graph":
        outputs, final_state = _run_graph(tf, rnn, case, drawn)
    else:
        outputs, final_state = _run_eager(tf, rnn, case, drawn)
    outputs = np.asarray(outputs)
    assert outputs.dtype == np.float32
    assert outputs.shape == expected_outputs.shape
    np.testing.assert_allclose(
        outputs, expected_outputs, rtol=RTOL, atol=ATOL, err_msg="outputs"
    )
    expected_final = _state_layout(rnn, case, expected_states)
    _assert_state_close(final_state, expected_final, rnn.LSTMStateTuple, "final_state")


_NAME_CASES = {
    "lstm_peephole_proj": (
        [LayerSpec(False, 3, True, 1.0, 2, 0.5, 1.0, True, False)],
        False,
        [
            "rnn/lstm_cell/kernel:0",
            "rnn/lstm_cell/bias:0",
            "rnn/lstm_cell/w_f_diag:0",
            "rnn/lstm_cell/w_i_diag:0",
            "rnn/lstm_cell/w_o_diag:0",
            "rnn/lstm_cell/projection/kernel:0",
        ],
    ),
    "basic": (
        [LayerSpec(True, 3, False, None, None, None, 1.0, True, False)],
        False,
        ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"],
    ),
    "multi": (
        [
            LayerSpec(False, 2, False, None, 4, None, 1.0, True, False),
            LayerSpec(True, 3, False, None, None, None, 1.0, True, False),
        ],
        True,
        [
            "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0",
            "rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0",
            "rnn/multi_rnn_cell/cell_0/lstm_cell/projection/kernel:0",
            "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0",
            "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0",
        ],
    ),
}


@pytest.mark.tf
@pytest.mark.parametrize("mode", ["graph", "eager"])
@pytest.mark.parametrize("name", sorted(_NAME_CASES))
def test_shim_variable_names_and_order(tf: Any, mode: str, name: str) -> None:
    """Variables carry TF1's names, in the creation order the value tests rely on."""
    from compat import rnn

    layers, use_multi, expected_names = _NAME_CASES[name]
    case = Case(2, 3, 4, tuple(layers), use_multi, True, False, None, False, False, 0)
    inputs = np.zeros([2, 3, 4], dtype=np.float32)
    if mode == "graph":
        with tf.Graph().as_default():
            cell = _build_cell(tf, rnn, case)
            rnn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
            names = [v.name for v in cell.variables]
    else:
        cell = _build_cell(tf, rnn, case)
        rnn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
        names = [v.name for v in cell.variables]
    assert names == expected_names
