import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()

cell = tf.nn.rnn_cell.LSTMCell(4)
out, st = tf.nn.dynamic_rnn(cell, tf.placeholder(tf.float32, [None, None, 2]), dtype=tf.float32)
# ----- converted -----
import tensorflow.compat.v1 as tf
import compat.rnn
tf.disable_v2_behavior()

cell = compat.rnn.LSTMCell(4)
out, st = compat.rnn.dynamic_rnn(cell, tf.placeholder(tf.float32, [None, None, 2]), dtype=tf.float32)
