"""Each codemod on its own: the idiom it rewrites and what it leaves alone."""

from __future__ import annotations

import libcst as cst
import pytest

from compat.convert import codemods


def _run(command_class: type, source: str, extra_aliases: str = "") -> tuple[str, list]:
    module = cst.parse_module(source)
    aliases = codemods.collect_aliases(
        [(module, source), (cst.parse_module(extra_aliases), extra_aliases)]
    )
    command = command_class(aliases)
    result = codemods.run_command(command, module)
    return result.code, command.warnings


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import tensorflow.contrib.rnn as r\n", "import compat.rnn as r\n"),
        ("from tensorflow.contrib import rnn\n", "from compat import rnn\n"),
        (
            "from tensorflow.nn import rnn_cell as rc\n",
            "from compat import rnn as rc\n",
        ),
        (
            "from tensorflow.contrib.rnn import LSTMCell\n",
            "from compat.rnn import LSTMCell\n",
        ),
        (
            "from tensorflow import placeholder\n",
            "from tensorflow.compat.v1 import placeholder\n",
        ),
        ("from tensorflow import float32\n", "from tensorflow import float32\n"),
        ("import tensorflow as tf\n", "import tensorflow as tf\n"),
    ],
)
def test_rewrite_tensorflow_imports(source: str, expected: str) -> None:
    code, warnings = _run(codemods.RewriteTensorflowImportsCommand, source)
    assert code == expected
    assert warnings == []


def test_rewrite_imports_warns_on_unprovided_names() -> None:
    code, warnings = _run(
        codemods.RewriteTensorflowImportsCommand,
        "from tensorflow.contrib.rnn import NASCell, LSTMCell\n",
    )
    assert code == "from tensorflow.contrib.rnn import NASCell, LSTMCell\n"
    assert warnings == [
        (
            1,
            "tf.contrib.rnn.NASCell is not provided by tf1-compat; `tf1compat "
            "limits` lists what is missing and what to use instead",
        )
    ]


def test_replace_rnn_symbols_only() -> None:
    code, _ = _run(
        codemods.ReplaceRnnSymbolsCommand,
        "c = tf.contrib.rnn.LSTMCell(2)\nx = tf.placeholder(tf.float32)\n"
        "o = tf.nn.dynamic_rnn(c, x, dtype=tf.float32)\nm = tf.nn.rnn_cell\n",
        "import tensorflow as tf",
    )
    assert code == (
        "c = compat.rnn.LSTMCell(2)\nx = tf.placeholder(tf.float32)\n"
        "o = compat.rnn.dynamic_rnn(c, x, dtype=tf.float32)\nm = compat.rnn\n"
    )


def test_move_to_compat_v1_only() -> None:
    code, warnings = _run(
        codemods.MoveToCompatV1Command,
        "c = tf.contrib.rnn.LSTMCell(2)\nx = tf.placeholder(tf.float32)\n"
        "y = tf.nn.relu(x)\ns = tf.train.Saver()\n",
        "import tensorflow as tf",
    )
    assert code == (
        "c = tf.contrib.rnn.LSTMCell(2)\nx = tf.compat.v1.placeholder(tf.float32)\n"
        "y = tf.nn.relu(x)\ns = tf.compat.v1.train.Saver()\n"
    )
    assert warnings == []


def test_aliases_follow_the_imports_of_other_cells() -> None:
    code, _ = _run(
        codemods.MoveToCompatV1Command,
        "s = T.Session()\nt = tf.Session()\n",
        "import tensorflow as T",
    )
    assert code == "s = T.compat.v1.Session()\nt = tf.Session()\n"


def test_insert_graph_mode_after_the_given_statement() -> None:
    source = "import os\nimport tensorflow as tf\nx = 1\n"
    module = cst.parse_module(source)
    aliases = codemods.collect_aliases([(module, source)])
    index = codemods.first_tensorflow_import(module)
    assert index == 1
    inserter = codemods.InsertGraphModeCommand(
        aliases, graph_mode=True, shim_imports=["compat.rnn"], after=index
    )
    assert module.visit(inserter).code == (
        "import os\nimport tensorflow as tf\n"
        "tf.compat.v1.disable_eager_execution()\nimport compat.rnn\nx = 1\n"
    )


@pytest.mark.parametrize(
    ("path", "action"),
    [
        ("placeholder", "compat_v1"),
        ("float32", "keep"),
        ("nn.relu", "keep"),
        ("nn.softmax", "compat_v1"),
        ("train.AdamOptimizer", "compat_v1"),
        ("contrib.rnn.LSTMCell", "shim"),
        ("contrib.rnn.NASCell", "warn"),
        ("contrib.slim", "warn"),
        ("layers.dense", "shim"),
        ("layers.Dense", "warn"),
        ("contrib.layers.fully_connected", "shim"),
        ("contrib.seq2seq.sequence_loss", "shim"),
        ("contrib.seq2seq.BasicDecoder", "warn"),
        ("nn.bidirectional_dynamic_rnn", "shim"),
        ("compat.v1.nn.rnn_cell.LSTMCell", "shim"),
        ("compat.v1.placeholder", "keep"),
        ("__version__", "keep"),
    ],
)
def test_classify(path: str, action: str) -> None:
    assert codemods.classify(path.split(".")).action == action


def test_runners_and_layers_go_to_tf1_compat() -> None:
    code, warnings = _run(
        codemods.RewriteDottedNamesCommand,
        "o, s = tf.contrib.rnn.static_rnn(cell, xs, dtype=tf.float32)\n"
        "h = tf.layers.dense(o, 3)\n"
        "w = tf.contrib.layers.xavier_initializer_conv2d()\n"
        "l = tf.contrib.seq2seq.sequence_loss(h, y, m)\n",
        "import tensorflow as tf",
    )
    assert code == (
        "o, s = compat.rnn.static_rnn(cell, xs, dtype=tf.float32)\n"
        "h = compat.layers.dense(o, 3)\n"
        "w = compat.layers.xavier_initializer()\n"
        "l = compat.layers.sequence_loss(h, y, m)\n"
    )
    assert warnings == []
