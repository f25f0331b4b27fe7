// A spoken turn and a text turn through @openai/agents-realtime, the way a Node app holds them.
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
session.on("audio", (e) => { audioBytes += e.data.byteLength; });
session.on("error", (e) => { say({ error: String(e && e.error && (e.error.message || JSON.stringify(e.error)) || e) }); process.exit(2); });
const done = new Promise((resolve) => session.on("agent_end", () => { turns += 1; say({ turn: turns, audioBytes }); resolve(); }));
await session.connect({ apiKey: "sk-local" });
// A spoken turn: the audio, then silence for the server's turn detection.
const chunk = 4800;
for (let i = 0; i < audio.length; i += chunk) {
  const piece = audio.subarray(i, i + chunk);
  session.sendAudio(piece.buffer.slice(piece.byteOffset, piece.byteOffset + piece.byteLength));
  await new Promise((r) => setTimeout(r, 20));
}
await Promise.race([done, new Promise((_, no) => setTimeout(() => no(new Error("no reply to the spoken turn")), 20000))]);
const second = new Promise((resolve) => session.on("agent_end", resolve));
session.sendMessage("你好");
await Promise.race([second, new Promise((_, no) => setTimeout(() => no(new Error("no reply to the text turn")), 20000))]);
say({ ok: true, turns, history: session.history.length });
session.close();
process.exit(0);
