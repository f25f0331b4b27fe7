// A text turn through the openai npm SDK's Realtime WebSocket (it only speaks wss:).
// Usage: node openai_ws.mjs https://127.0.0.1:PORT/v1   (a self-signed certificate is accepted)
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";

const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
process.on("uncaughtException", (e) => { say({ uncaught: String(e && e.stack || e) }); process.exit(3); });
const client = new OpenAI({ apiKey: "sk-local", baseURL: process.argv[2] });
const rt = new OpenAIRealtimeWS({ model: "lingxi", options: { rejectUnauthorized: false } }, client);
const timer = setTimeout(() => { say({ error: "no reply in time" }); process.exit(2); }, 20000);
let transcript = "";
rt.on("error", (e) => { say({ error: String(e && e.message || e) }); process.exit(2); });
rt.on("response.output_audio_transcript.delta", (e) => { transcript += e.delta; });
rt.on("response.output_text.delta", (e) => { transcript += e.delta; });
rt.on("response.done", (e) => {
  clearTimeout(timer);
  say({ ok: true, status: e.response.status, transcript });
  rt.close();
  process.exit(0);
});
rt.socket.on("open", () => {
  rt.send({ type: "conversation.item.create", item: { type: "message", role: "user",
    content: [{ type: "input_text", text: "你好" }] } });
  rt.send({ type: "response.create" });
});
