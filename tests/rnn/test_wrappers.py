"""The RNN cell wrappers against TF1's own numbers, NumPy and their contracts.

``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper`` are replayed
against tests/rnn/fixtures_wrappers (written from TF1's wrapper code by
tests/oracle/make_wrapper_fixtures.py): in v1 graph mode with the same
graph-level seed, names and static shapes exactly, dropout masks (which
entries are zero) exactly, values within 1e-6; cases without dropout also
eagerly and in ``tf.function``. The contrib wrappers, which tf-keras does not
keep, are checked against a NumPy reference and TF1's variable names.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tensorflow as tf

import compat
from compat import rnn
from compat.errors import TF1DeprecationWarning
from compat.rnn.wrappers import (
    DeviceWrapper,
    DropoutWrapper,
    EmbeddingWrapper,
    InputProjectionWrapper,
    OutputProjectionWrapper,
    ResidualWrapper,
)
from tests.rnn import reference
from tests.rnn.replay import Case, build_cell, load_cases, pack

pytestmark = pytest.mark.tf

v1 = tf.compat.v1

FIXTURES = Path(__file__).parent / "fixtures_wrappers"
CASES = load_cases(FIXTURES)
DETERMINISTIC = [c for c in CASES if not c.meta["random"]]

RTOL = {"float32": 1e-6, "float64": 1e-12}
ATOL = {"float32": 1e-6, "float64": 1e-12}

_WRAPPERS: dict[str, Callable[..., Any]] = {
    "DropoutWrapper": DropoutWrapper,
    "ResidualWrapper": ResidualWrapper,
    "DeviceWrapper": DeviceWrapper,
}


def names(variables: list[Any]) -> list[str]:
    return [v.name for v in variables]


def _reset_eager_names() -> None:
    # Eager scope names are counted per process; each replay starts afresh.
    v1.get_default_graph().clear_collection(("__varscope",))


# Replaying the TF1 fixtures.


class _Builder:
    """Builds shim cells from fixture specs; keep-prob placeholders made once."""

    def __init__(self) -> None:
        self.placeholders: dict[str, Any] = {}

    def _value(self, value: Any) -> Any:
        if isinstance(value, dict) and "placeholder" in value:
            name = value["placeholder"]
            if name not in self.placeholders:
                self.placeholders[name] = v1.placeholder_with_default(1.0, [], name)
            return self.placeholders[name]
        return value

    def build(self, spec: dict[str, Any]) -> Any:
        if spec["class"] == "MultiRNNCell":
            cells = [self.build(s) for s in spec["cells"]]
            return rnn.MultiRNNCell(cells, **spec["kwargs"])
        if spec["class"] not in _WRAPPERS:
            return build_cell(spec)
        kwargs = {k: self._value(v) for k, v in spec["kwargs"].items()}
        if "dtype" in kwargs:
            kwargs["dtype"] = tf.as_dtype(kwargs["dtype"])
        return _WRAPPERS[spec["class"]](self.build(spec["cell"]), **kwargs)


def _program(case: Case, cell: Any) -> list[tuple[Any, Any]]:
    meta = case.meta
    if meta["kind"] == "dynamic_rnn":
        kwargs: dict[str, Any] = {
            "dtype": tf.as_dtype(meta["dtype"]),
            "scope": meta["scope"],
            "parallel_iterations": meta["parallel_iterations"],
        }
        if meta["use_sequence_length"]:
            kwargs["sequence_length"] = tf.constant(case.arrays["sequence_length"])
        return [rnn.dynamic_rnn(cell, tf.constant(case.arrays["input"]), **kwargs)]
    flat = [tf.constant(a) for a in case.flat("initial_state")]
    state = pack(meta["initial_state_structure"], flat)
    inputs = tf.constant(case.arrays["input"])
    results = []
    for _ in range(meta["calls"]):
        output, state = cell(inputs, state)
        results.append((output, state))
    return results


def _flat_results(results: list[tuple[Any, Any]]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for k, (output, state) in enumerate(results):
        suffix = "" if k == 0 else str(k + 1)
        flat[f"output{suffix}"] = output
        for i, tensor in enumerate(tf.nest.flatten(state)):
            flat[f"state{suffix}/{i}"] = tensor
    return flat


def _replay_graph(case: Case) -> tuple[list[str], dict[str, Any], dict[str, Any]]:
    meta = case.meta
    with tf.Graph().as_default(), v1.Session() as session:
        v1.set_random_seed(meta["graph_seed"])
        builder = _Builder()
        cell = builder.build(meta["cell"])
        tensors = _flat_results(_program(case, cell))
        variable_names = names(v1.global_variables())
        static = {k: t.shape.as_list() for k, t in tensors.items()}
        session.run(v1.global_variables_initializer())
        for variable in v1.global_variables():
            variable.load(case.arrays["var/" + variable.name[:-2]], session)
        values: dict[str, Any] = {}
        for k, run in enumerate(meta["runs"]):
            feed = {builder.placeholders[n]: v for n, v in run.items()}
            for key, value in session.run(tensors, feed).items():
                values[_key_for_run(key, k)] = value
    return variable_names, static, values


def _key_for_run(key: str, run: int) -> str:
    # Cases fed more than once make one call; run k is stored like call k.
    if run == 0:
        return key
    head, sep, tail = key.partition("/")
    return f"{head}{run + 1}{sep}{tail}"


def _expected(case: Case) -> dict[str, np.ndarray]:
    return {k: v for k, v in case.arrays.items() if k.startswith(("output", "state"))}


def _check_values(case: Case, got: dict[str, Any], masks: bool) -> None:
    expected = _expected(case)
    assert sorted(got) == sorted(expected)
    dtype = case.meta["dtype"]
    for key, want in expected.items():
        value = np.asarray(got[key])
        assert value.shape == want.shape, key
        assert value.dtype == want.dtype, key
        if masks:
            # Dropout masks: the same entries are zero as in TF1.
            np.testing.assert_array_equal(value == 0, want == 0, err_msg=key)
        np.testing.assert_allclose(
            value, want, rtol=RTOL[dtype], atol=ATOL[dtype], err_msg=key
        )


def test_fixtures_cover_the_wrappers() -> None:
    specs = [c.meta["cell"] for c in CASES]
    text = repr(specs)
    for needed in (
        "DropoutWrapper",
        "ResidualWrapper",
        "DeviceWrapper",
        "MultiRNNCell",
        "'variational_recurrent': True",
        "'placeholder': 'keep_prob'",
        "'LSTMCell'",
        "'BasicLSTMCell'",
    ):
        assert needed in text, needed
    assert {c.meta["kind"] for c in CASES} == {"dynamic_rnn", "cell_call"}
    assert {c.meta["dtype"] for c in CASES} == {"float32", "float64"}
    # Every case with dropout really drops something.
    for case in CASES:
        if case.meta["random"]:
            dropped = [v for k, v in _expected(case).items() if (v == 0).any()]
            assert dropped, case.name


@pytest.mark.parametrize("tf1_shapes", [False, True], ids=["graph", "tf1-shapes"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_graph_mode_equals_tf1(case: Case, tf1_shapes: bool) -> None:
    # tf1-shapes: TF1's TensorShape (Dimension objects), as the TF1 environment runs.
    if tf1_shapes:
        v1.disable_v2_tensorshape()
    try:
        variable_names, static, values = _replay_graph(case)
    finally:
        v1.enable_v2_tensorshape()

    assert variable_names == case.meta["variable_names"]
    assert static["output"] == case.meta["static_output_shape"]
    state_keys = sorted(k for k in static if k.startswith("state/"))
    assert [static[k] for k in state_keys] == case.meta["static_state_shapes"]
    _check_values(case, values, masks=case.meta["random"])


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "function"])
@pytest.mark.parametrize("case", DETERMINISTIC, ids=lambda c: c.name)
def test_eager_equals_tf1_without_dropout(case: Case, compiled: bool) -> None:
    _reset_eager_names()
    cell = _Builder().build(case.meta["cell"])

    def step() -> dict[str, Any]:
        return _flat_results(_program(case, cell))

    run = tf.function(step) if compiled else step
    run()
    variables = cell.variables
    assert names(variables) == case.meta["variable_names"]
    for variable in variables:
        variable.assign(case.arrays["var/" + variable.name[:-2]])
    got = {k: np.asarray(v) for k, v in run().items()}
    _check_values(case, got, masks=False)


# Signatures.


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (
            DropoutWrapper,
            "(cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0, "
            "variational_recurrent=False, input_size=None, dtype=None, seed=None, "
            "dropout_state_filter_visitor=None)",
        ),
        (ResidualWrapper, "(cell, residual_fn=None)"),
        (DeviceWrapper, "(cell, device)"),
        (OutputProjectionWrapper, "(cell, output_size, activation=None, reuse=None)"),
        (
            InputProjectionWrapper,
            "(cell, num_proj, activation=None, input_size=None, reuse=None)",
        ),
        (
            EmbeddingWrapper,
            "(cell, embedding_classes, embedding_size, initializer=None, reuse=None)",
        ),
    ],
)
def test_signature_is_tf1s(cls: Any, expected: str) -> None:
    sig = inspect.signature(cls)
    plain = sig.replace(
        parameters=[
            p.replace(annotation=inspect.Parameter.empty)
            for p in sig.parameters.values()
        ],
        return_annotation=inspect.Signature.empty,
    )
    assert str(plain) == expected


# DropoutWrapper behaviour.

X = np.random.default_rng(7).uniform(-1.0, 1.0, (3, 4, 3)).astype(np.float32)


def _graph_outputs(make: Callable[[], Any]) -> tuple[Any, set[str]]:
    """Build ``make()`` under dynamic_rnn in a seeded graph; fixed weights."""
    with tf.Graph().as_default() as graph, v1.Session() as session:
        v1.set_random_seed(1)
        cell = make()
        output, state = rnn.dynamic_rnn(
            cell, tf.constant(X), dtype=tf.float32, parallel_iterations=1
        )
        session.run(v1.global_variables_initializer())
        for variable in v1.global_variables():
            variable.load(np.full(variable.shape, 0.1, np.float32), session)
        # The ops of the time loop's body (the initializers draw random numbers).
        ops: set[str] = set()
        for function in graph._functions.values():
            ops |= {node.op for node in function.definition.node_def}
        return session.run((output, state)), ops


def test_keep_prob_one_is_an_exact_no_op() -> None:
    (bare_out, bare_state), _ = _graph_outputs(lambda: rnn.LSTMCell(4))
    (out, state), ops = _graph_outputs(lambda: DropoutWrapper(rnn.LSTMCell(4)))

    np.testing.assert_array_equal(out, bare_out)
    np.testing.assert_array_equal(state.c, bare_state.c)
    np.testing.assert_array_equal(state.h, bare_state.h)
    assert not {"RandomUniform", "RandomUniformInt"} & ops


def test_placeholder_keep_prob_defaulting_to_one_changes_nothing() -> None:
    def make() -> Any:
        keep = v1.placeholder_with_default(1.0, [], name="keep_prob")
        return DropoutWrapper(
            rnn.LSTMCell(4), input_keep_prob=keep, output_keep_prob=keep, seed=1
        )

    (bare_out, _), _ = _graph_outputs(lambda: rnn.LSTMCell(4))
    (out, _), ops = _graph_outputs(make)

    np.testing.assert_array_equal(out, bare_out)
    assert "RandomUniform" in ops


def test_state_dropout_leaves_lstm_c_alone_by_default() -> None:
    x = tf.constant(X[:, 0])
    cell = rnn.LSTMCell(4)
    state = cell.zero_state(3, tf.float32)
    _, bare = cell(x, state)
    wrapper = DropoutWrapper(cell, state_keep_prob=0.5, seed=3)
    _, dropped = wrapper(x, state)

    np.testing.assert_array_equal(dropped.c, bare.c)
    h, bare_h = np.asarray(dropped.h), np.asarray(bare.h)
    assert (h == 0).any()
    kept = h != 0
    np.testing.assert_allclose(h[kept], bare_h[kept] / 0.5, rtol=1e-6)


def test_state_filter_can_drop_c_too() -> None:
    x = tf.constant(X[:, 0])
    cell = rnn.LSTMCell(8)
    state = cell.zero_state(3, tf.float32)
    wrapper = DropoutWrapper(
        cell,
        state_keep_prob=0.5,
        seed=3,
        dropout_state_filter_visitor=lambda substate: True,
    )
    _, dropped = wrapper(x, state)
    assert (np.asarray(dropped.c) == 0).any()


def test_eager_output_dropout_keeps_or_zeroes_and_scales() -> None:
    _reset_eager_names()
    cell = rnn.LSTMCell(6)
    bare, _ = rnn.dynamic_rnn(cell, X, dtype=tf.float32)
    wrapper = DropoutWrapper(cell, output_keep_prob=0.25, seed=5)
    out, _ = rnn.dynamic_rnn(wrapper, X, dtype=tf.float32)

    out, bare = np.asarray(out), np.asarray(bare)
    kept = out != 0
    assert kept.any() and not kept.all()
    np.testing.assert_allclose(out[kept], bare[kept] * 4.0, rtol=1e-5)


def test_variational_masks_are_the_same_at_every_step() -> None:
    _reset_eager_names()
    wrapper = DropoutWrapper(
        rnn.LSTMCell(16),
        output_keep_prob=0.5,
        variational_recurrent=True,
        dtype=tf.float32,
        seed=2,
    )
    out, _ = rnn.dynamic_rnn(wrapper, X, dtype=tf.float32)

    zeros = np.asarray(out) == 0
    assert zeros.any()
    # One mask of shape [1, units], shared by every step and batch row.
    assert (zeros == zeros[:1, :1]).all()


def test_dropout_under_tf_function_and_multi_rnn_cell() -> None:
    _reset_eager_names()
    layers = [
        DropoutWrapper(rnn.LSTMCell(4), output_keep_prob=0.5, seed=1),
        DropoutWrapper(rnn.BasicLSTMCell(5), state_keep_prob=0.5, seed=2),
    ]
    cell = rnn.MultiRNNCell(layers)

    @tf.function
    def run(x: tf.Tensor) -> Any:
        return rnn.dynamic_rnn(cell, x, dtype=tf.float32)

    out, state = run(tf.constant(X))
    assert out.shape == (3, 4, 5)
    assert isinstance(state[0], rnn.LSTMStateTuple)
    assert names(cell.variables) == [
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0",
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0",
    ]
    assert names(layers[0].trainable_variables) == names(cell.variables)[:2]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"input_keep_prob": 1.5}, ValueError, "input_keep_prob must be between"),
        ({"state_keep_prob": -0.1}, ValueError, "state_keep_prob must be between"),
        ({"variational_recurrent": True}, ValueError, "needs dtype"),
        (
            {
                "variational_recurrent": True,
                "dtype": tf.float32,
                "input_keep_prob": 0.5,
            },
            ValueError,
            "needs input_size",
        ),
        ({"dropout_state_filter_visitor": 3}, TypeError, "must be callable"),
    ],
)
def test_dropout_wrapper_rejects_bad_arguments(
    kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        DropoutWrapper(rnn.LSTMCell(4), **kwargs)


@pytest.mark.parametrize(
    "cls",
    [DropoutWrapper, ResidualWrapper, OutputProjectionWrapper, EmbeddingWrapper],
)
def test_wrappers_reject_what_is_not_a_cell(cls: Any) -> None:
    extra = {OutputProjectionWrapper: (2,), EmbeddingWrapper: (3, 2)}.get(cls, ())
    with pytest.raises(TypeError, match="cell must be an RNN cell"):
        cls("lstm", *extra)


# ResidualWrapper and DeviceWrapper.


def test_residual_wrapper_checks_shapes_and_takes_a_function() -> None:
    x = tf.constant(X[:, 0])
    cell = rnn.LSTMCell(4)
    with pytest.raises(ValueError, match="give the cell as many units"):
        ResidualWrapper(cell)(x, cell.zero_state(3, tf.float32))

    wrapper = ResidualWrapper(cell, residual_fn=lambda i, o: o * 2.0)
    out, _ = wrapper(x, cell.zero_state(3, tf.float32))
    plain, _ = cell(x, cell.zero_state(3, tf.float32))
    np.testing.assert_array_equal(out, np.asarray(plain) * 2.0)


def test_device_wrapper_runs_eagerly() -> None:
    _reset_eager_names()
    cell = rnn.LSTMCell(4)
    out, _ = rnn.dynamic_rnn(DeviceWrapper(cell, "/cpu:0"), X, dtype=tf.float32)
    bare, _ = rnn.dynamic_rnn(cell, X, dtype=tf.float32)
    np.testing.assert_array_equal(out, bare)
    assert "CPU:0" in out.device


def test_device_wrapper_places_the_cell_and_its_zero_state() -> None:
    with tf.Graph().as_default():
        wrapper = DeviceWrapper(rnn.LSTMCell(4), "/cpu:0")
        state = wrapper.zero_state(3, tf.float32)
        output, new_state = wrapper(tf.constant(X[:, 0]), state)
        for tensor in (output, new_state.c, state.c, state.h):
            assert tensor.op.device == "/device:CPU:0", tensor.name


# Keras cells.


def test_keras_cell_gets_zero_state_and_tuple_states() -> None:
    keras_cell = tf.keras.layers.LSTMCell(4)
    wrapper = DropoutWrapper(keras_cell)
    assert wrapper.state_size == (4, 4)
    zero = wrapper.zero_state(3, tf.float32)
    assert isinstance(zero, tuple) and [z.shape for z in zero] == [(3, 4), (3, 4)]

    out, state = rnn.dynamic_rnn(wrapper, X, dtype=tf.float32)
    assert isinstance(state, tuple) and len(state) == 2

    # The same numbers as the Keras cell run step by step.
    expected_state: Any = [tf.zeros([3, 4]), tf.zeros([3, 4])]
    steps = []
    for t in range(X.shape[1]):
        step_out, expected_state = keras_cell(X[:, t], expected_state)
        steps.append(step_out)
    np.testing.assert_allclose(out, np.stack(steps, 1), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(state[1], expected_state[1], rtol=1e-6, atol=1e-6)
    assert wrapper.variables == keras_cell.variables
    assert len(wrapper.trainable_variables) == 3


@pytest.mark.parametrize("mode", ["graph", "function"])
def test_keras_cell_in_multi_rnn_cell(mode: str) -> None:
    def build() -> Any:
        return rnn.MultiRNNCell(
            [
                ResidualWrapper(tf.keras.layers.LSTMCell(3)),
                DropoutWrapper(rnn.LSTMCell(5), output_keep_prob=0.5, seed=1),
            ]
        )

    if mode == "graph":
        with tf.Graph().as_default(), v1.Session() as session:
            out, state = rnn.dynamic_rnn(build(), tf.constant(X), dtype=tf.float32)
            session.run(v1.global_variables_initializer())
            out, state = session.run((out, state))
    else:
        _reset_eager_names()
        # Keras layers are made outside tf.function, as Keras requires.
        cell = build()
        run = tf.function(lambda x: rnn.dynamic_rnn(cell, x, dtype=tf.float32))
        out, state = run(tf.constant(X))
        assert len(cell.variables) == 3 + 1 + 2
    assert np.asarray(out).shape == (3, 4, 5)
    assert len(state) == 2 and len(state[0]) == 2


# Checkpoints and variables.


def test_checkpoint_tracks_the_wrapped_cell(tmp_path: Path) -> None:
    _reset_eager_names()
    wrapper = DropoutWrapper(ResidualWrapper(rnn.LSTMCell(3)), output_keep_prob=0.5)
    rnn.dynamic_rnn(wrapper, X, dtype=tf.float32)
    path = tf.train.Checkpoint(model=wrapper).save(str(tmp_path / "ckpt"))
    keys = {name for name, _ in tf.train.list_variables(path)}
    assert "model/cell/cell/kernel/.ATTRIBUTES/VARIABLE_VALUE" in keys

    _reset_eager_names()
    again = DropoutWrapper(ResidualWrapper(rnn.LSTMCell(3)), output_keep_prob=0.5)
    rnn.dynamic_rnn(again, X, dtype=tf.float32)
    tf.train.Checkpoint(model=again).restore(path).assert_consumed()
    for saved, restored in zip(wrapper.variables, again.variables, strict=True):
        np.testing.assert_array_equal(saved, restored)


def test_contrib_wrapper_checkpoint_paths(tmp_path: Path) -> None:
    _reset_eager_names()
    wrapper = OutputProjectionWrapper(rnn.LSTMCell(3), 2)
    rnn.dynamic_rnn(wrapper, X, dtype=tf.float32)
    path = tf.train.Checkpoint(model=wrapper).save(str(tmp_path / "ckpt"))
    keys = {name.split("/.ATTRIBUTES")[0] for name, _ in tf.train.list_variables(path)}
    assert {"model/_cell/kernel", "model/_cell/bias", "model/kernel", "model/bias"} <= (
        keys
    )


# The contrib wrappers against NumPy.


def _lstm_reference(
    x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, units: int
) -> tuple[np.ndarray, Any]:
    state = (np.zeros((x.shape[0], units), np.float32),) * 2

    def step(x_t: np.ndarray, s: Any) -> Any:
        return reference.lstm_step(x_t, s[0], s[1], kernel, bias)

    return reference.dynamic_rnn(step, x, state)


def _run_both_modes(
    make: Callable[[], Any], inputs: np.ndarray, mode: str
) -> tuple[list[str], dict[str, np.ndarray], np.ndarray, Any]:
    """Run ``make()`` under dynamic_rnn with uniform random weights."""
    rng = np.random.default_rng(3)
    if mode == "graph":
        with tf.Graph().as_default(), v1.Session() as session:
            cell = make()
            output, state = rnn.dynamic_rnn(cell, tf.constant(inputs), dtype=tf.float32)
            session.run(v1.global_variables_initializer())
            weights = {}
            assert names(cell.variables) == names(v1.global_variables())
            for variable in v1.global_variables():
                value = rng.uniform(-0.5, 0.5, variable.shape).astype(np.float32)
                variable.load(value, session)
                weights[variable.name] = value
            out, final = session.run((output, state))
            return names(v1.global_variables()), weights, out, final
    _reset_eager_names()
    cell = make()
    run = tf.function(lambda x: rnn.dynamic_rnn(cell, x, dtype=tf.float32))
    run(tf.constant(inputs))
    weights = {}
    for variable in cell.variables:
        value = rng.uniform(-0.5, 0.5, variable.shape).astype(np.float32)
        variable.assign(value)
        weights[variable.name] = value
    out, final = run(tf.constant(inputs))
    return names(cell.variables), weights, np.asarray(out), final


@pytest.mark.parametrize("mode", ["graph", "function"])
def test_output_projection_wrapper_matches_numpy(mode: str) -> None:
    variable_names, w, out, _ = _run_both_modes(
        lambda: OutputProjectionWrapper(rnn.LSTMCell(4), 2, activation=tf.tanh),
        X,
        mode,
    )

    scope = "rnn/output_projection_wrapper/"
    assert variable_names == [
        scope + "lstm_cell/kernel:0",
        scope + "lstm_cell/bias:0",
        scope + "kernel:0",
        scope + "bias:0",
    ]
    hidden, _ = _lstm_reference(
        X, w[scope + "lstm_cell/kernel:0"], w[scope + "lstm_cell/bias:0"], 4
    )
    expected = np.tanh(hidden @ w[scope + "kernel:0"] + w[scope + "bias:0"])
    assert out.shape == (3, 4, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["graph", "function"])
def test_input_projection_wrapper_matches_numpy(mode: str) -> None:
    variable_names, w, out, final = _run_both_modes(
        lambda: InputProjectionWrapper(rnn.BasicLSTMCell(4), 5), X, mode
    )

    scope = "rnn/input_projection_wrapper/"
    assert variable_names == [
        scope + "kernel:0",
        scope + "bias:0",
        scope + "basic_lstm_cell/kernel:0",
        scope + "basic_lstm_cell/bias:0",
    ]
    projected = X @ w[scope + "kernel:0"] + w[scope + "bias:0"]
    expected, (c, _) = _lstm_reference(
        projected,
        w[scope + "basic_lstm_cell/kernel:0"],
        w[scope + "basic_lstm_cell/bias:0"],
        4,
    )
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(final.c, c, rtol=1e-5, atol=1e-6)


def test_projection_wrapper_input_size_is_deprecated() -> None:
    with pytest.warns(TF1DeprecationWarning, match="input_size parameter"):
        InputProjectionWrapper(rnn.LSTMCell(4), 3, input_size=7)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: OutputProjectionWrapper(rnn.LSTMCell(4), 0), "output_size"),
        (lambda: InputProjectionWrapper(rnn.LSTMCell(4), -1), "num_proj"),
        (lambda: EmbeddingWrapper(rnn.LSTMCell(4), 0, 3), "embedding_classes"),
        (lambda: EmbeddingWrapper(rnn.LSTMCell(4), 5, 0), "embedding_size"),
    ],
)
def test_contrib_wrappers_reject_sizes(make: Callable[[], Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        make()


IDS = np.array([[1], [4], [9]], np.int32)


def _embedding_steps(cell: Any, calls: int = 2) -> tuple[Any, Any]:
    state = cell.zero_state(3, tf.float32)
    outputs = []
    for _ in range(calls):
        output, state = cell(tf.constant(IDS), state)
        outputs.append(output)
    return outputs, state


def test_embedding_wrapper_graph_names_device_and_numbers() -> None:
    with tf.Graph().as_default(), v1.Session() as session:
        wrapper = EmbeddingWrapper(
            rnn.LSTMCell(4), embedding_classes=10, embedding_size=3
        )
        outputs, _ = _embedding_steps(wrapper)
        assert names(v1.global_variables()) == [
            "embedding_wrapper/embedding:0",
            "embedding_wrapper/lstm_cell/kernel:0",
            "embedding_wrapper/lstm_cell/bias:0",
        ]
        assert names(wrapper.variables) == names(v1.global_variables())
        embedding = wrapper.variables[0]
        assert embedding.device == "/device:CPU:0"
        assert outputs[0].op.device == "/device:CPU:0"
        session.run(v1.global_variables_initializer())
        table = session.run(embedding)
        assert np.abs(table).max() <= math.sqrt(3.0)
        kernel, bias = session.run(wrapper.variables[1:])
        got = session.run(outputs)

    c = h = np.zeros((3, 4), np.float32)
    for step in range(2):
        out, (c, h) = reference.lstm_step(table[IDS[:, 0]], c, h, kernel, bias)
        np.testing.assert_allclose(got[step], out, rtol=1e-5, atol=1e-6)


def test_embedding_wrapper_eager_seeded_and_in_tf_function() -> None:
    compat.set_seed(5)
    _reset_eager_names()
    wrapper = EmbeddingWrapper(rnn.LSTMCell(4), 10, 3)
    outputs, _ = tf.function(_embedding_steps)(wrapper)
    assert names(wrapper.variables) == [
        "embedding_wrapper/embedding:0",
        "embedding_wrapper/lstm_cell/kernel:0",
        "embedding_wrapper/lstm_cell/bias:0",
    ]
    eager_table = wrapper.variables[0].numpy()

    with tf.Graph().as_default(), v1.Session() as session:
        graph_wrapper = EmbeddingWrapper(rnn.LSTMCell(4), 10, 3)
        graph_outputs, _ = _embedding_steps(graph_wrapper)
        session.run(v1.global_variables_initializer())
        graph_table, graph_out = session.run(
            (graph_wrapper.variables[0], graph_outputs)
        )

    # The seed decides the values, whatever the mode.
    np.testing.assert_array_equal(eager_table, graph_table)
    assert np.abs(eager_table).max() <= math.sqrt(3.0)
    np.testing.assert_allclose(outputs[1], graph_out[1], rtol=1e-6, atol=1e-6)


def test_contrib_wrappers_reuse_their_variables_across_calls() -> None:
    with tf.Graph().as_default():
        wrapper = OutputProjectionWrapper(rnn.LSTMCell(4), 2)
        state = wrapper.zero_state(3, tf.float32)
        for _ in range(3):
            _, state = wrapper(tf.constant(X[:, 0]), state)
        assert len(v1.global_variables()) == 4
        assert len(wrapper.trainable_variables) == 4


def test_contrib_wrapper_inside_multi_rnn_cell_names() -> None:
    with tf.Graph().as_default():
        cell = rnn.MultiRNNCell(
            [InputProjectionWrapper(rnn.LSTMCell(4), 2), rnn.LSTMCell(3)]
        )
        rnn.dynamic_rnn(cell, tf.constant(X), dtype=tf.float32)
        assert names(v1.global_variables()) == [
            "rnn/multi_rnn_cell/cell_0/input_projection_wrapper/kernel:0",
            "rnn/multi_rnn_cell/cell_0/input_projection_wrapper/bias:0",
            "rnn/multi_rnn_cell/cell_0/input_projection_wrapper/lstm_cell/kernel:0",
            "rnn/multi_rnn_cell/cell_0/input_projection_wrapper/lstm_cell/bias:0",
            "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0",
            "rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0",
        ]
