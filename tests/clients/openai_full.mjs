// The openai npm SDK as an app uses it: a text turn, a spoken turn, a barge-in and a tool call.
// Usage: node openai_full.mjs ws|beta|browser https://127.0.0.1:PORT/v1
//   ws       OpenAIRealtimeWS (Node's ws, the key in a header)
//   beta     the beta client (OpenAI-Beta: realtime=v1: beta session fields and event names)
//   browser  OpenAIRealtimeWebSocket, the SDK's browser class: a WHATWG WebSocket (Node's own,
//            --experimental-websocket) offering the key as a subprotocol, as a browser does
// Prints one JSON line per step; exits non-zero on any error or timeout.
import OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { OpenAIRealtimeWebSocket } from "openai/realtime/websocket";
import { OpenAIRealtimeWS as BetaRealtimeWS } from "openai/beta/realtime/ws";

const [mode, baseURL] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const fail = (why) => { say({ error: why }); process.exit(2); };
process.on("uncaughtException", (e) => fail(String(e && e.stack || e)));
process.on("unhandledRejection", (e) => fail(String(e && e.stack || e)));
setTimeout(() => fail("timed out"), 60000);

const client = new OpenAI({ apiKey: "sk-local", baseURL, dangerouslyAllowBrowser: true });
const beta = mode === "beta";
const rt = mode === "browser"
  ? new OpenAIRealtimeWebSocket({ model: "lingxi", dangerouslyAllowBrowser: true }, client)
  : new (beta ? BetaRealtimeWS : OpenAIRealtimeWS)(
    { model: "lingxi", options: { rejectUnauthorized: false } }, client);
const AUDIO_DELTA = beta ? "response.audio.delta" : "response.output_audio.delta";
// A session update in the client's dialect: output modality, turn detection, tools.
function update(modality, turnDetection, tools) {
  const session = beta
    ? { modalities: modality === "audio" ? ["text", "audio"] : ["text"], turn_detection: turnDetection }
    : { type: "realtime", output_modalities: [modality], audio: { input: { turn_detection: turnDetection } } };
  if (tools) session.tools = tools;
  rt.send({ type: "session.update", session });
}
const seen = [];
const waiters = [];
rt.on("event", (e) => {
  seen.push(e);
  for (const w of [...waiters]) if (w.test(e)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
});
rt.on("error", (e) => fail(`error event: ${JSON.stringify(e.error || e.message || e)}`));
const next = (test) => new Promise((resolve) => waiters.push({ test, resolve }));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// 24 kHz PCM16: a buzzy tone the server's energy VAD hears as speech, or silence.
function pcm(seconds, loud) {
  const n = Math.round(24000 * seconds);
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / 24000;
    const v = loud ? 0.3 * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t)) : 0;
    out.writeInt16LE(Math.round(v * 20000), i * 2);
  }
  return out;
}
async function stream(buffer) {  // in real time, 100 ms at a time
  for (let i = 0; i < buffer.length; i += 4800) {
    rt.send({ type: "input_audio_buffer.append", audio: buffer.subarray(i, i + 4800).toString("base64") });
    await sleep(100);
  }
}

await next((e) => e.type === "session.created");
// 1. A text turn.
update("text", null);
await next((e) => e.type === "session.updated");
rt.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "你好" }] } });
rt.send({ type: "response.create" });
const text = await next((e) => e.type === "response.done");
say({ step: "text", status: text.response.status });

// 2. A spoken turn, 3. interrupted by speaking again while the reply plays.
update("audio", { type: "server_vad", silence_duration_ms: 300 });
await next((e) => e.type === "session.updated");
const firstAudio = next((e) => e.type === AUDIO_DELTA);
await stream(Buffer.concat([pcm(1.0, true), pcm(0.6, false)]));
const spoken = await firstAudio;
const cancelled = next((e) => e.type === "response.done" && e.response.id === spoken.response_id);
await sleep(300);
await stream(Buffer.concat([pcm(0.8, true), pcm(0.6, false)]));
const cut = await cancelled;
say({ step: "spoken+barge-in", status: cut.response.status, reason: cut.response.status_details?.reason });
// The reply to the interruption: heard starting, then stopped by the app (response.cancel).
const again = await next((e) => e.type === AUDIO_DELTA && e.response_id !== spoken.response_id);
rt.send({ type: "response.cancel" });
const after = await next((e) => e.type === "response.done" && e.response.id === again.response_id);

// 4. A tool call: the app runs the function and asks again.
update("text", null, [{ type: "function", name: "get_weather", description: "The weather now in a city.",
  parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }]);
await next((e) => e.type === "session.updated");
rt.send({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "What's the weather in Paris?" }] } });
rt.send({ type: "response.create" });
const args = await next((e) => e.type === "response.function_call_arguments.done");
await next((e) => e.type === "response.done");
rt.send({ type: "conversation.item.create", item: { type: "function_call_output", call_id: args.call_id, output: "sunny, 21 degrees" } });
rt.send({ type: "response.create" });
const answered = await next((e) => e.type === "response.done");
say({ step: "tool", name: args.name, arguments: args.arguments, status: answered.response.status });
say({ ok: true, after: after.response.status, types: [...new Set(seen.map((e) => e.type))] });
rt.close();
process.exit(0);
