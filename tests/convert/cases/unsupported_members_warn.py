import tensorflow as tf

cell = tf.contrib.rnn.NASCell(4)
drop = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5)
h = tf.contrib.layers.batch_norm(cell)
d = tf.layers.Dense(2)
m = tf.keras.layers.Dense(3)
q = tf.not_a_real_function(1)
s = tf.contrib.slim.fully_connected(h, 2)
# ----- converted -----
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
import compat.rnn

cell = tf.contrib.rnn.NASCell(4)
drop = compat.rnn.DropoutWrapper(cell, output_keep_prob=0.5)
h = tf.contrib.layers.batch_norm(cell)
d = tf.layers.Dense(2)
m = tf.keras.layers.Dense(3)
q = tf.not_a_real_function(1)
s = tf.contrib.slim.fully_connected(h, 2)
# ----- warnings -----
# 3: tf.contrib.rnn.NASCell is not provided by tf1-compat
# 5: tf.contrib.layers.batch_norm is not provided by tf1-compat
# 6: tf.layers.Dense is not provided by tf1-compat
# 7: tf.keras is Keras 3 on TF 2.16+
# 8: tf.not_a_real_function is not part of TF1's API
# 9: tf.contrib.slim does not exist in TF2 and tf1-compat does not provide it; use the tf-slim package
