"""The fast paths of dynamic_rnn against its reference path, and the switch.

Every fast path must give the reference path's numbers within 1e-6 (values)
and 1e-5 relative (gradients) over the cells' options, sequence lengths,
time layouts and initial states, in v1 graph mode, eagerly and inside
``tf.function``; the switch must pick, force and fall back as documented.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import compat
from compat.errors import CompatWarning
from compat.rnn import (
    BasicLSTMCell,
    GRUCell,
    LSTMBlockCell,
    LSTMCell,
    MultiRNNCell,
    RNNCell,
    dynamic_rnn,
    get_rnn_path,
    rnn_path,
    set_rnn_path,
    static_rnn,
)
from compat.rnn import dynamic as dynamic_module

pytestmark = pytest.mark.tf

BATCH, TIME, DEPTH = 3, 4, 6


@dataclass(frozen=True)
class Config:
    """A cell configuration and the fast paths that must run it."""

    name: str
    make: Callable[[], Any]
    paths: tuple[str, ...]


def _multi_lstm() -> Any:
    return MultiRNNCell([BasicLSTMCell(4), LSTMCell(5, use_peepholes=True)])


def _multi_mixed() -> Any:
    return MultiRNNCell([GRUCell(4), LSTMCell(5, num_proj=3), BasicLSTMCell(2)])


CONFIGS = [
    Config("basic", lambda: BasicLSTMCell(5), ("hoisted", "fused")),
    Config(
        "basic_fb_relu",
        lambda: BasicLSTMCell(5, forget_bias=0.3, activation="relu"),
        ("hoisted",),
    ),
    Config("lstm", lambda: LSTMCell(5), ("hoisted", "fused")),
    Config(
        "lstm_peep_fb",
        lambda: LSTMCell(5, use_peepholes=True, forget_bias=0.5),
        ("hoisted", "fused"),
    ),
    Config("lstm_clip", lambda: LSTMCell(5, cell_clip=0.2), ("hoisted",)),
    Config(
        "lstm_proj_clip",
        lambda: LSTMCell(5, use_peepholes=True, num_proj=3, proj_clip=0.1),
        ("hoisted",),
    ),
    Config("block", lambda: LSTMBlockCell(5), ("hoisted", "fused")),
    Config(
        "block_peep_clip",
        lambda: LSTMBlockCell(5, use_peephole=True, cell_clip=0.2),
        ("hoisted",),
    ),
    Config("gru", lambda: GRUCell(5), ("hoisted",)),
    Config("gru_relu", lambda: GRUCell(5, activation="relu"), ("hoisted",)),
    Config("multi_lstm", _multi_lstm, ("hoisted", "fused")),
    Config("multi_mixed", _multi_mixed, ("hoisted",)),
]
CASES = [(c, p) for c in CONFIGS for p in c.paths]

# (sequence_length, time_major, pass an initial state): each config runs all.
CALLS = [
    (None, False, False),
    ([4, 1, 0], True, True),
    ([2, 9, 3], False, True),
    ([2, 1, 0], True, False),  # the loop stops after 2 of 4 steps
]


def _data(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "x": (3 * rng.standard_normal((BATCH, TIME, DEPTH))).astype(np.float32),
        "out_weights": rng.standard_normal((BATCH, TIME, 64)).astype(np.float32),
    }


def _initial_state(cell: Any, rng: np.random.Generator) -> Any:
    import tensorflow as tf

    return tf.nest.map_structure(
        lambda size: rng.standard_normal((BATCH, size)).astype(np.float32),
        cell.state_size,
    )


def _flat(state: Any) -> list[Any]:
    import tensorflow as tf

    return [] if state is None else tf.nest.flatten(state)


def _loss(outputs: Any, state: Any, out_weights: np.ndarray) -> Any:
    """A scalar that depends on every output and state number, unevenly."""
    import tensorflow as tf

    width = int(outputs.shape[-1])
    total = tf.reduce_sum(outputs * out_weights[:, :, :width])
    for index, part in enumerate(tf.nest.flatten(state)):
        total += (index + 1.5) * tf.reduce_sum(part * part)
    return total


def _graph_run(config: Config, path: str) -> list[dict[str, np.ndarray]]:
    """All CALLS in one v1 graph; returns values and gradients per call."""
    import tensorflow as tf

    v1 = tf.compat.v1
    compat.set_seed(7)
    data = _data(0)
    results = []
    graph = tf.Graph()
    with graph.as_default(), rnn_path(path):
        fetches = []
        feeds: dict[Any, Any] = {}
        for index, (lengths, time_major, with_state) in enumerate(CALLS):
            rng = np.random.default_rng(index)
            cell = config.make()
            x = v1.placeholder(tf.float32, [None, None, DEPTH])
            feeds[x] = data["x"].transpose(1, 0, 2) if time_major else data["x"]
            state = None
            if with_state:
                state = tf.nest.map_structure(tf.constant, _initial_state(cell, rng))
            outputs, final = dynamic_rnn(
                cell,
                x,
                sequence_length=lengths,
                initial_state=state,
                dtype=None if with_state else tf.float32,
                time_major=time_major,
                scope=f"call_{index}",
            )
            if time_major:
                outputs = tf.transpose(outputs, [1, 0, 2])
            loss = _loss(outputs, final, data["out_weights"])
            wrt = [x, *cell.trainable_variables, *_flat(state)]
            fetches.append(
                {
                    "outputs": outputs,
                    "state": tf.nest.flatten(final),
                    "grads": tf.gradients(loss, wrt),
                }
            )
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            for got in session.run(fetches, feeds):
                results.append(got)
    return results


def _eager_run(
    config: Config, path: str, compiled: bool, weights: list[list[np.ndarray]]
) -> list[dict[str, Any]]:
    """All CALLS eagerly (or in a tf.function) with the given weights."""
    import tensorflow as tf

    data = _data(0)
    results = []
    for index, (lengths, time_major, with_state) in enumerate(CALLS):
        rng = np.random.default_rng(index)
        cell = config.make()
        x = tf.constant(data["x"].transpose(1, 0, 2) if time_major else data["x"])
        state = (
            tf.nest.map_structure(tf.constant, _initial_state(cell, rng))
            if with_state
            else None
        )

        def call(
            x: Any,
            state: Any,
            cell: Any = cell,
            lengths: Any = lengths,
            time_major: bool = time_major,
        ) -> Any:
            return dynamic_rnn(
                cell,
                x,
                sequence_length=lengths,
                initial_state=state,
                dtype=None if state is not None else tf.float32,
                time_major=time_major,
            )

        run = tf.function(call) if compiled else call
        with rnn_path(path):
            run(x, state)  # builds the variables
            for variable, value in zip(cell.variables, weights[index]):
                variable.assign(value)
            with tf.GradientTape() as tape:
                tape.watch(x)
                tape.watch(_flat(state))
                outputs, final = run(x, state)
                if time_major:
                    outputs = tf.transpose(outputs, [1, 0, 2])
                loss = _loss(outputs, final, data["out_weights"])
        wrt = [x, *cell.trainable_variables, *_flat(state)]
        results.append(
            {
                "outputs": outputs.numpy(),
                "state": [t.numpy() for t in tf.nest.flatten(final)],
                "grads": [g.numpy() for g in tape.gradient(loss, wrt)],
            }
        )
    return results


def _assert_close(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    for index, (mine, theirs) in enumerate(zip(got, want)):
        where = f"call {index} {CALLS[index]}"
        np.testing.assert_allclose(
            mine["outputs"], theirs["outputs"], rtol=0, atol=1e-6, err_msg=where
        )
        for a, b in zip(mine["state"], theirs["state"]):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-6, err_msg=where)
        assert len(mine["grads"]) == len(theirs["grads"]), where
        for a, b in zip(mine["grads"], theirs["grads"]):
            scale = max(float(np.abs(b).max()), 1e-3)
            np.testing.assert_allclose(
                a, b, rtol=1e-5, atol=1e-5 * scale, err_msg=where
            )


@pytest.fixture(scope="module")
def reference_runs() -> dict[str, list[dict[str, Any]]]:
    """The reference path's graph-mode values and gradients, per config."""
    return {c.name: _graph_run(c, "reference") for c in CONFIGS}


