"""Behaviour of the shim's cells and dynamic_rnn beyond raw numbers.

Names, reuse rules, state structures, errors, checkpoints, gradients and
seeding, in v1 graph mode and eagerly. Numbers against TF1 itself are in
test_golden.py and test_oracle_live.py.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compat
from compat.errors import TF1DeprecationWarning
from compat.rnn import (
    BasicLSTMCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    RNNCell,
    dynamic_rnn,
)

pytestmark = pytest.mark.tf

SEED_INPUT = [
    [[1, 2, 3, 4, 3, 2], [1, 2, 1, 1, 1, 2], [1, 2, 2, 2, 2, 2]],
    [[1, 2, 3, 4, 3, 2], [3, 2, 2, 1, 1, 2], [0, 0, 0, 0, 3, 2]],
]


def names(variables: list[Any]) -> list[str]:
    return [v.name for v in variables]


# Signatures: TF1's names, order and defaults.


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (
            BasicLSTMCell,
            "(num_units, forget_bias=1.0, state_is_tuple=True, activation=None, "
            "reuse=None, name=None, dtype=None)",
        ),
        (
            LSTMCell,
            "(num_units, use_peepholes=False, cell_clip=None, initializer=None, "
            "num_proj=None, proj_clip=None, num_unit_shards=None, "
            "num_proj_shards=None, forget_bias=1.0, state_is_tuple=True, "
            "activation=None, reuse=None, name=None, dtype=None)",
        ),
        (MultiRNNCell, "(cells, state_is_tuple=True)"),
        (
            dynamic_rnn,
            "(cell, inputs, sequence_length=None, initial_state=None, dtype=None, "
            "parallel_iterations=None, swap_memory=False, time_major=False, "
            "scope=None)",
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


# Sizes and states.


def test_state_and_output_sizes() -> None:
    assert BasicLSTMCell(4).state_size == LSTMStateTuple(4, 4)
    assert BasicLSTMCell(4, state_is_tuple=True).output_size == 4
    assert LSTMCell(6, num_proj=3).state_size == LSTMStateTuple(6, 3)
    assert LSTMCell(6, num_proj=3).output_size == 3
    with pytest.warns(TF1DeprecationWarning, match="state_is_tuple=False"):
        assert LSTMCell(6, num_proj=3, state_is_tuple=False).state_size == 9
    stack = MultiRNNCell([LSTMCell(4), LSTMCell(5)])
    assert stack.state_size == (LSTMStateTuple(4, 4), LSTMStateTuple(5, 5))
    assert stack.output_size == 5


def test_lstm_state_tuple_is_a_namedtuple_with_dtype(tf: Any) -> None:
    state = LSTMStateTuple(tf.zeros([2, 3]), tf.ones([2, 3]))
    c, h = state
    assert state.c is c and state.h is h
    assert state.dtype == tf.float32
    assert state._fields == ("c", "h")
    with pytest.raises(TypeError, match="same dtype"):
        _ = LSTMStateTuple(tf.zeros([1]), tf.zeros([1], tf.float64)).dtype


@pytest.mark.parametrize("batch", [3, "tensor"])
def test_zero_state_with_int_or_tensor_batch(tf: Any, batch: Any) -> None:
    batch_size = 3 if batch == 3 else tf.constant(3)
    state = MultiRNNCell([BasicLSTMCell(2), LSTMCell(4, num_proj=1)]).zero_state(
        batch_size, tf.float64
    )
    assert isinstance(state[0], LSTMStateTuple)
    shapes = [tuple(t.shape) for t in tf.nest.flatten(state)]
    assert shapes == [(3, 2), (3, 2), (3, 4), (3, 1)]
    assert all(t.dtype == tf.float64 for t in tf.nest.flatten(state))
    assert all(not np.any(t.numpy()) for t in tf.nest.flatten(state))


def test_zero_state_with_unknown_batch_keeps_static_width(
    graph_session: Any, tf: Any
) -> None:
    batch = tf.compat.v1.placeholder(tf.int32, [])
    c, h = BasicLSTMCell(5).zero_state(batch, tf.float32)
    assert c.shape.as_list() == [None, 5]
    assert graph_session.run(h, {batch: 2}).shape == (2, 5)


# Variable names and reuse (v1 graph mode).


def test_seed_notebook_single_cell_names(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    cell = BasicLSTMCell(4, state_is_tuple=True)
    state = (tf.zeros([1, 4]),) * 2
    with v1.variable_scope("LSTM_sample1"):
        output, new_state = cell(tf.constant([[3, 2, 2, 2, 2, 2]], tf.float32), state)
    assert names(v1.global_variables()) == [
        "LSTM_sample1/basic_lstm_cell/kernel:0",
        "LSTM_sample1/basic_lstm_cell/bias:0",
    ]
    assert names(cell.variables) == names(v1.global_variables())
    assert cell.variables[0].shape.as_list() == [10, 16]
    assert isinstance(new_state, LSTMStateTuple)
    assert output.shape.as_list() == [1, 4]


def test_dynamic_rnn_stack_names_and_static_shapes(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    stack = MultiRNNCell([LSTMCell(4), LSTMCell(5)])
    data = v1.placeholder(tf.float32, [None, None, 6])
    output, state = dynamic_rnn(stack, data, dtype=tf.float32)
    assert names(v1.global_variables()) == [
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias:0",
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0",
    ]
    assert names(v1.trainable_variables()) == names(stack.trainable_variables)
    assert output.name == "rnn/transpose_1:0"
    assert output.shape.as_list() == [None, None, 5]
    assert [s.c.shape.as_list() for s in state] == [[None, 4], [None, 5]]
    graph_session.run(v1.global_variables_initializer())
    assert graph_session.run(output, {data: SEED_INPUT}).shape == (2, 3, 5)


def test_calling_a_cell_twice_reuses_its_variables(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    cell = LSTMCell(3, use_peepholes=True, num_proj=2)
    x = tf.ones([1, 2])
    out1, state1 = cell(x, cell.zero_state(1, tf.float32))
    out2, _ = cell(x, state1)
    assert names(v1.global_variables()) == [
        "lstm_cell/kernel:0",
        "lstm_cell/bias:0",
        "lstm_cell/w_f_diag:0",
        "lstm_cell/w_i_diag:0",
        "lstm_cell/w_o_diag:0",
        "lstm_cell/projection/kernel:0",
    ]
    graph_session.run(v1.global_variables_initializer())
    first, second = graph_session.run([out1, out2])
    assert first.shape == second.shape == (1, 2)
    assert not np.array_equal(first, second)


def test_two_cells_in_one_scope_get_unique_names(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    x = tf.ones([1, 2])
    with v1.variable_scope("layer"):
        a, b = BasicLSTMCell(2), BasicLSTMCell(2)
        a(x, a.zero_state(1, tf.float32))
        b(x, b.zero_state(1, tf.float32))
    assert names(v1.global_variables()) == [
        "layer/basic_lstm_cell/kernel:0",
        "layer/basic_lstm_cell/bias:0",
        "layer/basic_lstm_cell_1/kernel:0",
        "layer/basic_lstm_cell_1/bias:0",
    ]
    assert a.name == "basic_lstm_cell" and b.name == "basic_lstm_cell_1"


def test_scope_argument_and_named_cell(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    x = tf.ones([1, 2])
    a = BasicLSTMCell(2)
    a(x, a.zero_state(1, tf.float32), scope="my_scope")
    b = LSTMCell(2, name="decoder_cell")
    b(x, b.zero_state(1, tf.float32))
    dynamic_rnn(LSTMCell(2), tf.ones([1, 3, 2]), dtype=tf.float32, scope="enc")
    assert names(v1.global_variables()) == [
        "my_scope/kernel:0",
        "my_scope/bias:0",
        "decoder_cell/kernel:0",
        "decoder_cell/bias:0",
        "enc/lstm_cell/kernel:0",
        "enc/lstm_cell/bias:0",
    ]


def test_reuse_true_shares_variables_with_an_existing_cell(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    x = tf.ones([1, 2])
    first = BasicLSTMCell(2)
    first(x, first.zero_state(1, tf.float32))
    second = BasicLSTMCell(2, reuse=True)
    second(x, second.zero_state(1, tf.float32))
    assert len(v1.global_variables()) == 2
    assert all(a is b for a, b in zip(first.variables, second.variables))


def test_existing_variables_without_reuse_raise_tf1s_error(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    x = tf.ones([1, 2])
    with v1.variable_scope("s"):
        cell = BasicLSTMCell(2)
        cell(x, cell.zero_state(1, tf.float32), scope="shared")
    with v1.variable_scope("s"):
        other = BasicLSTMCell(2)
        with pytest.raises(ValueError, match="already exists"):
            other(x, other.zero_state(1, tf.float32), scope="shared")
    with v1.variable_scope("s", reuse=True):
        third = BasicLSTMCell(2)
        third(x, third.zero_state(1, tf.float32), scope="shared")
    assert third.variables[0] is cell.variables[0]


def test_scope_initializer_is_used_when_the_cell_has_none(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    with v1.variable_scope("init", initializer=v1.constant_initializer(0.25)):
        cell = LSTMCell(2, use_peepholes=True)
        cell(tf.ones([1, 1]), cell.zero_state(1, tf.float32))
    graph_session.run(v1.global_variables_initializer())
    kernel, bias, w_f = graph_session.run(cell.variables[:3])
    assert np.all(kernel == 0.25) and np.all(w_f == 0.25)
    assert np.all(bias == 0.0)


def test_argument_initializer_wins_over_the_seed(tf: Any) -> None:
    compat.set_seed(7)
    cell = LSTMCell(2, initializer=tf.constant_initializer(-0.5))
    cell(tf.ones([1, 1]), cell.zero_state(1, tf.float32))
    assert np.all(cell.variables[0].numpy() == -0.5)


# Eager mode and tf.function.


def test_eager_names_match_graph_names(tf: Any) -> None:
    v1 = tf.compat.v1
    with v1.variable_scope("eager_names"):
        stack = MultiRNNCell([BasicLSTMCell(3), LSTMCell(2, num_proj=1)])
        outputs, state = dynamic_rnn(stack, tf.ones([2, 4, 3]), dtype=tf.float32)
    assert names(stack.variables) == [
        "eager_names/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "eager_names/rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
        "eager_names/rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0",
        "eager_names/rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0",
        "eager_names/rnn/multi_rnn_cell/cell_1/lstm_cell/projection/kernel:0",
    ]
    assert outputs.shape == (2, 4, 1)
    assert state[1].c.shape == (2, 2) and state[1].h.shape == (2, 1)


def test_repeated_eager_and_tf_function_calls_reuse_variables(tf: Any) -> None:
    cell = LSTMCell(3)
    x = tf.random.stateless_normal([2, 5, 4], seed=[1, 2])
    eager_out, _ = dynamic_rnn(cell, x, dtype=tf.float32)
    count = len(cell.variables)

    @tf.function
    def run(inputs: Any) -> Any:
        return dynamic_rnn(cell, inputs, dtype=tf.float32)[0]

    compiled = run(x)
    again = run(x)
    assert len(cell.variables) == count == 2
    np.testing.assert_allclose(
        compiled.numpy(), eager_out.numpy(), rtol=1e-6, atol=1e-6
    )
    np.testing.assert_array_equal(again.numpy(), compiled.numpy())


def test_gradient_tape_reaches_every_variable(tf: Any) -> None:
    cell = MultiRNNCell([LSTMCell(3, use_peepholes=True), BasicLSTMCell(2)])
    x = tf.random.stateless_normal([2, 4, 3], seed=[3, 4])
    with tf.GradientTape() as tape:
        outputs, _ = dynamic_rnn(cell, x, sequence_length=[4, 2], dtype=tf.float32)
        loss = tf.reduce_sum(outputs**2)
    grads = tape.gradient(loss, cell.trainable_variables)
    assert len(grads) == 7
    assert all(g is not None and np.any(g.numpy() != 0) for g in grads)


def test_checkpoint_round_trip_eager(tf: Any, tmp_path: Path) -> None:
    cell = LSTMCell(3, num_proj=2)
    x = tf.ones([1, 2, 2])
    before, _ = dynamic_rnn(cell, x, dtype=tf.float32)
    path = tf.train.Checkpoint(cell=cell).save(str(tmp_path / "ckpt"))
    keys = {name for name, _ in tf.train.list_variables(path)}
    assert "cell/kernel/.ATTRIBUTES/VARIABLE_VALUE" in keys
    assert "cell/projection/kernel/.ATTRIBUTES/VARIABLE_VALUE" in {
        k.replace(".S", "/") for k in keys
    }
    for v in cell.variables:
        v.assign(tf.zeros_like(v))
    tf.train.Checkpoint(cell=cell).restore(path).assert_consumed()
    after, _ = dynamic_rnn(cell, x, dtype=tf.float32)
    np.testing.assert_array_equal(after.numpy(), before.numpy())


def test_saver_round_trip_uses_tf1_names(tf: Any, tmp_path: Path) -> None:
    v1 = tf.compat.v1
    prefix = str(tmp_path / "model")
    with tf.Graph().as_default(), v1.Session() as sess:
        out, _ = dynamic_rnn(
            MultiRNNCell([LSTMCell(3), LSTMCell(2)]),
            tf.ones([1, 2, 2]),
            dtype=tf.float32,
        )
        sess.run(v1.global_variables_initializer())
        expected = sess.run(out)
        v1.train.Saver().save(sess, prefix)
    stored = dict(tf.train.list_variables(prefix))
    assert stored == {
        "rnn/multi_rnn_cell/cell_0/lstm_cell/kernel": [5, 12],
        "rnn/multi_rnn_cell/cell_0/lstm_cell/bias": [12],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel": [5, 8],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/bias": [8],
    }
    with tf.Graph().as_default(), v1.Session() as sess:
        out, _ = dynamic_rnn(
            MultiRNNCell([LSTMCell(3), LSTMCell(2)]),
            tf.ones([1, 2, 2]),
            dtype=tf.float32,
        )
        v1.train.Saver().restore(sess, prefix)
        np.testing.assert_array_equal(sess.run(out), expected)


# Seeded initial values.


def _seeded_stack_output(tf: Any, graph: bool) -> tuple[list[str], np.ndarray]:
    v1 = tf.compat.v1
    if graph:
        with tf.Graph().as_default(), v1.Session() as sess:
            stack = MultiRNNCell([LSTMCell(4), LSTMCell(5)])
            data = v1.placeholder(tf.float32, [None, None, 6])
            output, _ = dynamic_rnn(stack, data, dtype=tf.float32)
            sess.run(v1.global_variables_initializer())
            return names(stack.variables), sess.run(output, {data: SEED_INPUT})
    stack = MultiRNNCell([LSTMCell(4), LSTMCell(5)])
    output, _ = dynamic_rnn(
        stack, tf.constant(SEED_INPUT, tf.float32), dtype=tf.float32
    )
    return names(stack.variables), output.numpy()


def test_seed_gives_the_same_weights_in_graph_and_eager(tf: Any) -> None:
    compat.set_seed(1234)
    graph_names, graph_out = _seeded_stack_output(tf, graph=True)
    eager_names, eager_out = _seeded_stack_output(tf, graph=False)
    assert graph_names == eager_names
    np.testing.assert_allclose(eager_out, graph_out, rtol=1e-6, atol=1e-6)
    compat.set_seed(1235)
    _, other = _seeded_stack_output(tf, graph=True)
    assert np.abs(other - graph_out).max() > 1e-3


def test_seeded_values_depend_on_the_full_name_only(tf: Any) -> None:
    from compat.seed import seeded_glorot_uniform

    a = seeded_glorot_uniform("rnn/lstm_cell/kernel", (10, 16), tf.float32, seed=5)
    b = seeded_glorot_uniform("rnn/lstm_cell/kernel:0", (10, 16), tf.float32, seed=5)
    c = seeded_glorot_uniform("rnn/lstm_cell_1/kernel", (10, 16), tf.float32, seed=5)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    limit = np.sqrt(6.0 / (10 + 16))
    assert np.abs(a.numpy()).max() <= limit
    assert np.abs(a.numpy()).max() > 0.8 * limit


def test_seed_from_environment_and_bad_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import numpy

    import compat.seed as seed_module

    monkeypatch.setenv("TF1COMPAT_SEED", "42")
    assert importlib.reload(seed_module).get_seed() == 42
    # A bad value does not break `import compat`; it is reported when used.
    monkeypatch.setenv("TF1COMPAT_SEED", "forty-two")
    reloaded = importlib.reload(seed_module)
    with pytest.raises(
        ValueError, match="TF1COMPAT_SEED must be an int .* 'forty-two'"
    ):
        reloaded.get_seed()
    monkeypatch.delenv("TF1COMPAT_SEED")
    importlib.reload(seed_module)
    with pytest.raises(ValueError, match="got -1"):
        compat.set_seed(-1)
    with pytest.raises(TypeError, match="got 1.5"):
        compat.set_seed(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="got '5'"):
        compat.set_seed("5")  # type: ignore[arg-type]
    compat.set_seed(numpy.int64(5))
    assert compat.get_seed() == 5


# Errors, each naming the argument and the shapes.


def test_cell_input_of_wrong_rank(tf: Any) -> None:
    cell = BasicLSTMCell(4)
    with pytest.raises(
        ValueError, match=r"inputs must have rank 2 .* got shape \(1, 3, 6\)"
    ):
        cell(tf.ones([1, 3, 6]), cell.zero_state(1, tf.float32))


def test_cell_state_of_wrong_size(tf: Any) -> None:
    cell = BasicLSTMCell(4)
    with pytest.raises(
        ValueError, match=r"state.h must have shape \[batch, 4\], got \(1, 3\)"
    ):
        cell(tf.ones([1, 6]), (tf.zeros([1, 4]), tf.zeros([1, 3])))
    with pytest.warns(TF1DeprecationWarning):
        concat_cell = LSTMCell(4, num_proj=2, state_is_tuple=False)
    with pytest.raises(
        ValueError, match=r"state must have shape \[batch, 6\], got \(1, 8\)"
    ):
        concat_cell(tf.ones([1, 6]), tf.zeros([1, 8]))


def test_integer_inputs_are_rejected(tf: Any) -> None:
    with pytest.raises(ValueError, match="LSTMCell: RNN cells only support floating"):
        dynamic_rnn(LSTMCell(2), tf.ones([1, 2, 3], tf.int32), dtype=tf.float32)
    with pytest.raises(ValueError, match="inputs must be numbers, got dtype bool"):
        dynamic_rnn(LSTMCell(2), tf.ones([1, 2, 3], tf.bool), dtype=tf.float32)
    cell = BasicLSTMCell(2)
    with pytest.raises(
        ValueError, match="floating point inputs and states, got dtype int32"
    ):
        cell(tf.ones([1, 3], tf.int32), (tf.zeros([1, 2]), tf.zeros([1, 2])))


def test_dynamic_rnn_errors(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    with pytest.raises(ValueError, match="pass dtype .* or an initial_state"):
        dynamic_rnn(LSTMCell(2), tf.ones([1, 2, 3]))
    with pytest.raises(
        ValueError,
        match=r"rank 3 \[batch_size, max_time, depth\] .* got shape \(2, 3\)",
    ):
        dynamic_rnn(LSTMCell(2), tf.ones([2, 3]), dtype=tf.float32)
    with pytest.raises(ValueError, match=r"depth of inputs .* must be known"):
        dynamic_rnn(
            LSTMCell(2),
            v1.placeholder(tf.float32, [None, None, None]),
            dtype=tf.float32,
        )
    with pytest.raises(
        ValueError, match=r"initial_state part 1 must have shape \[batch_size, 2\]"
    ):
        dynamic_rnn(
            LSTMCell(2),
            tf.ones([1, 2, 3]),
            initial_state=(tf.zeros([1, 2]), tf.zeros([1, 5])),
        )
    with pytest.raises(ValueError, match="expected 4 tensors, got 2"):
        stack = MultiRNNCell([LSTMCell(2), LSTMCell(2)])
        dynamic_rnn(
            stack,
            tf.ones([1, 2, 3]),
            initial_state=(tf.zeros([1, 2]), tf.zeros([1, 2])),
        )
    with pytest.raises(ValueError, match="sequence_length must be a vector"):
        dynamic_rnn(
            LSTMCell(2), tf.ones([1, 2, 3]), sequence_length=[[1]], dtype=tf.float32
        )
    with pytest.raises(TypeError, match="cell must be an RNN cell"):
        dynamic_rnn(object(), tf.ones([1, 2, 3]), dtype=tf.float32)


def test_sequence_length_batch_mismatch_fails_at_run_time_in_graph(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    data = v1.placeholder(tf.float32, [None, None, 3])
    lengths = v1.placeholder(tf.int32, [None])
    out, _ = dynamic_rnn(LSTMCell(2), data, sequence_length=lengths, dtype=tf.float32)
    graph_session.run(v1.global_variables_initializer())
    with pytest.raises(tf.errors.InvalidArgumentError, match="sequence_length"):
        graph_session.run(out, {data: np.ones([2, 3, 3]), lengths: [1, 2, 3]})


def test_constructor_errors() -> None:
    with pytest.raises(ValueError, match="num_units must be a positive integer, got 0"):
        BasicLSTMCell(0)
    with pytest.raises(ValueError, match="num_proj must be a positive int"):
        LSTMCell(3, num_proj=-1)
    with pytest.raises(NotImplementedError, match="num_unit_shards.*Instead: drop"):
        LSTMCell(3, num_unit_shards=2)
    with pytest.raises(ValueError, match="at least one cell"):
        MultiRNNCell([])
    with pytest.raises(TypeError, match="list or tuple of cells"):
        MultiRNNCell(BasicLSTMCell(2))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"cells \[0\] have tuple states"):
        MultiRNNCell([BasicLSTMCell(2)], state_is_tuple=False)
    with pytest.raises(ValueError, match="activation must be a callable or one of"):
        BasicLSTMCell(2, activation="swishy")


# Concatenated states and plain-tuple states.


@pytest.mark.usefixtures("reference_path")
def test_concatenated_state_equals_tuple_state(tf: Any) -> None:
    x = tf.random.stateless_normal([3, 4, 2], seed=[5, 6])
    tuple_cell = LSTMCell(3, num_proj=2, use_peepholes=True)
    out_t, st_t = dynamic_rnn(
        tuple_cell, x, sequence_length=[4, 1, 0], dtype=tf.float32
    )
    with pytest.warns(TF1DeprecationWarning):
        flat_cell = LSTMCell(3, num_proj=2, use_peepholes=True, state_is_tuple=False)
    flat_cell(x[:, 0], flat_cell.zero_state(3, tf.float32))
    for mine, theirs in zip(flat_cell.variables, tuple_cell.variables):
        mine.assign(theirs)
    out_f, st_f = dynamic_rnn(flat_cell, x, sequence_length=[4, 1, 0], dtype=tf.float32)
    np.testing.assert_array_equal(out_f.numpy(), out_t.numpy())
    np.testing.assert_array_equal(st_f.numpy(), np.concatenate([st_t.c, st_t.h], 1))


def test_plain_tuple_initial_state_comes_back_as_lstm_state_tuple(tf: Any) -> None:
    cell = BasicLSTMCell(2)
    init = (tf.ones([1, 2]), tf.ones([1, 2]))
    _, state = dynamic_rnn(cell, tf.ones([1, 3, 2]), initial_state=init)
    assert isinstance(state, LSTMStateTuple)


# TF1-style subclasses.


class ScaledIdentityCell(RNNCell):
    """A user cell in TF1's LayerRNNCell style: build() plus add_variable()."""

    def __init__(self, units: int) -> None:
        super().__init__()
        self._units = units

    @property
    def state_size(self) -> int:
        return self._units

    @property
    def output_size(self) -> int:
        return self._units

    def build(self, inputs_shape: Any) -> None:
        self._scale = self.add_variable(
            "scale",
            [self._units],
            initializer=lambda shape, dtype=None: np.full(shape, 2.0, np.float32),
        )

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        new = state + inputs * self._scale
        return new, new


