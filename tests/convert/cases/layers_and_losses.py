import tensorflow as tf
from tensorflow.contrib import layers
from tensorflow.contrib.layers import fully_connected

x = tf.placeholder(tf.float32, [None, 5, 3])
outputs, _ = tf.nn.bidirectional_dynamic_rnn(
    tf.contrib.rnn.LSTMCell(4), tf.contrib.rnn.LSTMCell(4), x, dtype=tf.float32)
logits = tf.layers.dense(tf.concat(outputs, 2), 10, kernel_initializer=layers.xavier_initializer())
hidden = fully_connected(logits, 8)
loss = tf.contrib.seq2seq.sequence_loss(logits, tf.placeholder(tf.int32, [None, 5]), tf.ones([2, 5]))
# ----- converted -----
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
import compat.layers
import compat.rnn
from compat import layers
from compat.layers import fully_connected

x = tf.compat.v1.placeholder(tf.float32, [None, 5, 3])
outputs, _ = compat.rnn.bidirectional_dynamic_rnn(
    compat.rnn.LSTMCell(4), compat.rnn.LSTMCell(4), x, dtype=tf.float32)
logits = compat.layers.dense(tf.concat(outputs, 2), 10, kernel_initializer=layers.xavier_initializer())
hidden = fully_connected(logits, 8)
loss = compat.layers.sequence_loss(logits, tf.compat.v1.placeholder(tf.int32, [None, 5]), tf.ones([2, 5]))
