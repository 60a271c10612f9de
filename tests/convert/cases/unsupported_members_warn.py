import tensorflow as tf

cell = tf.contrib.rnn.GRUCell(4)
drop = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5)
h = tf.contrib.layers.fully_connected(cell, 3)
d = tf.layers.dense(h, 2)
m = tf.keras.layers.Dense(3)
q = tf.not_a_real_function(1)
# ----- converted -----
import tensorflow as tf
tf.compat.v1.disable_eager_execution()

cell = tf.contrib.rnn.GRUCell(4)
drop = tf.nn.rnn_cell.DropoutWrapper(cell, output_keep_prob=0.5)
h = tf.contrib.layers.fully_connected(cell, 3)
d = tf.layers.dense(h, 2)
m = tf.keras.layers.Dense(3)
q = tf.not_a_real_function(1)
# ----- warnings -----
# 3: tf.contrib.rnn.GRUCell is not provided by tf1-compat
# 4: tf.nn.rnn_cell.DropoutWrapper is not provided by tf1-compat
# 5: tf.contrib.layers does not exist in TF2
# 6: tf.layers.dense: tf.compat.v1.layers does not work with Keras 3
# 7: tf.keras is Keras 3 on TF 2.16+
# 8: tf.not_a_real_function is not part of TF1's API