class GetVariableCell(RNNCell):
    """A user cell in TF1's oldest style: get_variable inside call()."""

    @property
    def state_size(self) -> int:
        return 2

    @property
    def output_size(self) -> int:
        return 2

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        import tensorflow as tf

        w = tf.compat.v1.get_variable(
            "w", [2], initializer=tf.compat.v1.ones_initializer()
        )
        new = state + inputs * w
        return new, new


def test_user_subclass_with_build(tf: Any) -> None:
    cell = ScaledIdentityCell(2)
    outputs, state = dynamic_rnn(cell, tf.ones([1, 3, 2]), dtype=tf.float32)
    np.testing.assert_array_equal(outputs.numpy()[0, :, 0], [2.0, 4.0, 6.0])
    np.testing.assert_array_equal(state.numpy()[0], [6.0, 6.0])
    assert names(cell.variables)[0].endswith("scaled_identity_cell/scale:0")


def test_user_subclass_with_get_variable_in_graph(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    cell = GetVariableCell()
    outputs, _ = dynamic_rnn(cell, tf.ones([1, 3, 2]), dtype=tf.float32)
    assert names(v1.global_variables()) == ["rnn/get_variable_cell/w:0"]
    assert names(cell.variables) == ["rnn/get_variable_cell/w:0"]
    graph_session.run(v1.global_variables_initializer())
    np.testing.assert_array_equal(graph_session.run(outputs)[0, :, 1], [1.0, 2.0, 3.0])


def test_shim_cells_also_work_with_tensorflows_own_dynamic_rnn(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    cell = LSTMCell(3)
    ours, _ = dynamic_rnn(cell, tf.ones([2, 4, 3]), dtype=tf.float32)
    theirs, _ = v1.nn.dynamic_rnn(cell, tf.ones([2, 4, 3]), dtype=tf.float32)
    graph_session.run(v1.global_variables_initializer())
    a, b = graph_session.run([ours, theirs])
    np.testing.assert_array_equal(a, b)


# Mistakes TF1 let fail deep inside TF, reported up front here.


def test_one_cell_reused_for_a_different_input_depth(tf: Any) -> None:
    cell = LSTMCell(4)
    dynamic_rnn(cell, tf.ones([2, 3, 6]), dtype=tf.float32)
    with pytest.raises(
        ValueError, match="built for inputs of depth 6 and now gets depth 4"
    ):
        dynamic_rnn(cell, tf.ones([2, 3, 4]), dtype=tf.float32)
    with pytest.raises(ValueError, match="create one cell for each input"):
        dynamic_rnn(cell, tf.ones([2, 3, 4]), dtype=tf.float32)


def test_dtype_mismatches_name_both_dtypes(tf: Any) -> None:
    x64 = np.ones([2, 3, 4])  # NumPy's default float64
    with pytest.raises(ValueError, match="dtype is float32 but inputs are float64"):
        dynamic_rnn(LSTMCell(2), x64, dtype=tf.float32)
    with pytest.raises(
        ValueError, match="initial_state is float64 but inputs are float32"
    ):
        dynamic_rnn(
            LSTMCell(2),
            x64.astype(np.float32),
            initial_state=(np.zeros([2, 2]), np.zeros([2, 2])),
        )
    cell = BasicLSTMCell(2, dtype=tf.float64)
    with pytest.raises(ValueError, match="float64 weights but got float32 inputs"):
        cell(tf.ones([1, 3]), cell.zero_state(1, tf.float32))


def test_initial_state_batch_and_nesting_are_checked(tf: Any) -> None:
    x = tf.ones([2, 3, 4])
    with pytest.raises(ValueError, match="batch size 3 but inputs have batch size 2"):
        dynamic_rnn(LSTMCell(2), x, initial_state=(tf.zeros([3, 2]), tf.zeros([3, 2])))
    flat = tuple(tf.zeros([2, 2]) for _ in range(4))
    with pytest.raises(ValueError, match="nested like the cell's state_size"):
        dynamic_rnn(MultiRNNCell([LSTMCell(2), LSTMCell(2)]), x, initial_state=flat)
    with pytest.raises(
        ValueError, match="sequence_length must have batch_size=2 entries, got 3"
    ):
        dynamic_rnn(LSTMCell(2), x, sequence_length=[1, 2, 3], dtype=tf.float32)


def test_nested_python_lists_are_one_input(tf: Any) -> None:
    outputs, _ = dynamic_rnn(BasicLSTMCell(3), SEED_INPUT, dtype=tf.float32)
    assert outputs.shape == (2, 3, 3)


def test_more_constructor_and_state_errors(tf: Any) -> None:
    assert BasicLSTMCell(np.int64(4)).output_size == 4
    with pytest.raises(TypeError, match=r"cells\[0\] is 4 \(int\), not an RNN cell"):
        MultiRNNCell([4, 5])  # type: ignore[list-item]
    with pytest.raises(
        ValueError, match="batch_size must be an int or a scalar tensor"
    ):
        LSTMCell(2).zero_state(None, tf.float32)


class SeededGetVariableCell(RNNCell):
    """get_variable in call() with no initializer: the seed decides the weights."""

    @property
    def state_size(self) -> int:
        return 2

    @property
    def output_size(self) -> int:
        return 2

    def call(self, inputs: Any, state: Any) -> tuple[Any, Any]:
        import tensorflow as tf

        w = tf.compat.v1.get_variable("w", [2, 2])
        new = tf.tanh(state + tf.matmul(inputs, w))
        return new, new


def test_get_variable_cells_keep_their_weights_eagerly_and_are_seeded(tf: Any) -> None:
    compat.set_seed(11)
    eager = SeededGetVariableCell()
    first, _ = dynamic_rnn(eager, tf.ones([1, 3, 2]), dtype=tf.float32)
    second, _ = dynamic_rnn(eager, tf.ones([1, 3, 2]), dtype=tf.float32)
    assert names(eager.variables) == ["rnn/seeded_get_variable_cell/w:0"]
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    v1 = tf.compat.v1
    with tf.Graph().as_default(), v1.Session() as session:
        graph_cell = SeededGetVariableCell()
        dynamic_rnn(graph_cell, tf.ones([1, 3, 2]), dtype=tf.float32)
        session.run(v1.global_variables_initializer())
        graph_weights = session.run(graph_cell.variables[0])
    np.testing.assert_array_equal(graph_weights, eager.variables[0].numpy())
    assert np.abs(graph_weights).max() > 0


def test_one_cell_listed_for_every_layer_gets_weights_per_layer(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    cell = BasicLSTMCell(4)
    with pytest.warns(compat.CompatWarning, match="listed 3 times .* its own weights"):
        stack = MultiRNNCell([cell] * 3)
    outputs, _ = dynamic_rnn(
        stack, v1.placeholder(tf.float32, [None, None, 6]), dtype=tf.float32
    )
    shapes = {v.name: v.shape.as_list() for v in v1.global_variables()}
    assert shapes == {
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0": [10, 16],
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0": [16],
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/kernel:0": [8, 16],
        "rnn/multi_rnn_cell/cell_1/basic_lstm_cell/bias:0": [16],
        "rnn/multi_rnn_cell/cell_2/basic_lstm_cell/kernel:0": [8, 16],
        "rnn/multi_rnn_cell/cell_2/basic_lstm_cell/bias:0": [16],
    }
    assert len(stack.variables) == 6 and len(cell.variables) == 2
    assert outputs.shape.as_list() == [None, None, 4]
