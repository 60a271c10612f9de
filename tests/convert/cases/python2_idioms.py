import tensorflow as tf

scores = {"a": 1}
for name, value in scores.iteritems():
    print name, value
for step in xrange(3):
    pass
answer = raw_input("go? ")
keys = list(scores.iterkeys())
obj.xrange = 2
call(xrange=1)
# ----- converted -----
import tensorflow as tf
tf.compat.v1.disable_eager_execution()

scores = {"a": 1}
for name, value in scores.items():
    print(name, value)
for step in range(3):
    pass
answer = input("go? ")
keys = list(scores.keys())
obj.xrange = 2
call(xrange=1)
