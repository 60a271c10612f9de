"""Probe of the TF1 environment, run as __main__ by test_environment.py.

Prints one JSON object of facts; the test asserts on them. Arguments: a user
directory (holding user_helper.py) and a library directory (holding
third_party_lib.py), both put on sys.path.
"""

import json
import sys

user_dir, library_dir = sys.argv[1], sys.argv[2]

import compat.legacy as legacy  # noqa: E402

legacy.install(user_roots=[user_dir])
sys.path[:0] = [user_dir, library_dir]

import tensorflow as tf  # noqa: E402
import tensorflow.contrib.rnn as rnn_module  # noqa: E402
import third_party_lib  # noqa: E402
import user_helper  # noqa: E402
from tensorflow.contrib import rnn  # noqa: E402
from tensorflow.contrib.rnn import BasicLSTMCell  # noqa: E402

import compat.rnn  # noqa: E402

real = sys.modules["tensorflow"]
facts = {
    "facade_is_not_real": tf is not real,
    "sys_modules_is_real": real.__name__ == "tensorflow" and hasattr(real, "keras"),
    "contrib_rnn_basic": tf.contrib.rnn.BasicLSTMCell is compat.rnn.BasicLSTMCell,
    "from_contrib_import_rnn": rnn.LSTMCell is compat.rnn.LSTMCell,
    "import_contrib_rnn_as": rnn_module.MultiRNNCell is compat.rnn.MultiRNNCell,
    "from_contrib_rnn_import": BasicLSTMCell is compat.rnn.BasicLSTMCell,
    "nn_rnn_cell": tf.nn.rnn_cell.LSTMStateTuple is compat.rnn.LSTMStateTuple,
    "nn_dynamic_rnn": tf.nn.dynamic_rnn is compat.rnn.dynamic_rnn,
    "compat_v1_rnn_cell": tf.compat.v1.nn.rnn_cell.LSTMCell is compat.rnn.LSTMCell,
    "tf1_names": all(
        hasattr(tf, n) for n in ("placeholder", "Session", "variable_scope")
    ),
    "nn_keeps_other_functions": tf.nn.softmax is real.compat.v1.nn.softmax,
    "executing_eagerly": tf.executing_eagerly(),
    "v1_shapes": str(tf.placeholder(tf.float32, [None, 3]).shape),
    "library_sees_real": third_party_lib.tf is real,
    "user_module_sees_tf1": user_helper.tf is tf,
    "version": tf.__version__ == real.__version__,
}

try:
    tf.contrib.slim  # noqa: B018 - the lookup itself is under test
except AttributeError as error:
    facts["slim_error"] = f"{type(error).__name__}: {error}"
facts["hasattr_distributions"] = hasattr(tf.contrib, "distributions")
try:
    tf.contrib.rnn.NASCell  # noqa: B018 - the lookup itself is under test
except AttributeError as error:
    facts["missing_cell_error"] = f"{type(error).__name__}: {error}"
try:
    import tensorflow.contrib.slim as slim  # noqa: F401
except ImportError as error:
    facts["import_slim_error"] = f"{type(error).__name__}: {error}"

legacy.uninstall()
import tensorflow as tf_after  # noqa: E402

facts["after_uninstall_real"] = tf_after is real
print(json.dumps(facts))
