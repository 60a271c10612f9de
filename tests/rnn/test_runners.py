"""compat.rnn's static, bidirectional, stacked and raw runners against TF's own.

TensorFlow still ships TF1's ``static_rnn``, ``static_bidirectional_rnn``,
``bidirectional_dynamic_rnn`` and ``raw_rnn`` in ``tf.compat.v1.nn``, and they
accept compat.rnn cells: each program below is built once with TF's function
and once with ours, in fresh v1 graphs with the same seeded weights (the seed
and the variable's full name decide its value). Variable names must be equal,
values bitwise equal. ``tf.contrib.rnn``'s stacked runners are gone from TF2;
their oracle is TF1's loop over TF's bidirectional functions, written out here
as contrib wrote it. Eagerly and in ``tf.function`` our runners must give the
graph-mode values within 1e-6.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import compat
from compat.rnn import BasicLSTMCell, LSTMCell, LSTMStateTuple, MultiRNNCell, runners

pytestmark = pytest.mark.tf

SEED = 4321
BATCH, TIME, DEPTH = 3, 5, 4
RNG = np.random.default_rng(7)
DATA = RNG.standard_normal((BATCH, TIME, DEPTH)).astype(np.float32)
STATE_C = RNG.standard_normal((BATCH, 3)).astype(np.float32)
STATE_H = RNG.standard_normal((BATCH, 3)).astype(np.float32)

Program = Callable[[Any, Any, Any], dict[str, Any]]


# TF1's stacked runners, as tf.contrib.rnn wrote them, over TF's own functions.


def _oracle_stack_dynamic(tf: Any) -> Callable[..., Any]:
    def run(cells_fw: Any, cells_bw: Any, inputs: Any, **kwargs: Any) -> Any:
        sequence_length = kwargs.get("sequence_length")
        prev, states_fw, states_bw = inputs, [], []
        with tf.compat.v1.variable_scope("stack_bidirectional_rnn"):
            for i, (fw, bw) in enumerate(zip(cells_fw, cells_bw)):
                with tf.compat.v1.variable_scope(f"cell_{i}"):
                    outputs, (sf, sb) = tf.compat.v1.nn.bidirectional_dynamic_rnn(
                        fw,
                        bw,
                        prev,
                        sequence_length=sequence_length,
                        dtype=kwargs.get("dtype"),
                        time_major=kwargs.get("time_major", False),
                    )
                    prev = tf.concat(outputs, 2)
                states_fw.append(sf)
                states_bw.append(sb)
        return prev, tuple(states_fw), tuple(states_bw)

    return run


def _oracle_stack_static(tf: Any) -> Callable[..., Any]:
    def run(cells_fw: Any, cells_bw: Any, inputs: Any, **kwargs: Any) -> Any:
        prev, states_fw, states_bw = inputs, [], []
        with tf.compat.v1.variable_scope("stack_bidirectional_rnn"):
            for i, (fw, bw) in enumerate(zip(cells_fw, cells_bw)):
                with tf.compat.v1.variable_scope(f"cell_{i}") as cell_scope:
                    prev, sf, sb = tf.compat.v1.nn.static_bidirectional_rnn(
                        fw,
                        bw,
                        prev,
                        sequence_length=kwargs.get("sequence_length"),
                        dtype=kwargs.get("dtype"),
                        scope=cell_scope,
                    )
                states_fw.append(sf)
                states_bw.append(sb)
        return prev, tuple(states_fw), tuple(states_bw)

    return run


def _api(tf: Any, oracle: bool) -> SimpleNamespace:
    if not oracle:
        return SimpleNamespace(
            **{name: getattr(runners, name) for name in runners.__all__}
        )
    nn = tf.compat.v1.nn
    return SimpleNamespace(
        static_rnn=nn.static_rnn,
        static_bidirectional_rnn=nn.static_bidirectional_rnn,
        bidirectional_dynamic_rnn=nn.bidirectional_dynamic_rnn,
        raw_rnn=nn.raw_rnn,
        stack_bidirectional_dynamic_rnn=_oracle_stack_dynamic(tf),
        stack_bidirectional_rnn=_oracle_stack_static(tf),
    )


# The programs. Each gets (api, tf, inputs) where inputs makes the input tensors:
# placeholders in graph mode when asked, constants otherwise.


class Inputs:
    """Input tensors for one run: constants, or placeholders fed on run."""

    def __init__(self, tf: Any, placeholders: bool) -> None:
        self.tf = tf
        self.placeholders = placeholders
        self.feed: dict[Any, Any] = {}
        self.cells: list[Any] = []
        self.made = 0

    def cell(self, factory: Callable[[], Any]) -> Any:
        """A new cell, or on a second run (tf.function traces twice) the same one."""
        if self.made == len(self.cells):
            self.cells.append(factory())
        self.made += 1
        return self.cells[self.made - 1]

    def restart(self) -> None:
        self.made = 0

    def tensor(self, value: np.ndarray, shape: list[Any]) -> Any:
        if not self.placeholders:
            return self.tf.constant(value)
        placeholder = self.tf.compat.v1.placeholder(
            self.tf.as_dtype(value.dtype), shape
        )
        self.feed[placeholder] = value
        return placeholder

    def steps(self) -> list[Any]:
        return [self.tensor(DATA[:, t], [None, DEPTH]) for t in range(TIME)]

    def batch_major(self) -> Any:
        return self.tensor(DATA, [None, None, DEPTH])

    def lengths(self, values: list[int]) -> Any:
        return self.tensor(np.asarray(values, np.int32), [None])


def _flat(prefix: str, value: Any) -> dict[str, Any]:
    import tensorflow as tf

    return {f"{prefix}/{i}": t for i, t in enumerate(tf.nest.flatten(value))}


def static_plain(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    outputs, state = api.static_rnn(
        inputs.cell(lambda: LSTMCell(3)), inputs.steps(), dtype=tf.float32
    )
    return {**_flat("out", outputs), **_flat("state", state)}


def static_lengths(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    # Rows that end early, at once, and in the middle; the last steps run no cell.
    cell = inputs.cell(
        lambda: MultiRNNCell([LSTMCell(3, use_peepholes=True), BasicLSTMCell(4)])
    )
    outputs, state = api.static_rnn(
        cell,
        inputs.steps(),
        dtype=tf.float32,
        sequence_length=inputs.lengths([3, 1, 0]),
    )
    return {**_flat("out", outputs), **_flat("state", state)}


def static_initial_state_scope(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    state0 = LSTMStateTuple(tf.constant(STATE_C), tf.constant(STATE_H))
    outputs, state = api.static_rnn(
        inputs.cell(lambda: BasicLSTMCell(3)),
        inputs.steps(),
        initial_state=state0,
        sequence_length=inputs.lengths([5, 2, 4]),
        scope="encoder",
    )
    return {**_flat("out", outputs), **_flat("state", state)}


def static_bidirectional(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    outputs, fw, bw = api.static_bidirectional_rnn(
        inputs.cell(lambda: LSTMCell(3)),
        inputs.cell(lambda: BasicLSTMCell(2)),
        inputs.steps(),
        dtype=tf.float32,
    )
    return {**_flat("out", outputs), **_flat("fw", fw), **_flat("bw", bw)}


def static_bidirectional_lengths(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    outputs, fw, bw = api.static_bidirectional_rnn(
        inputs.cell(lambda: LSTMCell(3)),
        inputs.cell(lambda: LSTMCell(3, num_proj=2)),
        inputs.steps(),
        initial_state_fw=LSTMStateTuple(tf.constant(STATE_C), tf.constant(STATE_H)),
        dtype=tf.float32,
        sequence_length=inputs.lengths([5, 3, 1]),
    )
    return {**_flat("out", outputs), **_flat("fw", fw), **_flat("bw", bw)}


def bidirectional_dynamic(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    (out_fw, out_bw), (fw, bw) = api.bidirectional_dynamic_rnn(
        inputs.cell(lambda: LSTMCell(3)),
        inputs.cell(lambda: BasicLSTMCell(4)),
        inputs.batch_major(),
        dtype=tf.float32,
    )
    return {"out_fw": out_fw, "out_bw": out_bw, **_flat("fw", fw), **_flat("bw", bw)}


def bidirectional_dynamic_lengths(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    (out_fw, out_bw), (fw, bw) = api.bidirectional_dynamic_rnn(
        inputs.cell(lambda: MultiRNNCell([BasicLSTMCell(3), BasicLSTMCell(3)])),
        inputs.cell(lambda: LSTMCell(3)),
        inputs.batch_major(),
        sequence_length=inputs.lengths([4, 5, 2]),
        initial_state_bw=LSTMStateTuple(tf.constant(STATE_C), tf.constant(STATE_H)),
        dtype=tf.float32,
        scope="birnn",
    )
    return {"out_fw": out_fw, "out_bw": out_bw, **_flat("fw", fw), **_flat("bw", bw)}


def bidirectional_dynamic_time_major(
    api: Any, tf: Any, inputs: Inputs
) -> dict[str, Any]:
    time_major = tf.transpose(inputs.batch_major(), [1, 0, 2])
    (out_fw, out_bw), (fw, bw) = api.bidirectional_dynamic_rnn(
        inputs.cell(lambda: BasicLSTMCell(2)),
        inputs.cell(lambda: BasicLSTMCell(3)),
        time_major,
        sequence_length=inputs.lengths([1, 5, 3]),
        dtype=tf.float32,
        time_major=True,
    )
    return {"out_fw": out_fw, "out_bw": out_bw, **_flat("fw", fw), **_flat("bw", bw)}


def stack_dynamic(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    outputs, fw, bw = api.stack_bidirectional_dynamic_rnn(
        [inputs.cell(lambda: LSTMCell(3)), inputs.cell(lambda: LSTMCell(2))],
        [inputs.cell(lambda: BasicLSTMCell(3)), inputs.cell(lambda: BasicLSTMCell(2))],
        inputs.batch_major(),
        dtype=tf.float32,
        sequence_length=inputs.lengths([5, 2, 3]),
    )
    return {"out": outputs, **_flat("fw", fw), **_flat("bw", bw)}


def stack_static(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    outputs, fw, bw = api.stack_bidirectional_rnn(
        [inputs.cell(lambda: LSTMCell(2)), inputs.cell(lambda: LSTMCell(2))],
        [inputs.cell(lambda: LSTMCell(2)), inputs.cell(lambda: LSTMCell(2))],
        inputs.steps(),
        dtype=tf.float32,
        sequence_length=inputs.lengths([5, 4, 1]),
    )
    return {**_flat("out", outputs), **_flat("fw", fw), **_flat("bw", bw)}


def raw_as_dynamic(api: Any, tf: Any, inputs: Inputs) -> dict[str, Any]:
    # The example of TF1's raw_rnn docstring: dynamic_rnn written with raw_rnn,
    # plus a loop state that counts the steps.
    time_major = tf.transpose(inputs.batch_major(), [1, 0, 2])
    lengths = inputs.lengths([5, 2, 3])
    batch = tf.shape(time_major)[1]
    inputs_ta = tf.TensorArray(tf.float32, size=tf.shape(time_major)[0]).unstack(
        time_major
    )
    cell = inputs.cell(lambda: LSTMCell(3))

    def loop_fn(time: Any, cell_output: Any, cell_state: Any, loop_state: Any) -> Any:
        if cell_output is None:
            next_state = cell.zero_state(batch, tf.float32)
            next_loop = tf.constant(0)
        else:
            next_state = cell_state
            next_loop = loop_state + 1
        finished = time >= lengths
        next_input = tf.cond(
            tf.reduce_all(finished),
            lambda: tf.zeros([batch, DEPTH], tf.float32),
            lambda: inputs_ta.read(time),
        )
        return finished, next_input, next_state, cell_output, next_loop

    emit_ta, state, loop_state = api.raw_rnn(cell, loop_fn)
    return {"out": emit_ta.stack(), **_flat("state", state), "loop": loop_state}


PROGRAMS: list[Program] = [
    static_plain,
    static_lengths,
    static_initial_state_scope,
    static_bidirectional,
    static_bidirectional_lengths,
    bidirectional_dynamic,
    bidirectional_dynamic_lengths,
    bidirectional_dynamic_time_major,
    stack_dynamic,
    stack_static,
    raw_as_dynamic,
]


GraphRun = tuple[list[str], dict[str, Any], dict[str, np.ndarray]]

# TF's own results, computed once per program and input kind.
_ORACLE_RUNS: dict[tuple[str, bool], GraphRun] = {}


def run_graph(
    tf: Any, program: Program, oracle: bool, placeholders: bool = False
) -> GraphRun:
    """Build ``program`` in a fresh graph; return variable names, tensors, values."""
    key = (program.__name__, placeholders)
    if oracle and key in _ORACLE_RUNS:
        return _ORACLE_RUNS[key]
    result = _build_and_run(tf, program, oracle, placeholders)
    if oracle:
        _ORACLE_RUNS[key] = result
    return result


def _build_and_run(
    tf: Any, program: Program, oracle: bool, placeholders: bool
) -> GraphRun:
    compat.set_seed(SEED)
    with tf.Graph().as_default(), tf.compat.v1.Session() as session:
        inputs = Inputs(tf, placeholders)
        tensors = program(_api(tf, oracle), tf, inputs)
        names = [v.name for v in tf.compat.v1.global_variables()]
        session.run(tf.compat.v1.global_variables_initializer())
        values = session.run(tensors, inputs.feed)
    return names, tensors, values


def run_eager(tf: Any, program: Program, compiled: bool) -> dict[str, np.ndarray]:
    compat.set_seed(SEED)
    # Eager scope names are counted per process; start from a clean count.
    tf.compat.v1.get_default_graph().clear_collection(("__varscope",))
    inputs = Inputs(tf, placeholders=False)
    api = _api(tf, oracle=False)

    def step() -> dict[str, Any]:
        inputs.restart()
        return program(api, tf, inputs)

    runner = tf.function(step) if compiled else step
    return {key: np.asarray(value) for key, value in runner().items()}


def assert_bitwise(got: dict[str, np.ndarray], want: dict[str, np.ndarray]) -> None:
    assert sorted(got) == sorted(want)
    for key, value in want.items():
        assert got[key].dtype == value.dtype, key
        assert got[key].shape == value.shape, key
        assert np.array_equal(got[key], value), (
            f"{key}: max abs error {np.abs(got[key] - value).max():.3g}"
        )


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
@pytest.mark.usefixtures("reference_path")
def test_graph_mode_is_bitwise_tfs_own(tf: Any, program: Program) -> None:
    want_names, want_tensors, want = run_graph(tf, program, oracle=True)
    names, tensors, got = run_graph(tf, program, oracle=False)

    assert names == want_names
    assert_bitwise(got, want)
    for key, tensor in tensors.items():
        assert tensor.shape.as_list() == want_tensors[key].shape.as_list(), key
        # Tensor names too (verify compares printed tensors by name).
        assert tensor.name == want_tensors[key].name, key


@pytest.mark.parametrize(
    "program",
    [static_lengths, static_bidirectional_lengths, bidirectional_dynamic_lengths],
    ids=lambda p: p.__name__,
)
@pytest.mark.usefixtures("reference_path")
def test_placeholders_with_unknown_batch_and_time(tf: Any, program: Program) -> None:
    want_names, want_tensors, want = run_graph(tf, program, True, placeholders=True)
    names, tensors, got = run_graph(tf, program, False, placeholders=True)

    assert names == want_names
    assert_bitwise(got, want)
    for key, tensor in tensors.items():
        assert tensor.shape.as_list() == want_tensors[key].shape.as_list(), key


# Every program eagerly; one of each runner inside tf.function (tracing is slow).
EAGER_CASES = [(p, False) for p in PROGRAMS] + [
    (p, True)
    for p in (
        static_lengths,
        static_bidirectional_lengths,
        bidirectional_dynamic_lengths,
        stack_dynamic,
        raw_as_dynamic,
    )
]


@pytest.mark.parametrize(
    ("program", "compiled"),
    EAGER_CASES,
    ids=[f"{p.__name__}-{'function' if c else 'eager'}" for p, c in EAGER_CASES],
)
def test_eager_and_function_match_graph_mode(
    tf: Any, program: Program, compiled: bool
) -> None:
    _, _, want = run_graph(tf, program, oracle=True)
    got = run_eager(tf, program, compiled)

    assert sorted(got) == sorted(want)
    for key, value in want.items():
        np.testing.assert_allclose(got[key], value, rtol=1e-6, atol=1e-6, err_msg=key)


def test_variable_names_are_tf1s(tf: Any) -> None:
    names, _, _ = run_graph(tf, stack_dynamic, oracle=False)
    assert names[:2] == [
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/kernel:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/lstm_cell/bias:0",
    ]
    assert (
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/basic_lstm_cell/bias:0"
        in (names)
    )
    names, _, _ = run_graph(tf, stack_static, oracle=False)
    assert names[0] == "stack_bidirectional_rnn/cell_0/fw/lstm_cell/kernel:0"
    names, _, _ = run_graph(tf, static_initial_state_scope, oracle=False)
    assert names == [
        "encoder/basic_lstm_cell/kernel:0",
        "encoder/basic_lstm_cell/bias:0",
    ]


def test_sequence_length_semantics(tf: Any) -> None:
    # Past each row's length: zero outputs, the state of its last valid step.
    _, _, values = run_graph(tf, static_lengths, oracle=False)
    outputs = np.stack([values[f"out/{t}"] for t in range(TIME)], 1)
    assert outputs[0, :3].any(axis=-1).all()
    assert np.all(outputs[0, 3:] == 0) and np.all(outputs[1, 1:] == 0)
    assert np.all(outputs[2] == 0)
    last_layer_h = values["state/3"]
    np.testing.assert_array_equal(last_layer_h[0], outputs[0, 2])
    np.testing.assert_array_equal(last_layer_h[1], outputs[1, 0])
    assert not last_layer_h[2].any()


def test_backward_outputs_are_aligned_with_the_inputs(tf: Any) -> None:
    # The backward pass of a row of length n reads steps n-1 .. 0; its output
    # at step t is the one computed from steps n-1 .. t, so output[0] equals
    # the backward final state's h.
    _, _, values = run_graph(tf, bidirectional_dynamic_lengths, oracle=False)
    for row, length in enumerate([4, 5, 2]):
        np.testing.assert_array_equal(values["out_bw"][row, 0], values["bw/1"][row])
        assert not values["out_bw"][row, length:].any()


def test_signatures_are_tf1s() -> None:
    expected = {
        "static_rnn": "(cell, inputs, initial_state=None, dtype=None, "
        "sequence_length=None, scope=None)",
        "static_bidirectional_rnn": "(cell_fw, cell_bw, inputs, initial_state_fw=None, "
        "initial_state_bw=None, dtype=None, sequence_length=None, scope=None)",
        "bidirectional_dynamic_rnn": "(cell_fw, cell_bw, inputs, sequence_length=None, "
        "initial_state_fw=None, initial_state_bw=None, dtype=None, "
        "parallel_iterations=None, swap_memory=False, time_major=False, scope=None)",
        "stack_bidirectional_dynamic_rnn": "(cells_fw, cells_bw, inputs, "
        "initial_states_fw=None, initial_states_bw=None, dtype=None, "
        "sequence_length=None, parallel_iterations=None, time_major=False, "
        "scope=None)",
        "stack_bidirectional_rnn": "(cells_fw, cells_bw, inputs, "
        "initial_states_fw=None, initial_states_bw=None, dtype=None, "
        "sequence_length=None, scope=None)",
        "raw_rnn": "(cell, loop_fn, parallel_iterations=None, swap_memory=False, "
        "scope=None)",
    }
    for name, signature in expected.items():
        parameters = inspect.signature(getattr(runners, name)).parameters.values()
        plain = ", ".join(
            p.name
            if p.default is inspect.Parameter.empty
            else f"{p.name}={p.default!r}"
            for p in parameters
        )
        assert f"({plain})" == signature, name


def test_errors_name_the_argument(tf: Any) -> None:
    x = [tf.zeros([2, 3])]
    with pytest.raises(TypeError, match="static_rnn: cell must be an RNN cell"):
        runners.static_rnn(object(), x, dtype=tf.float32)
    with pytest.raises(TypeError, match="inputs must be a list"):
        runners.static_rnn(LSTMCell(2), tf.zeros([2, 4, 3]), dtype=tf.float32)
    with pytest.raises(ValueError, match="at least one time step"):
        runners.static_rnn(LSTMCell(2), [], dtype=tf.float32)
    with pytest.raises(ValueError, match="pass dtype"):
        runners.static_rnn(LSTMCell(2), x)
    with pytest.raises(TypeError, match="cell_bw must be an RNN cell"):
        runners.bidirectional_dynamic_rnn(LSTMCell(2), 3, tf.zeros([2, 4, 3]))
    with pytest.raises(ValueError, match="same number of layers"):
        runners.stack_bidirectional_dynamic_rnn(
            [LSTMCell(2)], [LSTMCell(2), LSTMCell(2)], tf.zeros([2, 4, 3])
        )
    with pytest.raises(ValueError, match="cells_fw must be a list"):
        runners.stack_bidirectional_rnn((LSTMCell(2),), [LSTMCell(2)], x)
    with pytest.raises(ValueError, match="one per layer"):
        runners.stack_bidirectional_rnn(
            [LSTMCell(2)], [LSTMCell(2)], x, initial_states_fw=[None, None]
        )
    with pytest.raises(TypeError, match="loop_fn must be a callable"):
        runners.raw_rnn(LSTMCell(2), None)  # type: ignore[arg-type]


def test_gradients_reach_both_directions_eagerly(tf: Any) -> None:
    fw, bw = LSTMCell(3), LSTMCell(3)
    x = tf.constant(DATA)
    with tf.GradientTape() as tape:
        (out_fw, out_bw), _ = runners.bidirectional_dynamic_rnn(
            fw, bw, x, sequence_length=[5, 2, 3], dtype=tf.float32
        )
        loss = tf.reduce_sum(out_fw) + tf.reduce_sum(out_bw * out_bw)
    grads = tape.gradient(loss, fw.variables + bw.variables)
    assert all(g is not None and np.any(np.asarray(g)) for g in grads)
