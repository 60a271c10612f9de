import tensorflow as tf
from tensorflow.contrib import rnn
from tensorflow.contrib import rnn as contrib_rnn
import tensorflow.contrib.rnn as rnn2
from tensorflow.contrib.rnn import BasicLSTMCell, LSTMStateTuple
from tensorflow.nn import rnn_cell
from tensorflow.nn import dynamic_rnn
from tensorflow import placeholder, float32

cell = rnn.MultiRNNCell([contrib_rnn.LSTMCell(3), rnn2.BasicLSTMCell(4), rnn_cell.LSTMCell(2)])
x = placeholder(float32, [None, None, 2])
out, state = dynamic_rnn(cell, x, dtype=float32)
s = LSTMStateTuple(c=1, h=2)
b = BasicLSTMCell(5)
# ----- converted -----
import tensorflow as tf
tf.compat.v1.disable_eager_execution()
from compat import rnn
from compat import rnn as contrib_rnn
import compat.rnn as rnn2
from compat.rnn import BasicLSTMCell, LSTMStateTuple
from compat import rnn as rnn_cell
from compat.rnn import dynamic_rnn
from tensorflow.compat.v1 import placeholder, float32

cell = rnn.MultiRNNCell([contrib_rnn.LSTMCell(3), rnn2.BasicLSTMCell(4), rnn_cell.LSTMCell(2)])
x = placeholder(float32, [None, None, 2])
out, state = dynamic_rnn(cell, x, dtype=float32)
s = LSTMStateTuple(c=1, h=2)
b = BasicLSTMCell(5)
