"""compat.layers: TF1's layer functions, their names and their math.

``tf.layers`` survives as TF1's own code in tf-keras (``TF_USE_LEGACY_KERAS=1``),
which must not be installed beside the shim, so one shared program is run
twice: by the oracle environment on ``tf.compat.v1.layers`` and here on
``compat.layers``, in v1 graph mode with the same initial values. Names and
values must be equal, bitwise. The contrib functions are gone from every
installable TensorFlow; they are checked against NumPy versions of the
formulas TF1 documented, and against the TF1 source's rules for names.
"""

from __future__ import annotations

import inspect
import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import compat
from compat import layers
from tests.conftest import run_oracle

pytestmark = pytest.mark.tf

# One program, run by both environments. `L` is the layers module under test.
PROGRAM = textwrap.dedent(
    """
    def build(L, tf, np):
        v1 = tf.compat.v1
        rng = np.random.RandomState(11)

        def const(*shape):
            return v1.constant_initializer(rng.uniform(-1, 1, shape).astype("float32"))

        x2 = tf.constant(rng.uniform(-2, 2, (4, 5)).astype("float32"))
        x3 = tf.constant(rng.uniform(-2, 2, (3, 6, 5)).astype("float32"))
        flag = v1.placeholder_with_default(True, [])
        out = {}
        out["dense2"] = L.dense(x2, 3, activation=tf.nn.relu,
                                kernel_initializer=const(5, 3),
                                bias_initializer=const(3))
        out["dense3"] = L.dense(x3, 4, kernel_initializer=const(5, 4),
                                kernel_regularizer=lambda w: 0.01 * tf.nn.l2_loss(w),
                                activity_regularizer=lambda y: tf.reduce_sum(tf.abs(y)))
        out["named"] = L.dense(x2, 2, name="out", kernel_initializer=const(5, 2),
                               use_bias=False)
        out["named_again"] = L.dense(x2 * 2.0, 2, name="out", reuse=True,
                                     use_bias=False)
        out["conv_valid"] = L.conv1d(x3, 4, 3, kernel_initializer=const(3, 5, 4),
                                     bias_initializer=const(4), activation=tf.tanh)
        out["conv_same"] = L.conv1d(x3, 2, 2, strides=2, padding="same",
                                    kernel_initializer=const(2, 5, 2))
        out["conv_dilated"] = L.conv1d(x3, 3, 2, dilation_rate=2, padding="SAME",
                                       kernel_initializer=const(2, 5, 3))
        out["bn_train3"] = L.batch_normalization(x3, training=True,
                                                 gamma_initializer=const(5),
                                                 beta_initializer=const(5))
        out["bn_train2"] = L.batch_normalization(x2, momentum=0.9, epsilon=0.01,
                                                 training=flag, center=False)
        out["bn_axis1"] = L.batch_normalization(x3, axis=1, training=True,
                                                moving_mean_initializer=const(6))
        out["bn_infer"] = L.batch_normalization(x2, training=False,
                                                moving_variance_initializer=
                                                v1.constant_initializer(2.0))
        out["flat"] = L.flatten(x3)
        out["drop_off"] = L.dropout(x3, 0.4)
        out["drop_on"] = L.dropout(x3, 0.4, training=True, seed=3)
        out["drop_shape"] = L.dropout(x3, 0.5, noise_shape=[3, 1, None],
                                      training=flag, seed=5)
        updates = v1.get_collection(v1.GraphKeys.UPDATE_OPS)
        losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        names = [v.name for v in v1.global_variables()]
        trainable = [v.name for v in v1.trainable_variables()]
        return out, updates, losses, names, trainable
    """
)

ORACLE_DRIVER = textwrap.dedent(
    """
    import json, os, sys
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import numpy as np
    import tensorflow as tf
    namespace = {}
    exec(sys.stdin.read(), namespace)
    values, meta = namespace["run"](tf.compat.v1.layers, tf, np)
    np.savez(sys.argv[1], **values)
    print(json.dumps(meta))
    """
)

