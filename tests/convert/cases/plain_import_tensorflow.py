import tensorflow

x = tensorflow.placeholder(tensorflow.float32, [None, 3])
cell = tensorflow.contrib.rnn.LSTMCell(2)
# ----- converted -----
import tensorflow
tensorflow.compat.v1.disable_eager_execution()
import compat.rnn

x = tensorflow.compat.v1.placeholder(tensorflow.float32, [None, 3])
cell = compat.rnn.LSTMCell(2)
