import tensorflow as tf

x = tf.constant(3)
with tf.Session() as sess:
    print sess.run(x)
    print "value:", sess.run(x),
    print
print >>sys.stderr, "done"
print ("already fine")
# ----- converted -----
import tensorflow as tf
tf.compat.v1.disable_eager_execution()

x = tf.compat.v1.constant(3)
with tf.compat.v1.Session() as sess:
    print(sess.run(x))
    print("value:", sess.run(x), end=" ")
    print()
print("done", file=sys.stderr)
print ("already fine")
