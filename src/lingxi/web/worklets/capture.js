// Microphone capture: the context's rate → PCM16 mono 24 kHz, posted in 20 ms chunks with
// their loudness (RMS, 0..1) for the level meter.
const OUT_RATE = 24000;
const CHUNK = 480; // 20 ms at 24 kHz
const TAPS = 24;

function lowPass(cutoff) {
  // Windowed-sinc FIR; cutoff is a fraction of the input rate. Removes what 24 kHz cannot hold.
  const h = new Float32Array(TAPS);
  const mid = (TAPS - 1) / 2;
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const x = i - mid;
    const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x);
    const w = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (TAPS - 1));
    h[i] = sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < TAPS; i++) h[i] /= sum;
  return h;
}

class CaptureProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.step = sampleRate / OUT_RATE; // input samples per output sample
    this.filter = this.step > 1 ? lowPass(0.45 / this.step) : null;
    this.history = new Float32Array(TAPS);
    this.hpos = 0;
    this.prev = 0; // last filtered input sample
    this.frac = 0; // position of the next output sample after `prev`, in input samples
    this.out = new Int16Array(CHUNK);
    this.n = 0;
    this.energy = 0;
  }

  filtered(x) {
    if (!this.filter) return x;
    this.history[this.hpos] = x;
    this.hpos = (this.hpos + 1) % TAPS;
    let acc = 0;
    for (let i = 0; i < TAPS; i++) acc += this.filter[i] * this.history[(this.hpos + i) % TAPS];
    return acc;
  }

  emit(sample) {
    const s = Math.max(-1, Math.min(1, sample));
    this.out[this.n++] = s < 0 ? s * 0x8000 : s * 0x7fff;
    this.energy += s * s;
    if (this.n === CHUNK) {
      const level = Math.sqrt(this.energy / CHUNK);
      this.port.postMessage({ pcm: this.out.buffer, level }, [this.out.buffer]);
      this.out = new Int16Array(CHUNK);
      this.n = 0;
      this.energy = 0;
    }
  }

  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (!channel) return true;
    for (let i = 0; i < channel.length; i++) {
      const cur = this.filtered(channel[i]);
      // Output samples that fall between `prev` and `cur` (linear interpolation).
      while (this.frac <= 1) {
        this.emit(this.prev + (cur - this.prev) * this.frac);
        this.frac += this.step;
      }
      this.frac -= 1;
      this.prev = cur;
    }
    return true;
  }
}

registerProcessor("lingxi-capture", CaptureProcessor);