@pytest.mark.parametrize(("config", "path"), CASES, ids=lambda v: getattr(v, "name", v))
def test_graph_fast_path_matches_reference(
    config: Config, path: str, reference_runs: dict[str, Any]
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompatWarning)  # the path must apply
        got = _graph_run(config, path)
    want = reference_runs[config.name]
    # The options must make a difference: lengths cut outputs, states differ.
    assert np.all(want[1]["outputs"][2] == 0)
    assert np.all(want[1]["outputs"][1, 1:] == 0)
    assert np.any(want[1]["outputs"][1, 0] != 0)
    _assert_close(got, want)


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "function"])
@pytest.mark.parametrize(("config", "path"), CASES, ids=lambda v: getattr(v, "name", v))
def test_eager_fast_path_matches_reference(
    config: Config, path: str, compiled: bool
) -> None:
    weights = []
    for index in range(len(CALLS)):
        cell = config.make()
        compat.set_seed(100 + index)
        import tensorflow as tf

        dynamic_rnn(cell, np.zeros((1, 1, DEPTH), np.float32), dtype=tf.float32)
        weights.append([v.numpy() for v in cell.variables])
    with warnings.catch_warnings():
        warnings.simplefilter("error", CompatWarning)
        got = _eager_run(config, path, compiled, weights)
    want = _eager_run(config, "reference", compiled, weights)
    _assert_close(got, want)


