// One call: the Realtime link, the audio, and what the call screen shows.

import { CallAudio } from "./audio.js";
import { RealtimeLink, pageProtocols, realtimeUrl } from "./realtime.js";

const WIRE_RATE = 24000;
// Local voice activity while Lingxi speaks: the reply is turned down at once, and stopped when
// the server confirms speech (speech_started), else turned back up. The threshold sits well
// above what echo cancellation leaves of Lingxi's own voice.
const DUCK_LEVEL = 0.05; // RMS of a 20 ms chunk
const DUCK_CHUNKS = 3; // 60 ms of it
const UNDUCK_MS = 800;

function b64ToBuffer(b64) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

function bufferToB64(buf) {
  const bytes = new Uint8Array(buf);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/** Counters the browser tests read (and a curious person can, in the console). */
function freshStats() {
  return {
    state: "idle", connected: false, connects: 0, sent_chunks: 0, sent_ms: 0,
    received_chunks: 0, received_ms: 0, played_ms: 0, chunks: 0, underruns: 0, flushes: 0,
    truncates: 0, ducks: 0, duck_leads: [], last_truncate: null, barge_ins: [], reply_starts: [], events: {},
  };
}

export class Call {
  /**
   * view: {captions, state(name), level(0..1), status(kind, info), session(config),
   *        notice(event), safety(event)}
   */
  constructor({ options, processing, view }) {
    this.options = options; // {persona, language, user, fixedSilence}
    this.view = view;
    this.audio = new CallAudio({ processing });
    this.link = null;
    this.cancelled = new Set(); // items whose audio must not be played any more
    this.assistantItems = new Set();
    this.playingItem = null;
    // The reply the caller is hearing, from its first audio until all of it has played; it
    // stays current in the gaps between clauses, when nothing is queued to play.
    this.replyItem = null;
    this.truncated = new Set(); // items already cut at what was heard (once each)
    this.muted = false;
    this.stats = freshStats();
    window.lingxiStats = this.stats;
    this.stateName = "connecting";
    this.committedAt = null;
    this.loudChunks = 0;
    this.duckTimer = null;
  }

  async start() {
    await this.audio.start(); // MicError propagates: the page explains it
    this.audio.onmic = (pcm, level) => this.mic(pcm, level);
    this.audio.onplayback = (msg) => this.fromPlayback(msg);
    this.link = new RealtimeLink(realtimeUrl(), {
      onevent: (e) => this.onevent(e),
      onstatus: (kind, info) => this.onstatus(kind, info),
      onopen: () => this.configure(),
      protocols: () => pageProtocols(this.options.user),
    });
    this.link.connect();
  }

  configure() {
    const { persona, language, user } = this.options;
    // The server cuts interrupted replies by its estimate at once; the page's own truncate,
    // from what it really played, refines that (and covers a page that was throttled).
    const lingxi = { language, user, events: true, server_truncation: true };
    if (persona) lingxi.persona = persona;
    const input = {
      format: { type: "audio/pcm", rate: WIRE_RATE },
      // The words decide when the caller is done: a finished question is answered after
      // ~0.2 s of silence, "然后…" / "and…" waits (bench/bench_duplex.py: mid-sentence pauses
      // taken over 1.00 → 0.00–0.25, turns ~150 ms sooner than a fixed 500 ms silence).
      turn_detection: this.options.fixedSilence
        ? { type: "server_vad", create_response: true, interrupt_response: true }
        : { type: "semantic_vad", eagerness: "auto", create_response: true,
            interrupt_response: true },
    };
    if (language !== "auto") input.transcription = { language };
    this.link.send({
      type: "session.update",
      session: {
        type: "realtime", output_modalities: ["audio"],
        audio: { input, output: { format: { type: "audio/pcm", rate: WIRE_RATE } } },
        lingxi,
      },
    });
  }

  mic(pcm, level) {
    if (!this.link) return;
    if (this.stateName !== "speaking") this.view.level(this.muted ? 0 : level);
    else this.localVoice(level);
    this.link.send({ type: "input_audio_buffer.append", audio: bufferToB64(pcm) });
    this.stats.sent_chunks += 1;
    this.stats.sent_ms += (1000 * pcm.byteLength) / 2 / WIRE_RATE;
  }

  localVoice(level) {
    this.loudChunks = !this.muted && level > DUCK_LEVEL ? this.loudChunks + 1 : 0;
    if (this.loudChunks !== DUCK_CHUNKS || this.duckTimer !== null) return;
    this.audio.duck(true);
    this.duckAt = performance.now();
    this.stats.ducks += 1;
    this.duckTimer = setTimeout(() => this.unduck(), UNDUCK_MS);
  }

  unduck() {
    clearTimeout(this.duckTimer);
    this.duckTimer = null;
    this.audio.duck(false);
  }

  setMuted(muted) {
    this.muted = muted;
    this.audio.setMuted(muted); // a muted track sends silence, so the turn ends normally
  }

  setState(name) {
    if (this.stateName === name) return;
    this.stateName = name;
    this.stats.state = name;
    this.view.state(name);
  }

  onstatus(kind, info) {
    if (kind === "open") {
      this.stats.connected = true;
      this.stats.connects += 1;
      this.setState("listening");
    } else if (kind === "retrying") {
      this.stats.connected = false;
      this.stopPlayback(null);
      this.setState("connecting");
    }
    this.view.status(kind, info);
  }

  onevent(e) {
    this.stats.events[e.type] = (this.stats.events[e.type] || 0) + 1;
    switch (e.type) {
      case "session.created":
      case "session.updated":
        this.view.session(e.session);
        break;
      case "input_audio_buffer.speech_started":
        this.view.captions.userStarted(e.item_id);
        this.stopPlayback(performance.now());
        this.setState("listening");
        break;
      case "input_audio_buffer.committed":
        this.committedAt = performance.now();
        this.setState("thinking");
        break;
      case "conversation.item.input_audio_transcription.delta":
        this.view.captions.userPartial(e.item_id, e.delta);
        break;
      case "conversation.item.input_audio_transcription.completed":
        this.view.captions.userFinal(e.item_id, e.transcript);
        break;
      case "response.output_item.added":
        if (e.item && e.item.role === "assistant") this.assistantItems.add(e.item.id);
        break;
      case "response.output_audio.delta":
        this.replyAudio(e);
        break;
      case "response.output_audio_transcript.delta":
      case "response.output_text.delta":
        if (!this.cancelled.has(e.item_id)) this.view.captions.replyText(e.item_id, e.delta);
        break;
      case "response.output_audio.done":
        this.audio.endItem(e.item_id);
        break;
      case "response.done":
        this.responseDone(e.response);
        break;
      case "lingxi.safety.notice":
        this.view.safety(e);
        break;
      case "lingxi.notice":
        this.view.notice(e);
        break;
      case "lingxi.input.affect":
        if (this.view.mood) this.view.mood(e);
        break;
      case "error":
        this.onerror(e.error || {});
        break;
      default:
        break;
    }
  }

  onerror(error) {
    console.warn("lingxi:", error.message);
    if (error.param === "session.lingxi.persona" && this.options.persona) {
      // The persona is gone from the server (an old choice): talk to its default instead.
      this.options = { ...this.options, persona: null };
      this.configure();
    }
  }

  replyAudio(e) {
    if (this.cancelled.has(e.item_id)) return; // already in flight when it was interrupted
    this.replyItem = e.item_id;
    const pcm = b64ToBuffer(e.delta);
    const ms = (1000 * pcm.byteLength) / 2 / WIRE_RATE;
    this.stats.received_chunks += 1;
    this.stats.received_ms += ms;
    this.view.captions.replyAudio(e.item_id, ms);
    this.audio.play(e.item_id, pcm);
  }

  responseDone(response) {
    const items = (response.output || []).map((item) => item.id);
    if (response.status !== "completed") {
      for (const id of items) this.cancelled.add(id);
    }
    const textOnly = response.output_modalities && !response.output_modalities.includes("audio");
    for (const id of items) {
      if (textOnly || !this.assistantItems.has(id)) this.view.captions.replyDone(id);
    }
    if (this.stateName === "thinking" && !this.playingItem) this.setState("listening");
  }

  /** The caller spoke: silence the reply now and tell the server how much of it was heard. */
  async stopPlayback(since) {
    if (this.duckTimer !== null && since !== null) {
      // How much sooner the local voice turned the reply down than the server's word came.
      this.stats.duck_leads.push(Math.round(since - this.duckAt));
    }
    clearTimeout(this.duckTimer); // the flush restores the volume for the next reply
    this.duckTimer = null;
    // The reply is taken now, before the flush's round trip to the audio thread: the server
    // cancels it at the same moment, and its response.done may arrive before the flush
    // answers. Between clauses nothing is queued, but the reply is still the current one.
    const current = this.replyItem;
    this.replyItem = null;
    const result = await this.audio.flush(current);
    const item = result.item;
    if (!item || this.truncated.has(item)) return;
    this.truncated.add(item);
    this.cancelled.add(item);
    this.playingItem = null;
    const playedMs = Math.floor(result.itemPlayedMs);
    this.view.captions.cut(item, playedMs);
    if (since !== null) {
      this.stats.barge_ins.push(Math.round((performance.now() - since) * 10) / 10);
    }
    if (this.link && this.link.open && this.assistantItems.has(item)) {
      this.link.send({
        type: "conversation.item.truncate", item_id: item, content_index: 0,
        audio_end_ms: playedMs,
      });
      this.stats.truncates += 1;
      this.stats.last_truncate = { item_id: item, audio_end_ms: playedMs };
    }
  }

  fromPlayback(msg) {
    if (msg.type === "progress") {
      Object.assign(this.stats, {
        played_ms: Math.round(msg.playedMs), chunks: msg.chunks, underruns: msg.underruns,
        flushes: msg.flushes,
      });
      if (msg.item) this.view.captions.played(msg.item, msg.itemPlayedMs);
      if (this.stateName === "speaking") this.view.level(msg.level);
    } else if (msg.type === "item-start") {
      if (this.committedAt !== null) {
        // End of the caller's turn → the reply is audible (pre-roll included).
        this.stats.reply_starts.push(Math.round(performance.now() - this.committedAt));
        this.committedAt = null;
      }
      this.playingItem = msg.item;
      this.setState("speaking");
    } else if (msg.type === "item-end") {
      if (this.replyItem === msg.item) this.replyItem = null; // heard to the end
      this.view.captions.replyDone(msg.item);
      if (this.playingItem === msg.item) this.playingItem = null;
      this.setState("listening");
    }
  }

  async hangUp() {
    if (this.link) this.link.close();
    this.link = null;
    await this.audio.stop();
    this.setState("idle");
  }
}