RUNNER = textwrap.dedent(
    """
    def run(L, tf, np):
        v1 = tf.compat.v1
        with tf.Graph().as_default(), v1.Session() as session:
            v1.set_random_seed(99)
            out, updates, losses, names, trainable = build(L, tf, np)
            session.run(v1.global_variables_initializer())
            values = session.run(out)
            values["losses"] = np.stack(session.run(losses))
            session.run(updates)
            for v in v1.global_variables():
                if "moving" in v.name:
                    values["after/" + v.name] = session.run(v)
            meta = {"names": names, "trainable": trainable,
                    "updates": len(updates), "losses": len(losses),
                    "shapes": {k: t.shape.as_list() for k, t in out.items()}}
        return values, meta
    """
)


def _run_here(tf: Any) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    namespace: dict[str, Any] = {}
    exec(PROGRAM + RUNNER, namespace)
    values, meta = namespace["run"](layers, tf, np)
    return values, json.loads(json.dumps(meta))


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("layers_oracle") / "values.npz"
    done = run_oracle(
        ["-c", ORACLE_DRIVER, str(out)], stdin=PROGRAM + RUNNER, timeout=300
    )
    meta = json.loads(done.stdout.strip().splitlines()[-1])
    with np.load(out) as data:
        values = {key: data[key] for key in data.files}
    return values, meta


@pytest.mark.oracle
def test_tf_layers_are_bitwise_tf1s_in_graph_mode(tf: Any, oracle: Any) -> None:
    want, want_meta = oracle
    got, meta = _run_here(tf)

    assert meta == want_meta
    assert sorted(got) == sorted(want)
    for key, value in want.items():
        assert got[key].dtype == value.dtype, key
        assert np.array_equal(got[key], value), (
            f"{key}: max abs error {np.abs(got[key] - value).max():.3g}"
        )


def test_variable_names_and_collections(tf: Any) -> None:
    _, meta = _run_here(tf)
    assert meta["names"][:6] == [
        "dense/kernel:0",
        "dense/bias:0",
        "dense_1/kernel:0",
        "dense_1/bias:0",
        "out/kernel:0",
        "conv1d/kernel:0",
    ]
    assert "batch_normalization/gamma:0" in meta["names"]
    assert meta["names"][-4:] == [
        "batch_normalization_3/gamma:0",
        "batch_normalization_3/beta:0",
        "batch_normalization_3/moving_mean:0",
        "batch_normalization_3/moving_variance:0",
    ]
    assert not any("moving" in name for name in meta["trainable"])
    # Three batch norms in training mode (one a run-time choice): two updates each.
    assert meta["updates"] == 6
    assert meta["losses"] == 2


# NumPy references of the documented formulas.


def _run(tf: Any, fetch: Any, feed: Any = None) -> Any:
    with tf.compat.v1.Session() as session:
        session.run(tf.compat.v1.global_variables_initializer())
        return session.run(fetch, feed)


