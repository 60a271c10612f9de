import numpy as np  # nothing to do here


def f(x):
    print (x)
    return np.tanh(x)   # tf is not imported, so `tf.` below is someone else's
tf = object()
tf.placeholder
# ----- converted -----
import numpy as np  # nothing to do here


def f(x):
    print (x)
    return np.tanh(x)   # tf is not imported, so `tf.` below is someone else's
tf = object()
tf.placeholder
