import tensorflow as tf   # TF 1.x tutorial, circa 2018


def model(x,   units=8):
    """Formatting, comments and TF2-safe names stay exactly as written."""
    w = tf.get_variable("w", [3, units],
                        initializer=tf.random_normal_initializer(stddev=0.1))  # odd indent kept
    y = tf.nn.relu(tf.matmul(x, w))
    return tf.reduce_mean(y, axis=1, keep_dims=True)


loss = model(tf.placeholder(tf.float32, [None, 3]))
train_op = tf.train.AdamOptimizer(learning_rate=1e-3).minimize(loss)
probs = tf.nn.softmax(loss, dim=-1)
dtype = tf.float32
print(tf.__version__)
# ----- converted -----
import tensorflow as tf   # TF 1.x tutorial, circa 2018
tf.compat.v1.disable_eager_execution()


def model(x,   units=8):
    """Formatting, comments and TF2-safe names stay exactly as written."""
    w = tf.compat.v1.get_variable("w", [3, units],
                        initializer=tf.compat.v1.random_normal_initializer(stddev=0.1))  # odd indent kept
    y = tf.nn.relu(tf.matmul(x, w))
    return tf.compat.v1.reduce_mean(y, axis=1, keep_dims=True)


loss = model(tf.compat.v1.placeholder(tf.float32, [None, 3]))
train_op = tf.compat.v1.train.AdamOptimizer(learning_rate=1e-3).minimize(loss)
probs = tf.compat.v1.nn.softmax(loss, dim=-1)
dtype = tf.float32
print(tf.__version__)
