"""The full-duplex benchmark (`bench/bench_duplex.py`), in the spirit of Full-Duplex-Bench v1.

  clips.tsv  the clip set: zh and en, half of it held out (written before any tuning)
  clips      caller audio from Lingxi's voices, espeak-ng and shaped noise
  call       one call against a real `lingxi serve`, played like a client does
  scenes     pause / turn / backchannel / noise / interrupt, each scored as a caller would
  report     the table, with the published figures beside it
"""
