"""TF1's other cells (compat.rnn.more_cells): numbers, names, errors, all modes.

BasicRNNCell and GRUCell are replayed against TF1's own numbers, recorded from
tf-keras' copies of TF1's cells by tests/oracle/make_more_cell_fixtures.py
(names and static shapes exactly, values within 1e-6; bitwise in graph mode
against a live oracle when one is available). The contrib cells have no such
oracle: they are checked against the NumPy reference in reference_more.py and
against TensorFlow's block kernels (``tf.raw_ops``), the C++ code that TF1's
contrib cells ran.
"""

from __future__ import annotations

import inspect
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compat
from compat.errors import TF1DeprecationWarning
from compat.rnn import LSTMCell, LSTMStateTuple, MultiRNNCell, dynamic_rnn
from compat.rnn.more_cells import (
    BasicRNNCell,
    GRUBlockCell,
    GRUCell,
    LayerNormBasicLSTMCell,
    LSTMBlockCell,
    LSTMBlockFusedCell,
)
from tests.conftest import REPO_ROOT, run_oracle
from tests.rnn import reference
from tests.rnn import reference_more as ref
from tests.rnn import replay as replay_module
from tests.rnn.replay import (
    MODES,
    Case,
    expected_static_shapes,
    expected_values,
    load_cases,
    replay,
)

pytestmark = pytest.mark.tf

FIXTURES = Path(__file__).parent / "fixtures_more_cells"
CASES = load_cases(FIXTURES)
GENERATOR = REPO_ROOT / "tests" / "oracle" / "make_more_cell_fixtures.py"

# float32 values may differ from TF1's in the last bits where eager mode runs
# unfused kernels; 1e-6 is the bar the shim promises.
RTOL = {"float32": 1e-6, "float64": 1e-12}
ATOL = {"float32": 1e-6, "float64": 1e-12}

_CLASSES: dict[str, Any] = {
    "BasicRNNCell": BasicRNNCell,
    "GRUCell": GRUCell,
    "BasicLSTMCell": compat.rnn.BasicLSTMCell,
    "LSTMCell": LSTMCell,
}


def names(variables: list[Any]) -> list[str]:
    return [v.name for v in variables]


def build_cell(spec: dict[str, Any]) -> Any:
    """Build a shim cell from a fixture's cell spec, these classes included."""
    import tensorflow as tf

    kwargs = dict(spec.get("kwargs", {}))
    if spec["class"] == "MultiRNNCell":
        return MultiRNNCell([build_cell(s) for s in spec["cells"]], **kwargs)
    activations = {"tanh": tf.tanh, "relu": tf.nn.relu, "sigmoid": tf.sigmoid}
    if "activation" in kwargs:
        kwargs["activation"] = activations[kwargs["activation"]]
    for key in ("initializer", "kernel_initializer", "bias_initializer"):
        if key in kwargs:
            assert kwargs[key]["class"] == "constant", kwargs[key]
            kwargs[key] = tf.compat.v1.constant_initializer(kwargs[key]["value"])
    return _CLASSES[spec["class"]](**kwargs)