# Which path runs.


def _op_types(build: Callable[[], Any]) -> set[str]:
    import tensorflow as tf

    graph = tf.Graph()
    with graph.as_default():
        build()
    return {op.type for op in graph.get_operations()}


def _path_in_graph(cell: Any, batch: int | None = 2, depth: int = 6) -> str:
    import tensorflow as tf

    def build() -> None:
        x = tf.compat.v1.placeholder(tf.float32, [batch, None, depth])
        dynamic_rnn(cell, x, dtype=tf.float32)

    types = _op_types(build)
    if "BlockLSTM" in types:
        return "fused"
    # Only the hoisted path has a matmul outside the loop's body (one layer)
    # or a custom gradient (an LSTM stack).
    return "hoisted" if types & {"MatMul", "IdentityN"} else "reference"


class _UserCell(RNNCell):
    """A cell written by a user: always the reference path."""

    @property
    def state_size(self) -> int:
        return 3

    @property
    def output_size(self) -> int:
        return 3

    def build(self, inputs_shape: Any) -> None:
        self.add_weight("kernel", [int(inputs_shape[-1]) + 3, 3])

    def call(self, inputs: Any, state: Any) -> Any:
        import tensorflow as tf

        concat = tf.concat([inputs, state], 1)
        new = tf.tanh(tf.matmul(concat, self._weights.by_name["kernel"]))
        return new, new


def test_auto_picks_fused_for_small_lstms_and_hoisted_for_larger() -> None:
    assert get_rnn_path() == "auto"
    assert _path_in_graph(LSTMCell(5)) == "fused"
    assert _path_in_graph(MultiRNNCell([LSTMCell(5), LSTMCell(5)])) == "fused"
    assert _path_in_graph(LSTMCell(128), batch=32, depth=64) == "hoisted"
    # An unknown batch counts as 32.
    assert _path_in_graph(LSTMCell(128), batch=None, depth=64) == "hoisted"
    assert _path_in_graph(LSTMCell(5), batch=None) == "fused"
    # Options BlockLSTM does not have.
    assert _path_in_graph(LSTMCell(5, num_proj=3)) == "hoisted"
    assert _path_in_graph(LSTMCell(5, cell_clip=1.0)) == "hoisted"
    assert _path_in_graph(BasicLSTMCell(5, activation="relu")) == "hoisted"
    assert _path_in_graph(GRUCell(5)) == "hoisted"
    big_stack = MultiRNNCell([LSTMCell(128), LSTMCell(128)])
    assert _path_in_graph(big_stack, batch=32, depth=64) == "hoisted"


