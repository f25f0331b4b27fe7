// A text turn through the openai npm SDK's beta Realtime WebSocket (OpenAI-Beta: realtime=v1,
// the beta event names; it only speaks wss:).
// Usage: node openai_ws_beta.mjs https://127.0.0.1:PORT/v1   (a self-signed certificate is accepted)
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/beta/realtime/ws";

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
process.on("uncaughtException", (e) => { say({ uncaught: String(e && e.stack || e) }); process.exit(3); });
const client = new OpenAI({ apiKey: "sk-local", baseURL: process.argv[2] });
const rt = new OpenAIRealtimeWS({ model: "lingxi", options: { rejectUnauthorized: false } }, client);
const timer = setTimeout(() => { say({ error: "no reply in time" }); process.exit(2); }, 20000);
let transcript = "";
const kinds = new Set();
rt.on("error", (e) => { say({ error: String(e && e.message || e) }); process.exit(2); });
rt.on("event", (e) => kinds.add(e.type));
rt.on("response.audio_transcript.delta", (e) => { transcript += e.delta; });
rt.on("response.text.delta", (e) => { transcript += e.delta; });
rt.on("response.done", (e) => {
  clearTimeout(timer);
  say({ ok: true, status: e.response.status, transcript, kinds: [...kinds] });
  rt.close();
  process.exit(0);
});
rt.socket.on("open", () => {
  rt.send({ type: "conversation.item.create", item: { type: "message", role: "user",
    content: [{ type: "input_text", text: "你好" }] } });
  rt.send({ type: "response.create" });
});