@pytest.fixture
def shim_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let replay.py build these classes, which compat.rnn may not export yet."""
    monkeypatch.setattr(replay_module, "build_cell", build_cell)


def _reset_eager_names(tf: Any) -> None:
    # Eager variable scopes count names for the whole process (see replay.py).
    tf.compat.v1.get_default_graph().clear_collection(("__varscope",))


# TF1's numbers: BasicRNNCell and GRUCell against the recorded oracle.


def test_fixtures_cover_the_matrix() -> None:
    metas = [c.meta for c in CASES]

    def classes(spec: dict[str, Any]) -> set[str]:
        inner = set().union(*(classes(s) for s in spec.get("cells", [])))
        return {spec["class"]} | inner

    assert set().union(*(classes(m["cell"]) for m in metas)) >= {
        "BasicRNNCell",
        "GRUCell",
        "MultiRNNCell",
    }
    assert {m["kind"] for m in metas} == {"dynamic_rnn", "cell_call"}
    for key in ("time_major", "use_sequence_length", "use_initial_state"):
        assert {m[key] for m in metas} == {True, False}, key
    assert {m["dtype"] for m in metas} == {"float32", "float64"}
    assert any(m["placeholder"] for m in metas)
    assert any(0 in c.arrays.get("sequence_length", [1]) for c in CASES)


@pytest.mark.usefixtures("shim_cells")
@pytest.mark.filterwarnings("ignore::compat.errors.TF1DeprecationWarning")
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_shim_matches_tf1(case: Case, mode: str) -> None:
    result = replay(case, mode)

    assert result.variable_names == case.meta["variable_names"]
    if mode.startswith("graph"):
        assert result.static_shapes == expected_static_shapes(case)
    expected = expected_values(case)
    assert sorted(result.values) == sorted(expected)
    dtype = case.meta["dtype"]
    for key, want in expected.items():
        got = result.values[key]
        assert got.shape == want.shape and got.dtype == want.dtype, key
        np.testing.assert_allclose(
            got, want, rtol=RTOL[dtype], atol=ATOL[dtype], err_msg=key
        )


@pytest.fixture(scope="module")
def live_cases(tmp_path_factory: pytest.TempPathFactory) -> list[Case]:
    out = tmp_path_factory.mktemp("oracle_more_cells")
    run_oracle([str(GENERATOR), "--out", str(out)])
    return load_cases(out)


@pytest.mark.oracle
@pytest.mark.usefixtures("shim_cells")
@pytest.mark.usefixtures("reference_path")
def test_live_oracle_is_bitwise_equal_in_graph_mode(live_cases: list[Case]) -> None:
    committed = {c.name: c for c in CASES}
    assert sorted(committed) == sorted(c.name for c in live_cases)
    mismatches = []
    for case in live_cases:
        assert committed[case.name].meta == case.meta, case.name
        result = replay(case, "graph")
        assert result.variable_names == case.meta["variable_names"], case.name
        assert result.static_shapes == expected_static_shapes(case), case.name
        for key, want in expected_values(case).items():
            got = result.values[key]
            if got.dtype != want.dtype or not np.array_equal(got, want):
                mismatches.append(
                    f"{case.name}:{key} max abs {np.abs(got - want).max():.3g}"
                )
    assert mismatches == []


def test_generator_refuses_to_run_without_tf_keras(tmp_path: Path) -> None:
    import sys

    done = subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert "tf-keras" in done.stderr or "tf_keras" in done.stderr
    assert not any(tmp_path.iterdir())


# Signatures, sizes and variable names.


@pytest.mark.parametrize(
    ("cls", "expected"),
    [
        (
            BasicRNNCell,
            "(num_units, activation=None, reuse=None, name=None, dtype=None)",
        ),
        (
            GRUCell,
            "(num_units, activation=None, reuse=None, kernel_initializer=None, "
            "bias_initializer=None, name=None, dtype=None)",
        ),
        (
            LSTMBlockCell,
            "(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, "
            "dtype=None, reuse=None, name='lstm_cell')",
        ),
        (
            GRUBlockCell,
            "(num_units=None, cell_size=None, reuse=None, name='gru_cell')",
        ),
        (
            LSTMBlockFusedCell,
            "(num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, "
            "reuse=None, dtype=None, name='lstm_fused_cell')",
        ),
        (
            LayerNormBasicLSTMCell,
            "(num_units, forget_bias=1.0, input_size=None, activation=tanh, "
            "layer_norm=True, norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0, "
            "dropout_prob_seed=None, reuse=None)",
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
    text = str(plain)
    # The default activation prints as a function object; compare its name.
    tanh_default = sig.parameters.get("activation")
    if tanh_default is not None and callable(tanh_default.default):
        text = text.replace(repr(tanh_default.default), tanh_default.default.__name__)
    assert text == expected


def test_state_and_output_sizes(tf: Any) -> None:
    assert BasicRNNCell(4).state_size == 4 == BasicRNNCell(4).output_size
    assert GRUCell(3).state_size == 3 == GRUBlockCell(3).output_size
    for cell in (LSTMBlockCell(5), LSTMBlockFusedCell(5), LayerNormBasicLSTMCell(5)):
        assert cell.state_size == LSTMStateTuple(5, 5)
        assert cell.output_size == 5
    assert LSTMBlockFusedCell(6).num_units == 6
    zero = GRUBlockCell(3).zero_state(2, tf.float64)
    assert zero.shape == (2, 3) and zero.dtype == tf.float64
    c, h = LayerNormBasicLSTMCell(2).zero_state(tf.constant(4), tf.float32)
    assert c.shape == (4, 2) and h.shape == (4, 2)


_GRAPH_NAMES = [
    (
        lambda: LSTMBlockCell(4, use_peephole=True),
        [
            ("rnn/lstm_cell/kernel", [7, 16]),
            ("rnn/lstm_cell/bias", [16]),
            ("rnn/lstm_cell/w_i_diag", [4]),
            ("rnn/lstm_cell/w_f_diag", [4]),
            ("rnn/lstm_cell/w_o_diag", [4]),
        ],
    ),
    (
        lambda: GRUBlockCell(4),
        [
            ("rnn/gru_cell/w_ru", [7, 8]),
            ("rnn/gru_cell/b_ru", [8]),
            ("rnn/gru_cell/w_c", [7, 4]),
            ("rnn/gru_cell/b_c", [4]),
        ],
    ),
    (
        lambda: LSTMBlockFusedCell(4),
        [("rnn/lstm_fused_cell/kernel", [7, 16]), ("rnn/lstm_fused_cell/bias", [16])],
    ),
    (
        lambda: LayerNormBasicLSTMCell(4),
        [("rnn/layer_norm_basic_lstm_cell/kernel", [7, 16])]
        + [
            (f"rnn/layer_norm_basic_lstm_cell/{scope}/{leaf}", [4])
            for scope in ("input", "transform", "forget", "output", "state")
            for leaf in ("gamma", "beta")
        ],
    ),
    (
        lambda: LayerNormBasicLSTMCell(4, layer_norm=False),
        [
            ("rnn/layer_norm_basic_lstm_cell/kernel", [7, 16]),
            ("rnn/layer_norm_basic_lstm_cell/bias", [16]),
        ],
    ),
    (
        lambda: BasicRNNCell(4),
        [("rnn/basic_rnn_cell/kernel", [7, 4]), ("rnn/basic_rnn_cell/bias", [4])],
    ),
]


@pytest.mark.parametrize(("make", "expected"), _GRAPH_NAMES)
def test_tf1_variable_names_and_shapes_in_graph_and_eager(
    tf: Any, make: Callable[[], Any], expected: list[tuple[str, list[int]]]
) -> None:
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        cell = make()
        data = v1.placeholder(tf.float32, [None, None, 3])
        outputs, _ = dynamic_rnn(cell, data, dtype=tf.float32)
        got = [(v.name[:-2], v.shape.as_list()) for v in v1.global_variables()]
        assert names(cell.variables) == names(v1.global_variables())
        assert outputs.shape.as_list() == [None, None, 4]
    assert got == expected

    _reset_eager_names(tf)
    cell = make()
    dynamic_rnn(cell, tf.ones([2, 3, 3]), dtype=tf.float32)
    assert [(v.name[:-2], v.shape.as_list()) for v in cell.variables] == expected


def test_block_cells_named_in_a_stack_and_under_scopes(
    graph_session: Any, tf: Any
) -> None:
    v1 = tf.compat.v1
    stack = MultiRNNCell([GRUBlockCell(3), LSTMBlockCell(2), GRUCell(2)])
    dynamic_rnn(stack, tf.ones([2, 3, 5]), dtype=tf.float32, scope="encoder")
    with v1.variable_scope("layer"):
        a, b = LSTMBlockCell(2), LSTMBlockCell(2, name="mine")
        a(tf.ones([1, 2]), a.zero_state(1, tf.float32))
        b(tf.ones([1, 2]), b.zero_state(1, tf.float32))
    fused = LSTMBlockFusedCell(2)
    fused(tf.ones([3, 1, 2]), dtype=tf.float32, scope="decoder")
    assert [n[:-2] for n in names(v1.global_variables())] == [
        "encoder/multi_rnn_cell/cell_0/gru_cell/w_ru",
        "encoder/multi_rnn_cell/cell_0/gru_cell/b_ru",
        "encoder/multi_rnn_cell/cell_0/gru_cell/w_c",
        "encoder/multi_rnn_cell/cell_0/gru_cell/b_c",
        "encoder/multi_rnn_cell/cell_1/lstm_cell/kernel",
        "encoder/multi_rnn_cell/cell_1/lstm_cell/bias",
        "encoder/multi_rnn_cell/cell_2/gru_cell/gates/kernel",
        "encoder/multi_rnn_cell/cell_2/gru_cell/gates/bias",
        "encoder/multi_rnn_cell/cell_2/gru_cell/candidate/kernel",
        "encoder/multi_rnn_cell/cell_2/gru_cell/candidate/bias",
        "layer/lstm_cell/kernel",
        "layer/lstm_cell/bias",
        "layer/mine/kernel",
        "layer/mine/bias",
        "decoder/kernel",
        "decoder/bias",
    ]
    assert a.name == "lstm_cell"


def test_saver_writes_tf1_checkpoint_names(tf: Any, tmp_path: Path) -> None:
    v1 = tf.compat.v1
    with tf.Graph().as_default(), v1.Session() as session:
        cell = GRUBlockCell(3)
        dynamic_rnn(cell, tf.ones([1, 2, 2]), dtype=tf.float32)
        session.run(v1.global_variables_initializer())
        path = v1.train.Saver().save(session, str(tmp_path / "model"))
    stored = dict(tf.train.list_variables(path))
    assert stored == {
        "rnn/gru_cell/w_ru": [5, 6],
        "rnn/gru_cell/b_ru": [6],
        "rnn/gru_cell/w_c": [5, 3],
        "rnn/gru_cell/b_c": [3],
    }


# Values against the NumPy reference, in every mode.


def _random_weights(variables: list[Any]) -> dict[str, np.ndarray]:
    values = {}
    for v in variables:
        # Seeded by the full name, so graph and eager runs load the same values.
        rng = np.random.default_rng(zlib.crc32(v.name.encode()))
        leaf = v.name[:-2].rsplit("/", 1)[-1]
        shape = v.shape.as_list()
        low, high = {
            "gamma": (0.5, 1.5),
            "beta": (-0.3, 0.3),
            "bias": (-0.3, 0.3),
            "b_ru": (-0.3, 0.3),
            "b_c": (-0.3, 0.3),
        }.get(leaf, (-0.6, 0.6))
        values[v.name] = rng.uniform(low, high, shape).astype(v.dtype.as_numpy_dtype)
    return values


def _short(cell: Any) -> dict[str, np.ndarray]:
    return {name: np.asarray(v) for name, v in cell._weights.by_name.items()}


def run_shim(
    tf: Any,
    make: Callable[[], Any],
    x: np.ndarray,
    mode: str,
    sequence_length: Any = None,
    initial_state: Any = None,
    time_major: bool = False,
) -> tuple[Any, np.ndarray, list[np.ndarray], list[dict[str, np.ndarray]]]:
    """Run ``dynamic_rnn`` on the shim with random weights.

    Returns:
        The cell, the outputs, the flat final state and, per layer, the
        weights by short name.
    """
    v1 = tf.compat.v1
    kwargs: dict[str, Any] = {"time_major": time_major}
    if sequence_length is not None:
        kwargs["sequence_length"] = sequence_length
    if initial_state is None:
        kwargs["dtype"] = tf.as_dtype(x.dtype)
    if mode == "graph":
        with tf.Graph().as_default(), v1.Session() as session:
            if initial_state is not None:
                kwargs["initial_state"] = initial_state
            cell = make()
            data = v1.placeholder(tf.as_dtype(x.dtype), [None, None, x.shape[-1]])
            outputs, state = dynamic_rnn(cell, data, **kwargs)
            session.run(v1.global_variables_initializer())
            for v in cell.variables:
                v.load(_random_weights([v])[v.name], session)
            out, flat = session.run([outputs, tf.nest.flatten(state)], {data: x})
            layers = [
                {k: session.run(w) for k, w in layer._weights.by_name.items()}
                for layer in _layers(cell)
            ]
        return cell, out, flat, layers
    if initial_state is not None:
        kwargs["initial_state"] = initial_state
    cell = make()

    def run() -> Any:
        return dynamic_rnn(cell, tf.constant(x), **kwargs)

    step = tf.function(run) if mode == "function" else run
    step()
    for v in cell.variables:
        v.assign(_random_weights([v])[v.name])
    outputs, state = step()
    flat = [np.asarray(t) for t in tf.nest.flatten(state)]
    return cell, np.asarray(outputs), flat, [_short(layer) for layer in _layers(cell)]


def _layers(cell: Any) -> list[Any]:
    return list(cell._cells.items) if isinstance(cell, MultiRNNCell) else [cell]


def _lstm_block_reference(cell: Any, w: dict[str, np.ndarray]) -> reference.StepFn:
    def step(x: np.ndarray, state: Any) -> Any:
        return ref.lstm_block_step(
            x,
            state,
            w["kernel"],
            w["bias"],
            forget_bias=cell._forget_bias,
            cell_clip=cell._cell_clip,
            w_i_diag=w.get("w_i_diag"),
            w_f_diag=w.get("w_f_diag"),
            w_o_diag=w.get("w_o_diag"),
        )

    return step


def _step_reference(cell: Any, w: dict[str, np.ndarray]) -> reference.StepFn:
    """The NumPy step of one shim cell with the given weights."""
    if isinstance(cell, (LSTMBlockCell, LSTMBlockFusedCell)):
        return _lstm_block_reference(cell, w)
    if isinstance(cell, GRUBlockCell):
        return lambda x, h: ref.gru_block_step(
            x, h, w["w_ru"], w["b_ru"], w["w_c"], w["b_c"]
        )
    if isinstance(cell, GRUCell):
        return lambda x, h: ref.gru_step(
            x,
            h,
            w["gates/kernel"],
            w["gates/bias"],
            w["candidate/kernel"],
            w["candidate/bias"],
        )
    if isinstance(cell, BasicRNNCell):
        return lambda x, h: ref.basic_rnn_step(x, h, w["kernel"], w["bias"])
    assert isinstance(cell, LayerNormBasicLSTMCell)
    norms = None
    if cell._layer_norm:
        scopes = ("input", "transform", "forget", "output", "state")
        norms = {s: (w[f"{s}/gamma"], w[f"{s}/beta"]) for s in scopes}
    return lambda x, state: ref.layer_norm_lstm_step(
        x,
        state,
        w["kernel"],
        norms,
        bias=w.get("bias"),
        forget_bias=cell._forget_bias,
        activation=np.tanh,
    )


def _stack_reference(cells: list[Any], weights: list[dict[str, np.ndarray]]) -> Any:
    steps = [_step_reference(c, w) for c, w in zip(cells, weights)]
    if len(steps) == 1:
        return steps[0]

    def step(x: np.ndarray, states: Any) -> Any:
        new_states = []
        for layer_step, state in zip(steps, states):
            x, new_state = layer_step(x, state)
            new_states.append(new_state)
        return x, tuple(new_states)

    return step


_VALUE_CASES: dict[str, tuple[Callable[[], Any], dict[str, Any]]] = {
    "lstm_block": (lambda: LSTMBlockCell(4), {}),
    "lstm_block_peep_clip_forget05": (
        lambda: LSTMBlockCell(5, forget_bias=0.5, cell_clip=0.3, use_peephole=True),
        {"sequence_length": [5, 2, 0], "time_major": True},
    ),
    "gru_block": (lambda: GRUBlockCell(4), {"sequence_length": [3, 5, 1]}),
    "layer_norm_lstm": (
        lambda: LayerNormBasicLSTMCell(4, forget_bias=0.7, norm_gain=0.9),
        {"initial_state": True},
    ),
    "layer_norm_off": (
        lambda: LayerNormBasicLSTMCell(3, layer_norm=False),
        {"sequence_length": [2, 0, 4]},
    ),
    "fused_step_mode_peep": (
        lambda: LSTMBlockFusedCell(4, use_peephole=True, cell_clip=0.5),
        {"sequence_length": [1, 5, 3]},
    ),
    "stack": (
        lambda: MultiRNNCell(
            [LSTMBlockCell(4), GRUBlockCell(3), LayerNormBasicLSTMCell(5)]
        ),
        {"initial_state": True, "sequence_length": [4, 0, 5], "time_major": True},
    ),
}


# float64 in every mode for tight bounds; float32 where TF1 code usually runs.
_VALUE_MODES = [
    ("graph", "float32"),
    ("graph", "float64"),
    ("eager", "float64"),
    ("function", "float64"),
]


@pytest.mark.parametrize(
    ("mode", "dtype"), _VALUE_MODES, ids=[f"{m}-{d}" for m, d in _VALUE_MODES]
)
@pytest.mark.parametrize("name", sorted(_VALUE_CASES))
def test_contrib_cells_match_the_numpy_reference(
    tf: Any, name: str, mode: str, dtype: str
) -> None:
    make, options = _VALUE_CASES[name]
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    time_major = options.get("time_major", False)
    x = rng.uniform(-2, 2, (5, 3, 3) if time_major else (3, 5, 3)).astype(dtype)
    initial = None
    if options.get("initial_state"):
        sizes = make().state_size
        initial = tf.nest.map_structure(
            lambda n: rng.uniform(-1, 1, (3, n)).astype(dtype), sizes
        )
    cell, out, flat, weights = run_shim(
        tf,
        make,
        x,
        mode,
        sequence_length=options.get("sequence_length"),
        initial_state=initial,
        time_major=time_major,
    )
    cells = _layers(cell)
    if initial is None:
        zero = tf.nest.map_structure(lambda n: np.zeros((3, n), dtype), cell.state_size)
        initial = zero
    plain_initial = _plain(initial)
    want_out, want_state = reference.dynamic_rnn(
        _stack_reference(cells, weights),
        x,
        plain_initial,
        sequence_length=options.get("sequence_length"),
        time_major=time_major,
    )
    tol = 1e-10 if dtype == "float64" else 2e-6
    np.testing.assert_allclose(out, want_out, rtol=tol, atol=tol)
    for got, want in zip(flat, _flatten(want_state)):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)
    assert out.dtype == np.dtype(dtype)


def _plain(state: Any) -> Any:
    if isinstance(state, tuple):
        return tuple(_plain(s) for s in state)
    return state


def _flatten(state: Any) -> list[np.ndarray]:
    if isinstance(state, tuple):
        return [leaf for part in state for leaf in _flatten(part)]
    return [state]


# Against TensorFlow's block kernels, the code TF1's contrib cells ran.


@pytest.mark.parametrize(
    "options",
    [{}, {"forget_bias": 0.5, "cell_clip": 0.25, "use_peephole": True}],
    ids=["plain", "peep_clip_forget05"],
)
def test_lstm_block_cell_matches_tfs_kernel(tf: Any, options: dict[str, Any]) -> None:
    rng = np.random.default_rng(1)
    cell = LSTMBlockCell(4, **options)
    x = rng.uniform(-2, 2, (3, 5)).astype(np.float32)
    cs, h = (rng.uniform(-1, 1, (3, 4)).astype(np.float32) for _ in range(2))
    cell(x, (cs, h))
    for v in cell.variables:
        v.assign(rng.uniform(-0.6, 0.6, v.shape).astype(np.float32))
    out, (new_cs, new_h) = cell(x, (cs, h))
    w = cell._weights.by_name
    zeros = tf.zeros([4])
    _, kernel_cs, _, _, _, _, kernel_h = tf.raw_ops.LSTMBlockCell(
        x=x,
        cs_prev=cs,
        h_prev=h,
        w=w["kernel"],
        wci=w.get("w_i_diag", zeros),
        wcf=w.get("w_f_diag", zeros),
        wco=w.get("w_o_diag", zeros),
        b=w["bias"],
        forget_bias=options.get("forget_bias", 1.0),
        cell_clip=options.get("cell_clip", -1.0),
        use_peephole=options.get("use_peephole", False),
    )
    np.testing.assert_allclose(new_cs, kernel_cs, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(new_h, kernel_h, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(out, new_h)
    if "cell_clip" in options:
        assert np.abs(new_cs.numpy()).max() == pytest.approx(0.25)


def test_gru_block_cell_matches_tfs_kernel(tf: Any) -> None:
    rng = np.random.default_rng(2)
    cell = GRUBlockCell(4)
    x = rng.uniform(-2, 2, (3, 5)).astype(np.float32)
    h = rng.uniform(-1, 1, (3, 4)).astype(np.float32)
    cell(x, h)
    for v in cell.variables:
        v.assign(rng.uniform(-0.6, 0.6, v.shape).astype(np.float32))
    out, new_h = cell(x, h)
    w = cell._weights.by_name
    *_, kernel_h = tf.raw_ops.GRUBlockCell(
        x=x, h_prev=h, w_ru=w["w_ru"], w_c=w["w_c"], b_ru=w["b_ru"], b_c=w["b_c"]
    )
    np.testing.assert_allclose(new_h, kernel_h, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(out, new_h)


@pytest.mark.parametrize("sequence_length", [None, [6, 2, 0, 4]])
def test_fused_cell_matches_tfs_block_lstm_kernel(
    tf: Any, sequence_length: list[int] | None
) -> None:
    rng = np.random.default_rng(3)
    cell = LSTMBlockFusedCell(4, forget_bias=0.8, cell_clip=0.9, use_peephole=True)
    x = rng.uniform(-2, 2, (6, 4, 3)).astype(np.float32)
    cs0, h0 = (rng.uniform(-1, 1, (4, 4)).astype(np.float32) for _ in range(2))
    cell(x, initial_state=(cs0, h0))
    for v in cell.variables:
        v.assign(rng.uniform(-0.6, 0.6, v.shape).astype(np.float32))
    outputs, state = cell(x, (cs0, h0), sequence_length=sequence_length)
    w = cell._weights.by_name
    lengths = np.array(sequence_length or [6] * 4)
    _, cs, _, _, _, _, h = tf.raw_ops.BlockLSTM(
        seq_len_max=np.int64(lengths.max()),
        x=x,
        cs_prev=cs0,
        h_prev=h0,
        w=w["kernel"],
        wci=w["w_i_diag"],
        wcf=w["w_f_diag"],
        wco=w["w_o_diag"],
        b=w["bias"],
        forget_bias=0.8,
        cell_clip=0.9,
        use_peephole=True,
    )
    # TF1's wrapper: mask the outputs, read the final state at each length.
    mask = (np.arange(6)[:, None] < lengths[None, :])[:, :, None]
    want_outputs = np.asarray(h) * mask
    all_cs = np.concatenate([cs0[None], np.asarray(cs)])
    all_h = np.concatenate([h0[None], want_outputs])
    batch = np.arange(4)
    np.testing.assert_allclose(outputs, want_outputs, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(state.c, all_cs[lengths, batch], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(state.h, all_h[lengths, batch], rtol=1e-6, atol=1e-6)


# The fused cell's own calling convention.


def test_fused_cell_sequence_mode_equals_its_step_mode_in_dynamic_rnn(tf: Any) -> None:
    rng = np.random.default_rng(4)
    x = rng.uniform(-2, 2, (5, 3, 2)).astype(np.float64)
    cell = LSTMBlockFusedCell(3, use_peephole=True)
    lengths = [5, 0, 2]
    fused_out, fused_state = cell(x, dtype=tf.float64, sequence_length=lengths)
    for v in cell.variables:
        v.assign(rng.uniform(-0.6, 0.6, v.shape))
    fused_out, fused_state = cell(x, dtype=tf.float64, sequence_length=lengths)
    loop_out, loop_state = dynamic_rnn(
        cell, x, sequence_length=lengths, dtype=tf.float64, time_major=True
    )
    assert len(cell.variables) == 5
    np.testing.assert_allclose(fused_out, loop_out, rtol=1e-12, atol=1e-12)
    for got, want in zip(fused_state, loop_state):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    assert isinstance(fused_state, LSTMStateTuple)
    np.testing.assert_array_equal(fused_out[2:, 2], 0.0)
    np.testing.assert_array_equal(fused_state.h[1], 0.0)


def test_fused_cell_list_inputs_placeholders_and_tf_function(tf: Any) -> None:
    v1 = tf.compat.v1
    x = np.random.default_rng(5).uniform(-1, 1, (4, 2, 3)).astype(np.float32)
    with tf.Graph().as_default(), v1.Session() as session:
        cell = LSTMBlockFusedCell(5)
        data = v1.placeholder(tf.float32, [None, None, 3])
        lengths = v1.placeholder(tf.int64, [None])
        outputs, state = cell(data, dtype=tf.float32, sequence_length=lengths)
        steps, _ = cell([tf.constant(x[t]) for t in range(4)], dtype=tf.float32)
        assert outputs.shape.as_list() == [None, None, 5]
        assert state.c.shape.as_list() == [None, 5]
        assert isinstance(steps, list) and len(steps) == 4
        session.run(v1.global_variables_initializer())
        graph_out, graph_steps = session.run(
            [outputs, steps], {data: x, lengths: [4, 4]}
        )
        weights = session.run(cell.variables)
    np.testing.assert_allclose(np.stack(graph_steps), graph_out, rtol=1e-6)

    eager = LSTMBlockFusedCell(5)
    run = tf.function(lambda inputs: eager(inputs, dtype=tf.float32)[0])
    run(tf.constant(x))
    for v, value in zip(eager.variables, weights):
        v.assign(value)
    np.testing.assert_allclose(run(tf.constant(x)), graph_out, rtol=1e-6, atol=1e-6)


# Errors: the rule, the argument and the value got.


@pytest.mark.parametrize(
    "make",
    [
        lambda: BasicRNNCell(2),
        lambda: GRUCell(2),
        lambda: GRUBlockCell(2),
        lambda: LSTMBlockCell(2),
        lambda: LayerNormBasicLSTMCell(2),
    ],
)
def test_step_cell_input_and_state_errors(tf: Any, make: Callable[[], Any]) -> None:
    cell = make()
    state = cell.zero_state(1, tf.float32)
    with pytest.raises(ValueError, match=r"rank 2 .* got shape \(1, 3, 6\)"):
        cell(tf.ones([1, 3, 6]), state)
    with pytest.raises(ValueError, match="floating point .* got dtype int32"):
        cell(tf.ones([1, 3], tf.int32), state)
    with pytest.raises(ValueError, match="last dimension of inputs must be known"):
        with tf.Graph().as_default():
            cell(tf.compat.v1.placeholder(tf.float32, [1, None]), state)
    bad = tf.nest.map_structure(lambda t: tf.zeros([1, 3]), state)
    with pytest.raises(ValueError, match=r"must have shape \[batch, 2\], got \(1, 3\)"):
        cell(tf.ones([1, 3]), bad)
    cell(tf.ones([1, 3]), state)
    with pytest.raises(ValueError, match="built for inputs of depth 3 .* depth 4"):
        cell(tf.ones([1, 4]), state)
    with pytest.raises(ValueError, match="float32 weights but got float64 inputs"):
        cell(tf.ones([1, 3], tf.float64), state)


def test_state_structure_errors(tf: Any) -> None:
    with pytest.raises(
        ValueError, match=r"one tensor of shape \[batch, 2\], got a tuple"
    ):
        GRUCell(2)(tf.ones([1, 3]), (tf.zeros([1, 2]),))
    with pytest.raises(ValueError, match="2-tuple"):
        LSTMBlockCell(2)(tf.ones([1, 3]), tf.zeros([1, 4]))


def test_fused_cell_errors(tf: Any) -> None:
    cell = LSTMBlockFusedCell(2)
    with pytest.raises(ValueError, match=r"rank 3 \[time, batch, input_size\]"):
        cell(tf.ones([2, 1, 3, 4]), dtype=tf.float32)
    with pytest.raises(ValueError, match="to run one step call cell"):
        cell(tf.ones([1, 3]), dtype=tf.float32)
    with pytest.raises(ValueError, match="either initial_state or dtype"):
        cell(tf.ones([2, 1, 3]))
    with pytest.raises(ValueError, match="pair \\(cs, h\\)"):
        cell(tf.ones([2, 1, 3]), initial_state=(tf.zeros([1, 2]),) * 3)
    with pytest.raises(ValueError, match="floating point .* int32"):
        cell(tf.ones([2, 1, 3], tf.int32), dtype=tf.float32)
    with pytest.raises(ValueError, match="state's dtype \\(float64\\)"):
        cell(tf.ones([2, 1, 3]), dtype=tf.float64)
    with pytest.raises(ValueError, match="batch_size=1 lengths .* got shape \\(2,\\)"):
        cell(tf.ones([2, 1, 3]), dtype=tf.float32, sequence_length=[2, 2])


def test_constructor_errors_and_deprecations() -> None:
    with pytest.raises(ValueError, match="exactly one of num_units or cell_size"):
        GRUBlockCell()
    with pytest.raises(ValueError, match="exactly one of num_units or cell_size"):
        GRUBlockCell(3, cell_size=3)
    with pytest.warns(TF1DeprecationWarning, match="cell_size is deprecated"):
        assert GRUBlockCell(cell_size=3).state_size == 3
    with pytest.warns(TF1DeprecationWarning, match="input_size parameter"):
        LayerNormBasicLSTMCell(3, input_size=5)
    with pytest.raises(ValueError, match="num_units must be a positive integer"):
        GRUCell(0)
    with pytest.raises(TypeError, match="forget_bias must be a number"):
        LSTMBlockCell(3, forget_bias="1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cell_clip must be a number or None"):
        LSTMBlockFusedCell(3, cell_clip="big")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="activation must be a callable or one of"):
        BasicRNNCell(3, activation="swishy")


# Initial values, seeds, gradients and dropout.


def test_default_initial_values_and_initializers(tf: Any) -> None:
    x = tf.ones([1, 2])
    gru = GRUCell(3)
    gru(x, gru.zero_state(1, tf.float32))
    w = _short(gru)
    np.testing.assert_array_equal(w["gates/bias"], 1.0)
    np.testing.assert_array_equal(w["candidate/bias"], 0.0)
    const = GRUCell(
        3,
        kernel_initializer=tf.compat.v1.constant_initializer(0.1),
        bias_initializer=tf.compat.v1.constant_initializer(0.2),
    )
    const(x, const.zero_state(1, tf.float32))
    w = _short(const)
    np.testing.assert_allclose(w["gates/kernel"], 0.1)
    np.testing.assert_allclose(w["candidate/kernel"], 0.1)
    np.testing.assert_allclose(w["gates/bias"], 0.2)
    np.testing.assert_allclose(w["candidate/bias"], 0.2)
    block = GRUBlockCell(3)
    block(x, block.zero_state(1, tf.float32))
    np.testing.assert_array_equal(_short(block)["b_ru"], 1.0)
    np.testing.assert_array_equal(_short(block)["b_c"], 0.0)
    lstm = LSTMBlockCell(3, use_peephole=True)
    lstm(x, lstm.zero_state(1, tf.float32))
    np.testing.assert_array_equal(_short(lstm)["bias"], 0.0)
    norm = LayerNormBasicLSTMCell(3, norm_gain=0.5, norm_shift=0.25)
    norm(x, norm.zero_state(1, tf.float32))
    w = _short(norm)
    np.testing.assert_array_equal(w["state/gamma"], 0.5)
    np.testing.assert_array_equal(w["input/beta"], 0.25)


def _seeded_values(tf: Any, make: Callable[[], Any], graph: bool) -> dict[str, Any]:
    v1 = tf.compat.v1
    if graph:
        with tf.Graph().as_default(), v1.Session() as session:
            cell = make()
            dynamic_rnn(cell, tf.ones([1, 2, 3]), dtype=tf.float32)
            session.run(v1.global_variables_initializer())
            return {v.name: session.run(v) for v in cell.variables}
    _reset_eager_names(tf)
    cell = make()
    dynamic_rnn(cell, tf.ones([1, 2, 3]), dtype=tf.float32)
    return {v.name: v.numpy() for v in cell.variables}


@pytest.mark.parametrize(
    "make",
    [
        lambda: MultiRNNCell([BasicRNNCell(2), GRUCell(3), GRUBlockCell(2)]),
        lambda: MultiRNNCell(
            [LSTMBlockCell(2, use_peephole=True), LSTMBlockFusedCell(3)]
        ),
        lambda: LayerNormBasicLSTMCell(3, layer_norm=False),
    ],
    ids=["rnn_gru", "lstm_block", "layer_norm_off"],
)
def test_seed_gives_the_same_weights_in_graph_and_eager(
    tf: Any, make: Callable[[], Any]
) -> None:
    compat.set_seed(99)
    graph = _seeded_values(tf, make, graph=True)
    eager = _seeded_values(tf, make, graph=False)
    assert list(graph) == list(eager)
    for name, value in graph.items():
        np.testing.assert_array_equal(eager[name], value, err_msg=name)
        if name.endswith(("kernel:0", "w_ru:0", "w_c:0", "diag:0")):
            assert np.abs(value).max() > 0, name
    compat.set_seed(98)
    other = _seeded_values(tf, make, graph=True)
    kernel = next(iter(graph))
    assert not np.array_equal(other[kernel], graph[kernel])


@pytest.mark.parametrize(
    "make",
    [
        lambda: MultiRNNCell([GRUCell(3), BasicRNNCell(2)]),
        lambda: MultiRNNCell([LSTMBlockCell(3, use_peephole=True), GRUBlockCell(2)]),
        lambda: LayerNormBasicLSTMCell(3),
        lambda: LSTMBlockFusedCell(3, use_peephole=True, cell_clip=5.0),
    ],
    ids=["gru_rnn", "block", "layer_norm", "fused"],
)
def test_gradient_tape_reaches_every_variable(tf: Any, make: Callable[[], Any]) -> None:
    cell = make()
    x = tf.random.stateless_normal([2, 4, 3], seed=[3, 4])
    with tf.GradientTape() as tape:
        if isinstance(cell, LSTMBlockFusedCell):
            time_major = tf.transpose(x, [1, 0, 2])
            outputs, _ = cell(time_major, dtype=tf.float32, sequence_length=[4, 2])
        else:
            outputs, _ = dynamic_rnn(cell, x, sequence_length=[4, 2], dtype=tf.float32)
        loss = tf.reduce_sum(outputs**2)
    grads = tape.gradient(loss, cell.trainable_variables)
    assert len(grads) == len(cell.variables) > 0
    assert all(g is not None and np.any(g.numpy() != 0) for g in grads)


def test_layer_norm_dropout(tf: Any) -> None:
    x = tf.random.stateless_normal([8, 4, 3], seed=[5, 6])

    def outputs(keep: Any, seed: int | None = None) -> np.ndarray:
        compat.set_seed(3)
        _reset_eager_names(tf)
        cell = LayerNormBasicLSTMCell(6, dropout_keep_prob=keep, dropout_prob_seed=seed)
        return np.asarray(dynamic_rnn(cell, x, dtype=tf.float32)[0])

    full = outputs(1.0)
    np.testing.assert_array_equal(outputs(1), full)
    np.testing.assert_array_equal(outputs(tf.constant(1.0)), full)
    tf.random.set_seed(0)
    dropped = outputs(0.5, seed=7)
    assert not np.allclose(dropped, full)
    with pytest.raises(ValueError, match="dropout_keep_prob must be a float"):
        outputs("half")