def test_dense_and_fully_connected_match_numpy(graph_session: Any, tf: Any) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    w = rng.standard_normal((4, 5)).astype(np.float32)
    b = rng.standard_normal(5).astype(np.float32)
    init_w = tf.compat.v1.constant_initializer(w)
    init_b = tf.compat.v1.constant_initializer(b)
    y_dense = layers.dense(
        x, 5, tf.nn.sigmoid, kernel_initializer=init_w, bias_initializer=init_b
    )
    y_fc = layers.fully_connected(
        x, 5, weights_initializer=init_w, biases_initializer=init_b
    )
    y_linear = layers.linear(
        x[:, 0], 5, weights_initializer=init_w, biases_initializer=None
    )
    got = _run(tf, [y_dense, y_fc, y_linear])

    affine = x @ w + b
    np.testing.assert_allclose(got[0], 1 / (1 + np.exp(-affine)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got[1], np.maximum(affine, 0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[2], x[:, 0] @ w, rtol=1e-5, atol=1e-5)
    assert y_dense.shape.as_list() == [2, 3, 5]


def test_conv1d_matches_numpy(graph_session: Any, tf: Any) -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 7, 3)).astype(np.float32)
    k = rng.standard_normal((3, 3, 4)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    y = layers.conv1d(
        x,
        4,
        3,
        strides=2,
        kernel_initializer=tf.compat.v1.constant_initializer(k),
        bias_initializer=tf.compat.v1.constant_initializer(b),
    )
    got = _run(tf, y)

    want = np.stack(
        [np.einsum("bkc,kcf->bf", x[:, t : t + 3], k) + b for t in range(0, 5, 2)], 1
    )
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_batch_normalization_matches_numpy(graph_session: Any, tf: Any) -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((6, 4)).astype(np.float32) * 3 + 1
    y = layers.batch_normalization(x, momentum=0.8, epsilon=0.01, training=True)
    updates = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
    variables = {v.name: v for v in tf.compat.v1.global_variables()}
    got = _run(tf, y)
    graph_session.run(tf.compat.v1.global_variables_initializer())
    graph_session.run(updates)
    mean = graph_session.run(variables["batch_normalization/moving_mean:0"])
    var = graph_session.run(variables["batch_normalization/moving_variance:0"])

    np.testing.assert_allclose(
        got, (x - x.mean(0)) / np.sqrt(x.var(0) + 0.01), rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(mean, 0.2 * x.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(var, 0.8 + 0.2 * x.var(0), rtol=1e-5, atol=1e-6)


def test_dropout_scales_kept_units(graph_session: Any, tf: Any) -> None:
    x = np.ones((50, 40), np.float32)
    training = tf.compat.v1.placeholder(tf.bool, [])
    y = layers.dropout(x, rate=0.25, training=training)
    on, off = (_run(tf, y, {training: t}) for t in (True, False))

    np.testing.assert_array_equal(off, x)
    assert set(np.unique(on)) <= {0.0, np.float32(1 / 0.75)}
    assert 0.15 < np.mean(on == 0) < 0.35


def test_flatten_shapes(graph_session: Any, tf: Any) -> None:
    x = tf.compat.v1.placeholder(tf.float32, [None, 3, 4])
    y = layers.flatten(x)
    first = layers.flatten(x, data_format="channels_first")
    value = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    got, got_first = _run(tf, [y, first], {x: value})
    assert y.shape.as_list() == [None, 12]
    np.testing.assert_array_equal(got, value.reshape(2, 12))
    np.testing.assert_array_equal(got_first, value.transpose(0, 2, 1).reshape(2, 12))


def _cross_entropy(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    return -np.take_along_axis(log_softmax, targets[..., None], -1)[..., 0]


@pytest.mark.parametrize(
    ("options", "reduce"),
    [
        ({}, lambda ce, w: ce.sum() / w.sum()),
        ({"average_across_batch": False}, lambda ce, w: ce.sum(1) / w.sum(1)),
        ({"average_across_timesteps": False}, lambda ce, w: ce.sum(0) / w.sum(0)),
        (
            {"average_across_timesteps": False, "average_across_batch": False},
            lambda ce, w: ce,
        ),
        (
            {
                "average_across_timesteps": False,
                "average_across_batch": False,
                "sum_over_timesteps": True,
                "sum_over_batch": True,
            },
            lambda ce, w: ce.sum() / np.count_nonzero(w),
        ),
        (
            {
                "average_across_timesteps": False,
                "sum_over_batch": True,
                "average_across_batch": False,
            },
            lambda ce, w: ce.sum(0) / np.count_nonzero(w, 0),
        ),
        # TF1.15 quirk, kept: with one average left on, a sum on the other axis
        # is ignored (the average wins).
        (
            {"average_across_timesteps": False, "sum_over_timesteps": True},
            lambda ce, w: ce.sum(0) / w.sum(0),
        ),
    ],
)
def test_sequence_loss_matches_numpy(tf: Any, options: Any, reduce: Any) -> None:
    rng = np.random.default_rng(4)
    logits = rng.standard_normal((3, 4, 6)).astype(np.float32)
    targets = rng.integers(0, 6, (3, 4)).astype(np.int32)
    weights = np.array([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]], np.float32)
    got = layers.sequence_loss(logits, targets, weights, **options).numpy()
    want = reduce(_cross_entropy(logits, targets) * weights, weights)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_sequence_loss_by_example_matches_numpy(tf: Any) -> None:
    rng = np.random.default_rng(5)
    logits = rng.standard_normal((4, 3, 6)).astype(np.float32)
    targets = rng.integers(0, 6, (4, 3)).astype(np.int32)
    weights = rng.uniform(0, 1, (4, 3)).astype(np.float32)
    got = layers.sequence_loss_by_example(list(logits), list(targets), list(weights))
    plain = layers.sequence_loss_by_example(
        list(logits), list(targets), list(weights), average_across_timesteps=False
    )
    ce = (_cross_entropy(logits, targets) * weights).sum(0)
    np.testing.assert_allclose(plain, ce, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(got, ce / (weights.sum(0) + 1e-12), rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="same length"):
        layers.sequence_loss_by_example(list(logits), list(targets)[:2], list(weights))


def test_xavier_initializer_limits(tf: Any) -> None:
    values = layers.xavier_initializer(seed=1)([300, 200]).numpy()
    limit = np.sqrt(6.0 / 500)
    assert np.abs(values).max() <= limit
    assert np.abs(values).max() > 0.95 * limit
    normal = layers.xavier_initializer(uniform=False, seed=1)([300, 200]).numpy()
    stddev = np.sqrt(1.3 / 250)
    assert np.abs(normal).max() <= 2 * stddev
    with pytest.raises(TypeError, match="floating point"):
        layers.xavier_initializer(dtype=tf.int32)


# Names, reuse and collections: TF1's rules.


def test_fully_connected_names_and_collections(graph_session: Any, tf: Any) -> None:
    v1 = tf.compat.v1
    x = tf.ones([2, 3])
    layers.fully_connected(
        x, 4, variables_collections=["mine"], outputs_collections="outs"
    )
    layers.fully_connected(x, 4, normalizer_fn=tf.identity)
    layers.linear(x, 2, scope="proj")
    layers.linear(x, 2, scope="proj", reuse=True)
    names = [v.name for v in v1.global_variables()]
    assert names == [
        "fully_connected/weights:0",
        "fully_connected/biases:0",
        "fully_connected_1/weights:0",
        "proj/weights:0",
        "proj/biases:0",
    ]
    assert [v.name for v in v1.get_collection(v1.GraphKeys.MODEL_VARIABLES)] == names
    assert len(v1.get_collection("mine")) == 2
    assert len(v1.get_collection("outs")) == 1
    with pytest.raises(ValueError, match="already exists"):
        layers.linear(x, 2, scope="proj")
    with pytest.raises(ValueError, match="num_outputs must be an int"):
        layers.fully_connected(x, 2.0)  # type: ignore[arg-type]


def test_dense_reuse_rules_are_tf1s(graph_session: Any, tf: Any) -> None:
    x = tf.ones([2, 3])
    with tf.compat.v1.variable_scope("model"):
        layers.dense(x, 2, name="h")
        layers.dense(x, 2, name="h", reuse=True)
        with pytest.raises(ValueError, match="already exists"):
            layers.dense(x, 2, name="h")
    with pytest.raises(ValueError, match="does not exist"):
        layers.dense(x, 2, name="missing", reuse=True)
    names = [v.name for v in tf.compat.v1.global_variables()]
    assert names == ["model/h/kernel:0", "model/h/bias:0"]


def test_seeded_defaults_follow_the_full_name(graph_session: Any, tf: Any) -> None:
    from compat.seed import seeded_glorot_uniform

    compat.set_seed(9)
    x = tf.ones([2, 3])
    layers.dense(x, 4)
    layers.fully_connected(x, 4, scope="fc")
    layers.dense(x, 4, name="fixed", kernel_initializer=tf.compat.v1.ones_initializer())
    variables = {v.name: v for v in tf.compat.v1.global_variables()}
    graph_session.run(tf.compat.v1.global_variables_initializer())
    for name in ("dense/kernel", "fc/weights"):
        want = seeded_glorot_uniform(name, (3, 4), tf.float32, seed=9)
        np.testing.assert_array_equal(
            graph_session.run(variables[name + ":0"]), graph_session.run(want)
        )
    assert np.all(graph_session.run(variables["fixed/kernel:0"]) == 1)


def _seeded_stack(tf: Any, x: Any) -> Any:
    h = layers.dense(x, 6, activation=tf.tanh, name="h")
    c = layers.conv1d(h, 3, 2, padding="same", name="c")
    b = layers.batch_normalization(c, training=True, name="bn")
    return layers.linear(layers.flatten(b), 2, scope="fc")


def test_eager_and_function_match_graph_mode(tf: Any) -> None:
    x = np.random.default_rng(6).standard_normal((2, 5, 4)).astype(np.float32)
    compat.set_seed(5)
    with tf.Graph().as_default():
        graph_value = _run(tf, _seeded_stack(tf, tf.constant(x)))

    eager_value = _seeded_stack(tf, tf.constant(x)).numpy()
    np.testing.assert_allclose(eager_value, graph_value, rtol=1e-6, atol=1e-6)

    # The moving averages were updated once eagerly, which does not change outputs.
    function = tf.function(lambda inputs: _seeded_stack(tf, inputs))
    for _ in range(2):
        np.testing.assert_allclose(
            function(tf.constant(x)).numpy(), graph_value, rtol=1e-6, atol=1e-6
        )


def test_eager_named_layers_find_their_variables_again(tf: Any) -> None:
    x = tf.ones([2, 3])
    first = layers.dense(x, 2, name="eager_again")
    second = layers.dense(x, 2, name="eager_again")
    np.testing.assert_array_equal(first.numpy(), second.numpy())
    # Made inside tf.function: its second trace finds the first trace's variables.
    fresh = tf.function(lambda inputs: layers.dense(inputs, 2, name="in_function"))
    np.testing.assert_array_equal(fresh(x).numpy(), fresh(x).numpy())
    assert "in_function/kernel" in layers._eager_store()
    with pytest.raises(ValueError, match="give the layer a name"):
        tf.function(lambda inputs: layers.dense(inputs, 2))(x)
    with pytest.raises(NotImplementedError, match="graph mode"):
        layers.dense(x, 2, name="eager_reg", kernel_regularizer=tf.nn.l2_loss)


def test_eager_gradients_reach_layer_variables(tf: Any) -> None:
    x = tf.ones([2, 3])
    with tf.GradientTape() as tape:
        y = layers.fully_connected(x, 2, scope="grad_fc")
        loss = tf.reduce_sum(y * y)
    store = layers._eager_store()
    variables = [store["grad_fc/weights"], store["grad_fc/biases"]]
    grads = tape.gradient(loss, variables)
    assert all(g is not None for g in grads)


def test_run_n_runs_and_restores(tmp_path: Path, tf: Any) -> None:
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        counter = v1.get_variable("counter", initializer=3.0)
        feed = v1.placeholder(tf.float32, [])
        results = layers.run_n({"sum": counter + feed}, feed_dict={feed: 1.0}, n=3)
        assert [r["sum"] for r in results] == [4.0, 4.0, 4.0]

        with v1.Session() as session:
            session.run(counter.assign(10.0))
            path = v1.train.Saver().save(session, str(tmp_path / "ckpt"))
        restored = layers.run_n({"c": counter}, restore_checkpoint_path=path)
        assert restored == [{"c": 10.0}]
    with pytest.raises(ValueError, match="must not be empty"):
        layers.run_n({})
    with pytest.raises(RuntimeError, match="graph tensors"):
        layers.run_n({"x": tf.ones([1])})


def test_signatures_are_tf1s() -> None:
    def plain(function: Any) -> list[str]:
        return [
            p.name if p.default is inspect.Parameter.empty else f"{p.name}="
            for p in inspect.signature(function).parameters.values()
        ]

    assert plain(layers.dense) == [
        "inputs", "units", "activation=", "use_bias=", "kernel_initializer=",
        "bias_initializer=", "kernel_regularizer=", "bias_regularizer=",
        "activity_regularizer=", "kernel_constraint=", "bias_constraint=",
        "trainable=", "name=", "reuse=",
    ]  # fmt: skip
    assert plain(layers.dropout) == [
        "inputs", "rate=", "noise_shape=", "seed=", "training=", "name=",
    ]  # fmt: skip
    assert plain(layers.conv1d) == [
        "inputs", "filters", "kernel_size", "strides=", "padding=", "data_format=",
        "dilation_rate=", "activation=", "use_bias=", "kernel_initializer=",
        "bias_initializer=", "kernel_regularizer=", "bias_regularizer=",
        "activity_regularizer=", "kernel_constraint=", "bias_constraint=",
        "trainable=", "name=", "reuse=",
    ]  # fmt: skip
    assert plain(layers.batch_normalization)[:17] == [
        "inputs", "axis=", "momentum=", "epsilon=", "center=", "scale=",
        "beta_initializer=", "gamma_initializer=", "moving_mean_initializer=",
        "moving_variance_initializer=", "beta_regularizer=", "gamma_regularizer=",
        "beta_constraint=", "gamma_constraint=", "training=", "trainable=", "name=",
    ]  # fmt: skip
    assert plain(layers.fully_connected) == plain(layers.linear) == [
        "inputs", "num_outputs", "activation_fn=", "normalizer_fn=",
        "normalizer_params=", "weights_initializer=", "weights_regularizer=",
        "biases_initializer=", "biases_regularizer=", "reuse=",
        "variables_collections=", "outputs_collections=", "trainable=", "scope=",
    ]  # fmt: skip
    assert plain(layers.sequence_loss) == [
        "logits", "targets", "weights", "average_across_timesteps=",
        "average_across_batch=", "sum_over_timesteps=", "sum_over_batch=",
        "softmax_loss_function=", "name=",
    ]  # fmt: skip
    assert plain(layers.run_n) == [
        "output_dict", "feed_dict=", "restore_checkpoint_path=", "n=",
    ]  # fmt: skip
    defaults = inspect.signature(layers.batch_normalization).parameters
    assert defaults["momentum"].default == 0.99
    assert defaults["epsilon"].default == 1e-3
    assert inspect.signature(layers.linear).parameters["activation_fn"].default is None


def test_bad_arguments_say_what_is_wrong(graph_session: Any, tf: Any) -> None:
    with pytest.raises(ValueError, match="last dimension of inputs must be known"):
        layers.dense(tf.compat.v1.placeholder(tf.float32, [None, None]), 2)
    with pytest.raises(ValueError, match="rank >= 2"):
        layers.dense(tf.ones([3]), 2)
    with pytest.raises(NotImplementedError, match="channels_first"):
        layers.conv1d(tf.ones([1, 4, 2]), 2, 2, data_format="channels_first")
    with pytest.raises(NotImplementedError, match="renorm"):
        layers.batch_normalization(tf.ones([2, 3]), renorm=True)
    with pytest.raises(ValueError, match="axis must be"):
        layers.batch_normalization(tf.ones([2, 3]), axis=4)
    with pytest.raises(ValueError, match="cannot both be True"):
        layers.sequence_loss(
            tf.ones([1, 2, 3]), tf.zeros([1, 2], tf.int32), tf.ones([1, 2]),
            sum_over_timesteps=True,
        )  # fmt: skip