def test_other_cells_take_the_reference_path_without_a_warning() -> None:
    with pytest.warns(CompatWarning, match="deprecated"):
        concatenated = BasicLSTMCell(5, state_is_tuple=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert _path_in_graph(_UserCell()) == "reference"
        assert _path_in_graph(concatenated) == "reference"
        assert _path_in_graph(MultiRNNCell([LSTMCell(5), _UserCell()])) == "reference"


def test_reference_path_can_be_forced_three_ways(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with rnn_path("reference"):
        assert _path_in_graph(LSTMCell(5)) == "reference"
    assert _path_in_graph(LSTMCell(5)) == "fused"
    monkeypatch.setenv("TF1COMPAT_RNN_PATH", "reference")
    assert get_rnn_path() == "reference"
    assert _path_in_graph(LSTMCell(5)) == "reference"
    set_rnn_path("hoisted")
    try:
        assert _path_in_graph(LSTMCell(5)) == "hoisted"  # beats the environment
        with rnn_path("fused"):  # and a block beats both
            assert _path_in_graph(LSTMCell(5)) == "fused"
    finally:
        set_rnn_path(None)
    assert _path_in_graph(LSTMCell(5)) == "reference"  # the environment again
    monkeypatch.setenv("TF1COMPAT_RNN_PATH", "auto")
    assert _path_in_graph(LSTMCell(5)) == "fused"


def test_unknown_path_names_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="'auto', 'reference', 'hoisted', 'fused'"):
        set_rnn_path("fastest")
    with pytest.raises(NotImplementedError, match="cuDNN path.*not built"):
        set_rnn_path("cudnn")
    with pytest.raises(ValueError, match="rnn_path"):
        with rnn_path("fast"):
            pass
    monkeypatch.setenv("TF1COMPAT_RNN_PATH", "quick")
    with pytest.raises(ValueError, match="TF1COMPAT_RNN_PATH.*'quick'"):
        get_rnn_path()


def test_forced_path_that_cannot_run_falls_back_with_a_warning() -> None:
    with rnn_path("fused"):
        with pytest.warns(CompatWarning, match="'fused' path cannot run.*'hoisted'"):
            assert _path_in_graph(LSTMCell(5, num_proj=2)) == "hoisted"
    with rnn_path("hoisted"):
        with pytest.warns(CompatWarning, match="UserCell.*reference path"):
            assert _path_in_graph(_UserCell()) == "reference"


def test_variable_names_and_order_do_not_depend_on_the_path() -> None:
    import tensorflow as tf

    def names(path: str) -> list[str]:
        graph = tf.Graph()
        with graph.as_default(), rnn_path(path):
            x = tf.compat.v1.placeholder(tf.float32, [2, 3, 6])
            cell = MultiRNNCell(
                [LSTMCell(4, use_peepholes=True, num_proj=3), GRUCell(2)]
            )
            dynamic_rnn(cell, x, dtype=tf.float32)
            return [v.name for v in tf.compat.v1.global_variables()]

    reference = names("reference")
    assert reference[0] == "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0"
    assert names("hoisted") == reference
    assert names("auto") == reference


def test_checkpoint_from_a_fast_path_restores_on_the_reference_path(
    tmp_path: Any,
) -> None:
    import tensorflow as tf

    v1 = tf.compat.v1
    data = np.random.default_rng(3).standard_normal((2, 3, 6)).astype(np.float32)

    def run(path: str, restore: bool) -> np.ndarray:
        graph = tf.Graph()
        with graph.as_default(), rnn_path(path):
            x = v1.placeholder(tf.float32, [None, None, 6])
            outputs, _ = dynamic_rnn(LSTMCell(5), x, dtype=tf.float32)
            saver = v1.train.Saver()
            with v1.Session(graph=graph) as session:
                if restore:
                    saver.restore(session, str(tmp_path / "model"))
                else:
                    session.run(v1.global_variables_initializer())
                    saver.save(session, str(tmp_path / "model"))
                return session.run(outputs, {x: data})

    saved = run("fused", restore=False)
    restored = run("reference", restore=True)
    np.testing.assert_allclose(restored, saved, rtol=0, atol=1e-6)


def test_eager_calls_follow_a_path_change() -> None:
    import tensorflow as tf

    cell = LSTMCell(5)
    x = tf.constant(np.ones((2, 3, 6), np.float32))
    fused, _ = dynamic_rnn(cell, x, dtype=tf.float32)
    with rnn_path("reference"):
        reference, _ = dynamic_rnn(cell, x, dtype=tf.float32)
    assert not np.array_equal(fused.numpy(), np.zeros_like(fused.numpy()))
    np.testing.assert_allclose(fused.numpy(), reference.numpy(), rtol=0, atol=1e-6)
    assert {key[0] for key in dynamic_module._COMPILED[cell]} == {"auto", "reference"}


def test_static_rnn_takes_the_fast_path_with_the_same_results() -> None:
    import tensorflow as tf

    v1 = tf.compat.v1
    data = np.random.default_rng(4).standard_normal((4, 2, 6)).astype(np.float32)

    def run(path: str) -> tuple[list[np.ndarray], Any, set[str]]:
        compat.set_seed(11)
        graph = tf.Graph()
        with graph.as_default(), rnn_path(path):
            steps = [v1.placeholder(tf.float32, [2, 6]) for _ in range(4)]
            outputs, state = static_rnn(
                LSTMCell(5, use_peepholes=True),
                steps,
                dtype=tf.float32,
                sequence_length=[3, 1],
            )
            names = [v.name for v in v1.global_variables()]
            types = {op.type for op in graph.get_operations()}
            with v1.Session(graph=graph) as session:
                session.run(v1.global_variables_initializer())
                feed = dict(zip(steps, data))
                got = session.run((outputs, state), feed)
        return got, names, types

    (outs_ref, state_ref), names_ref, types_ref = run("reference")
    (outs_fast, state_fast), names_fast, types_fast = run("auto")
    assert "BlockLSTM" in types_fast and "BlockLSTM" not in types_ref
    assert (
        names_fast
        == names_ref
        == [
            "rnn/lstm_cell/kernel:0",
            "rnn/lstm_cell/bias:0",
            "rnn/lstm_cell/w_f_diag:0",
            "rnn/lstm_cell/w_i_diag:0",
            "rnn/lstm_cell/w_o_diag:0",
        ]
    )
    assert len(outs_fast) == 4
    np.testing.assert_allclose(outs_fast, outs_ref, rtol=0, atol=1e-6)
    assert np.all(np.asarray(outs_fast)[3] == 0)
    np.testing.assert_allclose(state_fast, state_ref, rtol=0, atol=1e-6)


# Edge cases a fast path must get right too.


@pytest.mark.parametrize(
    "make",
    [
        lambda: LSTMCell(6, cell_clip=0.5),
        lambda: GRUCell(6),
        lambda: MultiRNNCell([LSTMCell(6), LSTMCell(5)]),
    ],
    ids=["lstm_clip", "gru", "stack"],
)
def test_nan_padding_after_the_longest_sequence_leaves_gradients_finite(
    make: Callable[[], Any],
) -> None:
    import tensorflow as tf

    x = np.random.default_rng(5).standard_normal((3, 6, 4)).astype(np.float32)
    x[:, 4:] = np.nan  # never read: the longest sequence has 4 steps
    lengths = [4, 2, 3]

    def gradients(path: str) -> list[np.ndarray]:
        cell = make()
        compat.set_seed(3)
        with rnn_path(path):
            with tf.GradientTape() as tape:
                outputs, state = dynamic_rnn(
                    cell, x, sequence_length=lengths, dtype=tf.float32
                )
                loss = tf.reduce_sum(outputs) + tf.reduce_sum(
                    tf.nest.flatten(state)[-1]
                )
            assert np.all(outputs.numpy()[:, 4:] == 0)
            return [g.numpy() for g in tape.gradient(loss, cell.trainable_variables)]

    fast = gradients("hoisted")
    reference = gradients("reference")
    assert all(np.all(np.isfinite(g)) for g in fast)
    for a, b in zip(fast, reference):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_empty_batch_gives_zero_weight_gradients_on_the_fused_path() -> None:
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None, None, 4])
        outputs, _ = dynamic_rnn(LSTMCell(6, use_peepholes=True), x, dtype=tf.float32)
        assert "BlockLSTM" in {op.type for op in graph.get_operations()}
        grads = tf.gradients(tf.reduce_sum(outputs), v1.trainable_variables())
        with v1.Session(graph=graph) as session:
            session.run(v1.global_variables_initializer())
            full = np.random.default_rng(6).standard_normal((5, 7, 4))
            for _ in range(8):  # the kernel's unset memory is what used to leak
                session.run(grads, {x: full})
                for grad in session.run(grads, {x: np.zeros((0, 7, 4))}):
                    assert np.all(grad == 0)


