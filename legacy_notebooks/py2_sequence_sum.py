# -*- coding: utf-8 -*-
"""Learn the running sum of a random sequence with an LSTM (TF 1.x, Python 2).

A 2017-style tutorial script: it still uses print statements, xrange and
dict.iteritems, as many TF1 scripts did.
"""
import numpy as np
import tensorflow as tf

np.random.seed(0)
tf.set_random_seed(0)

params = {"batch": 16, "steps": 8, "units": 12, "iterations": 40}
for key, value in sorted(params.iteritems()):
    print "%-10s %d" % (key, value)

x = tf.placeholder(tf.float32, [None, params["steps"], 1], name="x")
y = tf.placeholder(tf.float32, [None, params["steps"], 1], name="y")

cell = tf.contrib.rnn.BasicLSTMCell(params["units"])
outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)

w = tf.get_variable("w_out", [params["units"], 1])
b = tf.get_variable("b_out", [1], initializer=tf.zeros_initializer())
flat = tf.reshape(outputs, [-1, params["units"]])
prediction = tf.reshape(tf.matmul(flat, w) + b, [-1, params["steps"], 1])
loss = tf.reduce_mean(tf.square(prediction - y))
train = tf.train.AdamOptimizer(0.02).minimize(loss)

data = np.random.uniform(-1, 1, [params["batch"], params["steps"], 1])
target = np.cumsum(data, axis=1)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for i in xrange(params["iterations"]):
        _, value = sess.run([train, loss], {x: data, y: target})
        if i % 10 == 0:
            print "step %2d  loss %.5f" % (i, value)
    print "final loss", sess.run(loss, {x: data, y: target})
    print "first prediction", np.round(sess.run(prediction, {x: data[:1]})[0, :, 0], 3)
