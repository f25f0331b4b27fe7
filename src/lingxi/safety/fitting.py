"""The fits behind the learned heads: class-weighted multinomial logistic regression, a network
with one hidden layer, and a temperature for out-of-sample predictions (full-batch Adam, fixed
seeds). The risk model's head (`lingxi.safety.train`) and the text-emotion head
(`lingxi.engines.affect.train`) use them."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lingxi.safety.model import Array, softmax

Labels = npt.NDArray[np.int64]
L2 = 1e-3
HIDDEN = 256
DROPOUT = 0.2
RATE = 0.003
STEPS = 400


def fit(x: Array, y: Labels, seed: int = 15, steps: int = 600, l2: float = 0.1
        ) -> tuple[Array, Array]:
    """Class-weighted multinomial logistic regression, full-batch Adam (the text-emotion
    head's fit; the risk head uses `fit_network`)."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    weights = (rng.standard_normal((d, 6)) * 0.01).astype(np.float32)
    bias = np.zeros(6, dtype=np.float32)
    counts = np.bincount(y, minlength=6).astype(np.float32)
    sample_weight = (n / (6 * np.maximum(counts, 1)))[y]
    onehot = np.eye(6, dtype=np.float32)[y]
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias),
               np.zeros_like(bias)]
    rate, beta1, beta2 = 0.01, 0.9, 0.999
    for step in range(1, steps + 1):
        grad_logits = (softmax(x @ weights + bias) - onehot) * sample_weight[:, None] / n
        grads = (x.T @ grad_logits + l2 * weights, grad_logits.sum(axis=0))
        for index, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
            m, v = moments[2 * index], moments[2 * index + 1]
            m[...] = beta1 * m + (1 - beta1) * grad
            v[...] = beta2 * v + (1 - beta2) * grad * grad
            param -= rate * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return weights, bias


def fit_network(x: Array, y: Labels, seed: int = 15
                ) -> tuple[tuple[Array, Array], Array, Array]:
    """A class-weighted network with one hidden layer of rectified units, full-batch Adam
    with dropout on the hidden layer: (hidden weights, hidden bias), output weights, bias.

    On the same data and embeddings (the first two batches, out of fold) it found 67% of
    active-or-higher turns at a 3% false-alarm rate where the logistic head found 48%: intent
    is not one direction in e5's space, and a linear head learned the topic instead."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = [(rng.standard_normal((d, HIDDEN)) * np.sqrt(2 / d)).astype(np.float32),
              np.zeros(HIDDEN, dtype=np.float32),
              (rng.standard_normal((HIDDEN, 6)) * 0.01).astype(np.float32),
              np.zeros(6, dtype=np.float32)]
    counts = np.bincount(y, minlength=6).astype(np.float32)
    sample_weight = (n / (6 * np.maximum(counts, 1)))[y]
    onehot = np.eye(6, dtype=np.float32)[y]
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    beta1, beta2 = 0.9, 0.999
    for step in range(1, STEPS + 1):
        w1, b1, w2, b2 = params
        pre = x @ w1 + b1
        keep = (rng.random(pre.shape) > DROPOUT).astype(np.float32) / (1 - DROPOUT)
        hidden = np.maximum(pre, 0.0) * keep
        grad_logits = (softmax(hidden @ w2 + b2) - onehot) * sample_weight[:, None] / n
        grad_hidden = (grad_logits @ w2.T) * keep * (pre > 0)
        grads = (x.T @ grad_hidden + L2 * w1, grad_hidden.sum(axis=0),
                 hidden.T @ grad_logits + L2 * w2, grad_logits.sum(axis=0))
        for param, grad, (m, v) in zip(params, grads, moments, strict=True):
            m[...] = beta1 * m + (1 - beta1) * grad
            v[...] = beta2 * v + (1 - beta2) * grad * grad
            param -= RATE * (m / (1 - beta1**step)) / (np.sqrt(v / (1 - beta2**step)) + 1e-8)
    return (params[0], params[1]), params[2], params[3]


def fit_temperature(logits: Array, y: Labels) -> float:
    """The temperature that minimises the log loss of out-of-fold predictions."""
    best, best_loss = 1.0, float("inf")
    for temperature in np.arange(0.3, 4.01, 0.05):
        p = softmax(logits / temperature)
        loss = float(-np.log(p[np.arange(len(y)), y] + 1e-9).mean())
        if loss < best_loss:
            best, best_loss = float(temperature), loss
    return best