@pytest.mark.parametrize("make", [lambda: LSTMCell(6, cell_clip=1.0), _multi_lstm])
def test_zero_time_steps_give_zero_gradients(make: Callable[[], Any]) -> None:
    import tensorflow as tf

    cell = make()
    x = tf.zeros([3, 0, 4])
    with tf.GradientTape() as tape:
        outputs, state = dynamic_rnn(cell, x, dtype=tf.float32)
        loss = tf.reduce_sum(tf.nest.flatten(state)[-1])
    assert outputs.shape == (3, 0, cell.output_size)
    for grad in tape.gradient(loss, cell.trainable_variables):
        assert grad is None or np.all(grad.numpy() == 0)


def test_second_order_gradients_hoisted_works_fused_says_what_to_do() -> None:
    import tensorflow as tf

    x = tf.constant(np.random.default_rng(7).standard_normal((3, 5, 4)), tf.float32)

    def penalty(path: str) -> np.ndarray:
        cell = LSTMCell(6)
        compat.set_seed(9)
        with rnn_path(path):
            with tf.GradientTape() as outer:
                outer.watch(x)
                with tf.GradientTape() as inner:
                    inner.watch(x)
                    outputs, _ = dynamic_rnn(cell, x, dtype=tf.float32)
                    loss = tf.reduce_sum(outputs**2)
                total = tf.reduce_sum(inner.gradient(loss, x) ** 2)
            return outer.gradient(total, x).numpy()

    np.testing.assert_allclose(
        penalty("hoisted"), penalty("reference"), rtol=1e-5, atol=1e-6
    )
    with pytest.raises(LookupError, match=r"rnn_path\('hoisted'\)"):
        penalty("fused")


def test_fallback_warning_names_the_layer_and_points_at_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import tensorflow as tf

    with rnn_path("fused"):
        with pytest.warns(CompatWarning, match="layer 1 is a GRU cell") as caught:
            graph = tf.Graph()
            with graph.as_default():
                x = tf.compat.v1.placeholder(tf.float32, [2, None, 6])
                dynamic_rnn(
                    MultiRNNCell([LSTMCell(5), GRUCell(4)]), x, dtype=tf.float32
                )
    assert caught[0].filename == __file__
    monkeypatch.setenv("TF1COMPAT_RNN_PATH", " Reference ")
    assert get_rnn_path() == "reference"
