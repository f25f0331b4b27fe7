// A text turn that calls a tool through @openai/agents-realtime: the SDK runs the function with
// the model's arguments, sends its output and asks again, and the agent answers.
// Usage: node agents_tool.mjs ws://127.0.0.1:PORT/v1/realtime
// Prints one JSON line per thing seen; exits non-zero on any error (zod validates every event).
import { RealtimeAgent, RealtimeSession, OpenAIRealtimeWebSocket, tool } from "@openai/agents-realtime";
import { z } from "zod";

const url = process.argv[2];
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
process.on("uncaughtException", (e) => { say({ uncaught: String(e && e.stack || e) }); process.exit(3); });
process.on("unhandledRejection", (e) => { say({ unhandled: String(e && e.stack || e) }); process.exit(4); });

const asked = [];
const getWeather = tool({
  name: "get_weather",
  description: "The weather now in a city.",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => { asked.push(city); return "sunny, 21 degrees"; },
});
const agent = new RealtimeAgent({ name: "lingxi", instructions: "Be brief.", tools: [getWeather] });
const session = new RealtimeSession(agent, {
  transport: new OpenAIRealtimeWebSocket({ url, useInsecureApiKey: true }),
  model: "lingxi",
  config: { outputModalities: ["text"] },
});
session.on("error", (e) => { say({ error: String(e && e.error && (e.error.message || JSON.stringify(e.error)) || e) }); process.exit(2); });
let ends = 0;
const answered = new Promise((resolve) => session.on("agent_end", (_c, _a, text) => {
  ends += 1;
  say({ end: ends, text });
  if (asked.length && ends >= 2) resolve(text);
}));
await session.connect({ apiKey: "sk-local" });
session.sendMessage("What's the weather in Paris?");
const text = await Promise.race([answered, new Promise((_, no) => setTimeout(() => no(new Error("no answer after the tool")), 30000))]);
say({ ok: true, asked, text });
session.close();
process.exit(0);
