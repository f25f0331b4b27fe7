// The page's audio: microphone → capture worklet (PCM16 24 kHz), replies → playback worklet.

const base = new URL(".", import.meta.url);

export class MicError extends Error {
  constructor(kind, cause) {
    super(kind);
    this.kind = kind; // "denied" | "missing" | "insecure" | "unsupported" | "failed"
    this.cause = cause;
  }
}

function micError(err) {
  const name = err && err.name;
  if (name === "NotAllowedError" || name === "SecurityError") return new MicError("denied", err);
  if (name === "NotFoundError" || name === "OverconstrainedError") return new MicError("missing", err);
  return new MicError("failed", err);
}

export class CallAudio {
  constructor({ processing = true } = {}) {
    this.processing = processing; // echo cancellation, noise suppression, auto gain
    this.ctx = null;
    this.stream = null;
    this.capture = null;
    this.playback = null;
    this.onmic = () => {};
    this.onplayback = () => {};
    this.muted = false;
    this.flushSeq = 0;
    this.pendingFlush = new Map();
  }

  async start() {
    // Browsers offer the microphone only to https:// pages (and localhost).
    if (!window.isSecureContext) throw new MicError("insecure");
    if (!navigator.mediaDevices || !window.AudioWorkletNode) throw new MicError("unsupported");
    // Made before the first await, inside the tap, so that browsers let it play sound.
    this.ctx = new AudioContext({ latencyHint: "interactive" });
    const processing = this.processing;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          channelCount: 1, echoCancellation: processing, noiseSuppression: processing,
          autoGainControl: processing,
        },
      });
    } catch (err) {
      await this.stop();
      throw micError(err);
    }
    this.setMuted(this.muted); // the caller may have pressed mute while the call connected
    await Promise.all([
      this.ctx.audioWorklet.addModule(new URL("worklets/capture.js", base)),
      this.ctx.audioWorklet.addModule(new URL("worklets/playback.js", base)),
    ]);
    const source = this.ctx.createMediaStreamSource(this.stream);
    this.capture = new AudioWorkletNode(this.ctx, "lingxi-capture", {
      numberOfInputs: 1, numberOfOutputs: 0, channelCount: 1, channelCountMode: "explicit",
    });
    this.capture.port.onmessage = (e) => this.onmic(e.data.pcm, e.data.level);
    source.connect(this.capture);
    this.playback = new AudioWorkletNode(this.ctx, "lingxi-playback", {
      numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1],
    });
    this.playback.port.onmessage = (e) => this.fromPlayback(e.data);
    this.playback.connect(this.ctx.destination);
    if (this.ctx.state !== "running") await this.ctx.resume();
  }

  fromPlayback(msg) {
    if (msg.type === "flushed") {
      const done = this.pendingFlush.get(msg.seq);
      this.pendingFlush.delete(msg.seq);
      if (done) done(msg);
    }
    this.onplayback(msg);
  }

  play(item, pcmBuffer) {
    if (this.playback) this.playback.port.postMessage({ type: "audio", item, pcm: pcmBuffer }, [pcmBuffer]);
  }

  endItem(item) {
    if (this.playback) this.playback.port.postMessage({ type: "end", item });
  }

  /** Turn the reply down (the caller may be starting to speak) or back up. */
  duck(on) {
    if (this.playback) this.playback.port.postMessage({ type: "duck", on });
  }

  /** Stop playback now; resolves with {item, itemPlayedMs, droppedMs} once it is silent.
   *  `current`: the reply the page considers current, reported (with what was played of it)
   *  when the player holds no audio at that moment, as in a pause between clauses. */
  flush(current = null) {
    if (!this.playback) return Promise.resolve({ item: null, itemPlayedMs: 0, droppedMs: 0 });
    const seq = ++this.flushSeq;
    return new Promise((resolve) => {
      this.pendingFlush.set(seq, resolve);
      this.playback.port.postMessage({ type: "flush", seq, item: current });
    });
  }

  setMuted(muted) {
    this.muted = muted;
    if (this.stream) for (const t of this.stream.getAudioTracks()) t.enabled = !muted;
  }

  async stop() {
    if (this.stream) for (const t of this.stream.getTracks()) t.stop();
    this.stream = null;
    const ctx = this.ctx;
    this.ctx = this.capture = this.playback = null;
    for (const done of this.pendingFlush.values()) done({ item: null, itemPlayedMs: 0, droppedMs: 0 });
    this.pendingFlush.clear();
    if (ctx) await ctx.close().catch(() => {});
  }
}
