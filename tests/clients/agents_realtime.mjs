// A spoken turn, a barge-in and a text turn through @openai/agents-realtime, as a Node app holds them.
// Usage: node agents_realtime.mjs ws://127.0.0.1:PORT/v1/realtime AUDIO.pcm  (PCM16, 24 kHz)
// Prints one JSON line per thing seen; exits non-zero on any error (the SDK validates every
// server event with zod and throws on a field the service sends but the server left out).
import { RealtimeAgent, RealtimeSession, OpenAIRealtimeWebSocket } from "@openai/agents-realtime";
import { readFileSync } from "node:fs";

const url = process.argv[2];
const audio = readFileSync(process.argv[3]);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
process.on("uncaughtException", (e) => { say({ uncaught: String(e && e.stack || e) }); process.exit(3); });
process.on("unhandledRejection", (e) => { say({ unhandled: String(e && e.stack || e) }); process.exit(4); });

const agent = new RealtimeAgent({ name: "lingxi", instructions: "" });
const session = new RealtimeSession(agent, {
  transport: new OpenAIRealtimeWebSocket({ url, useInsecureApiKey: true }),
  model: "lingxi",
});
let turns = 0;
let audioBytes = 0;
let interrupted = 0;
let heard = null;
const firstAudio = new Promise((resolve) => { heard = resolve; });
session.on("audio", (e) => { audioBytes += e.data.byteLength; heard(); });
session.on("audio_interrupted", () => { interrupted += 1; });
session.on("error", (e) => { say({ error: String(e && e.error && (e.error.message || JSON.stringify(e.error)) || e) }); process.exit(2); });
session.on("agent_end", () => { turns += 1; say({ turn: turns, audioBytes, interrupted }); });
const ended = (n) => new Promise((resolve) => { const check = () => (turns >= n ? resolve() : setTimeout(check, 20)); check(); });
const within = (p, what) => Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(what)), 20000))]);
await session.connect({ apiKey: "sk-local" });
const chunk = 4800;
async function speak() {  // the audio, then silence for the server's turn detection
  for (let i = 0; i < audio.length; i += chunk) {
    const piece = audio.subarray(i, i + chunk);
    session.sendAudio(piece.buffer.slice(piece.byteOffset, piece.byteOffset + piece.byteLength));
    await new Promise((r) => setTimeout(r, 100));
  }
}
// A spoken turn; while its reply plays, the caller speaks again (a barge-in).
await speak();
await within(firstAudio, "no audio in reply to the spoken turn");
await speak();
await within(ended(1), "no reply to the interruption");
// A text turn.
const before = turns;
session.sendMessage("你好");
await within(ended(before + 1), "no reply to the text turn");
say({ ok: true, turns, interrupted, history: session.history.length });
session.close();
process.exit(0);
