import numpy as np
import tensorflow as tf

sess = tf.Session()
lstm_cell = tf.contrib.rnn.BasicLSTMCell(4, state_is_tuple=True)
state = (tf.zeros([1, 4]),) * 2  # a plain tuple, as the tutorial had it
with tf.variable_scope("LSTM_sample1"):
    output, state_new = lstm_cell(tf.constant([[3, 2, 2, 2, 2, 2]], dtype=tf.float32), state)
sess.run(tf.global_variables_initializer())
stacked = tf.contrib.rnn.MultiRNNCell([tf.contrib.rnn.LSTMCell(4), tf.nn.rnn_cell.LSTMCell(5)])
data = tf.placeholder(tf.float32, [None, None, 6])
output, state = tf.nn.dynamic_rnn(stacked, data, dtype=tf.float32)
# ----- converted -----
import numpy as np
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
import compat.rnn

sess = tf.compat.v1.Session()
lstm_cell = compat.rnn.BasicLSTMCell(4, state_is_tuple=True)
state = (tf.zeros([1, 4]),) * 2  # a plain tuple, as the tutorial had it
with tf.compat.v1.variable_scope("LSTM_sample1"):
    output, state_new = lstm_cell(tf.compat.v1.constant([[3, 2, 2, 2, 2, 2]], dtype=tf.float32), state)
sess.run(tf.compat.v1.global_variables_initializer())
stacked = compat.rnn.MultiRNNCell([compat.rnn.LSTMCell(4), compat.rnn.LSTMCell(5)])
data = tf.compat.v1.placeholder(tf.float32, [None, None, 6])
output, state = compat.rnn.dynamic_rnn(stacked, data, dtype=tf.float32)
