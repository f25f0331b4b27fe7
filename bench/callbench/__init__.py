"""Parts of the end-to-end call benchmark (`bench/bench_call.py`).

  stats     percentiles, summaries and plain-text tables
  server    the `lingxi serve` subprocess, its engine environment, /proc CPU readings
  metrics   Prometheus text from /metrics: histograms and gauges
  audio     pre-encoded append messages; sizing output audio deltas without parsing
  client    one websocket call: sending paced audio, receiving and timing events
  pacing    real-time pacers and small waiting helpers shared by the sections
  barge     section barge: barge-in latency
  turn      section turn: turn latency, split into endpointing, engine and overhead
  worker    section load, client side: calls driven in worker processes
  step      section load: one concurrency step, measured from both ends
  load      section load: the ramp and its report
"""
