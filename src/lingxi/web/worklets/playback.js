// Reply playback: PCM16 24 kHz chunks per conversation item → the context's rate, through a
// small jitter buffer. A "flush" silences it within the next render block (with a ~1 ms
// fade so the cut does not click) and reports how much of the item was actually played.
const IN_RATE = 24000;
const PREROLL_MS = 60; // queued audio needed before (re)starting, to ride out network jitter
const FADE = 48;
const DUCKED = 0.25;
const REPORT_EVERY = Math.round(sampleRate / 20); // progress messages at ~20 Hz

class PlaybackProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = []; // {item, data: Float32Array, pos}
    this.queued = 0;
    this.playing = false;
    this.ended = new Set(); // items whose audio has all arrived
    this.resampler = { item: null, prev: 0, frac: 0 };
    this.itemPlayed = new Map();
    this.current = null;
    this.fade = null;
    this.stats = { played: 0, chunks: 0, underruns: 0, flushes: 0 };
    this.sinceReport = 0;
    this.energy = 0;
    this.energyN = 0;
    this.gain = 1; // ducked while the caller may be starting to speak
    this.targetGain = 1;
    this.port.onmessage = (e) => this.command(e.data);
  }

  command(msg) {
    if (msg.type === "audio") this.enqueue(msg.item, new Int16Array(msg.pcm));
    else if (msg.type === "end") this.end(msg.item);
    else if (msg.type === "flush") this.flush(msg.seq, msg.item);
    else if (msg.type === "duck") this.targetGain = msg.on ? DUCKED : 1;
  }

  enqueue(item, pcm) {
    const r = this.resampler;
    if (r.item !== item) Object.assign(r, { item, prev: 0, frac: 0 });
    const step = IN_RATE / sampleRate; // input samples per output sample
    const out = new Float32Array(Math.ceil((pcm.length + 1) / step) + 1);
    let n = 0;
    for (let i = 0; i < pcm.length; i++) {
      const cur = pcm[i] / 32768;
      while (r.frac <= 1) {
        out[n++] = r.prev + (cur - r.prev) * r.frac;
        r.frac += step;
      }
      r.frac -= 1;
      r.prev = cur;
    }
    this.queue.push({ item, data: out.subarray(0, n), pos: 0 });
    this.queued += n;
    this.stats.chunks += 1;
  }

  end(item) {
    this.ended.add(item);
    if (this.current === item && !this.queue.length) {
      // Its audio ran out before the word that no more was coming: it is over now.
      this.port.postMessage({ type: "item-end", item });
      this.current = null;
    }
  }

  flush(seq, pageItem) {
    // Nothing queued (a pause between clauses, or audio not here yet): the item the page
    // names is still the one being heard.
    const item = this.current ?? (this.queue[0] && this.queue[0].item) ?? pageItem ?? null;
    // The next few samples fade out instead of stopping dead (no click).
    const tail = new Float32Array(FADE);
    const got = this.take(tail, 0, FADE);
    for (let i = 0; i < got; i++) tail[i] *= 1 - i / FADE;
    this.fade = got ? { data: tail, n: got, pos: 0 } : null;
    const dropped = this.queued;
    this.queue = [];
    this.queued = 0;
    this.playing = false;
    this.targetGain = 1; // the next reply plays at full volume
    this.stats.flushes += 1;
    this.port.postMessage({
      type: "flushed", seq, item, itemPlayedMs: this.playedMs(item),
      droppedMs: (1000 * dropped) / sampleRate,
    });
    this.current = null;
    this.report(true);
  }

  playedMs(item) {
    return item ? (1000 * (this.itemPlayed.get(item) || 0)) / sampleRate : 0;
  }

  // Copies up to `count` queued samples into out[at..], counting them as played.
  take(out, at, count) {
    let n = 0;
    while (n < count && this.queue.length) {
      const seg = this.queue[0];
      if (seg.item !== this.current) {
        this.current = seg.item;
        this.port.postMessage({ type: "item-start", item: seg.item });
      }
      const k = Math.min(count - n, seg.data.length - seg.pos);
      out.set(seg.data.subarray(seg.pos, seg.pos + k), at + n);
      seg.pos += k;
      n += k;
      this.queued -= k;
      this.itemPlayed.set(seg.item, (this.itemPlayed.get(seg.item) || 0) + k);
      if (seg.pos >= seg.data.length) this.queue.shift();
    }
    this.stats.played += n;
    return n;
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    out.fill(0);
    let n = 0;
    if (this.fade) {
      const f = this.fade;
      const k = Math.min(out.length, f.n - f.pos);
      out.set(f.data.subarray(f.pos, f.pos + k));
      f.pos += k;
      n = k;
      if (f.pos >= f.n) this.fade = null;
    }
    if (!this.playing && this.queue.length) {
      const head = this.queue[0].item;
      const allIn = this.ended.has(head);
      if (allIn || (1000 * this.queued) / sampleRate >= PREROLL_MS) this.playing = true;
    }
    if (this.playing && n < out.length) {
      const got = this.take(out, n, out.length - n);
      n += got;
      if (!this.queue.length) {
        this.playing = false;
        const finished = this.current && this.ended.has(this.current);
        if (!finished && got < out.length) this.stats.underruns += 1;
        if (finished) {
          this.port.postMessage({ type: "item-end", item: this.current });
          this.current = null;
        }
      }
    }
    if (this.gain !== 1 || this.targetGain !== 1) this.applyGain(out);
    for (let i = 0; i < out.length; i++) this.energy += out[i] * out[i];
    this.energyN += out.length;
    for (let c = 1; c < outputs[0].length; c++) outputs[0][c].set(out);
    this.sinceReport += out.length;
    if (this.sinceReport >= REPORT_EVERY) this.report(false);
    return true;
  }

  applyGain(out) {
    // A linear ramp over one block to the target: no click, and no slower than one block.
    const from = this.gain;
    const step = (this.targetGain - from) / out.length;
    for (let i = 0; i < out.length; i++) out[i] *= from + step * (i + 1);
    this.gain = this.targetGain;
  }

  report(force) {
    if (!force && this.sinceReport < REPORT_EVERY) return;
    const level = this.energyN ? Math.sqrt(this.energy / this.energyN) : 0;
    this.port.postMessage({
      type: "progress", item: this.current, itemPlayedMs: this.playedMs(this.current),
      playedMs: (1000 * this.stats.played) / sampleRate, chunks: this.stats.chunks,
      underruns: this.stats.underruns, flushes: this.stats.flushes,
      queuedMs: (1000 * this.queued) / sampleRate, level, playing: this.playing,
    });
    this.sinceReport = 0;
    this.energy = 0;
    this.energyN = 0;
  }
}

registerProcessor("lingxi-playback", PlaybackProcessor);
