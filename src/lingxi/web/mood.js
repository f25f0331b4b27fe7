// "My mood" on the home screen (issue 21): the caller's own mood chart (days across, mood and
// energy from -1 to 1 up the side, check-ins marked), the consent switch, a CSV download and
// deleting the timeline. GET / PUT consent / DELETE /v1/users/{id}/mood, with the page's key.

import { pageKey } from "./realtime.js";

const SVG = "http://www.w3.org/2000/svg";

async function call(user, method, suffix = "", body = undefined, fetchImpl = fetch) {
  const key = await pageKey(user, fetchImpl);
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetchImpl(`/v1/users/${encodeURIComponent(user)}/mood${suffix}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// {consent: "on"|"off"|null, days: [...], calls: [...]} | "off" (no memory) | "failed"
export async function loadMood(user, fetchImpl = fetch) {
  try {
    const res = await call(user, "GET", "", undefined, fetchImpl);
    if (res.status === 503) return "off";
    if (!res.ok) return "failed";
    const data = await res.json();
    return { consent: data.consent.state, days: data.days, calls: data.calls };
  } catch {
    return "failed";
  }
}

// true | false (refused) — off also deletes the timeline on the server
export async function setConsent(user, on, fetchImpl = fetch) {
  try {
    const res = await call(user, "PUT", "/consent", { on }, fetchImpl);
    return res.ok;
  } catch {
    return false;
  }
}

export async function deleteMood(user, fetchImpl = fetch) {
  try {
    return (await call(user, "DELETE", "", undefined, fetchImpl)).ok;
  } catch {
    return false;
  }
}

export function moodCsv(days) {
  const rows = [["day", "calls", "turns", "mood", "energy", "low_turns", "risk", "checkins",
    "themes"].join(",")];
  for (const d of days) {
    const themes = Object.entries(d.themes).map(([k, v]) => `${k} ${v}`).join("; ");
    rows.push([d.day, d.calls, d.turns, d.valence, d.arousal, d.low, d.risk, d.checkins,
      `"${themes}"`].join(","));
  }
  return new Blob([rows.join("\n") + "\n"], { type: "text/csv" });
}

function el(name, attrs = {}, text = "") {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text) node.textContent = text;
  return node;
}

const W = 320, H = 170, LEFT = 34, RIGHT = 8, TOP = 16, BOTTOM = 26;

function x(dayIndex, span) {
  return LEFT + (span ? (dayIndex / span) * (W - LEFT - RIGHT) : (W - LEFT - RIGHT) / 2);
}

function y(value) {
  return TOP + ((1 - Math.max(-1, Math.min(1, value))) / 2) * (H - TOP - BOTTOM);
}

function dayNumber(iso) {
  return Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

// Draw `days` into the <svg> `svg` (emptied first); `tx` holds the labels.
export function drawChart(svg, days, tx) {
  svg.replaceChildren();
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  if (!days.length) return;
  const first = dayNumber(days[0].day);
  const span = dayNumber(days[days.length - 1].day) - first;
  for (const [value, label] of [[1, tx.moodHigh], [0, ""], [-1, tx.moodLow]]) {
    svg.append(el("line", { x1: LEFT, x2: W - RIGHT, y1: y(value), y2: y(value),
      class: value === 0 ? "axis zero" : "axis" }));
    if (label) svg.append(el("text", { x: LEFT - 4, y: y(value) + 4, class: "tick end" }, label));
  }
  const ends = days.length > 1 ? [[days[0], "start"], [days[days.length - 1], "end"]]
    : [[days[0], "mid"]];
  for (const [d, anchor] of ends) {
    const at = x(dayNumber(d.day) - first, span);
    svg.append(el("text", { x: at, y: H - 8, class: `tick ${anchor}` }, d.day.slice(5)));
  }
  for (const [key, cls] of [["arousal", "energy"], ["valence", "mood"]]) {
    const points = days.map((d) => `${x(dayNumber(d.day) - first, span).toFixed(1)},${
      y(d[key]).toFixed(1)}`);
    svg.append(el("polyline", { points: points.join(" "), class: `line ${cls}` }));
    for (const d of days) {
      svg.append(el("circle", { cx: x(dayNumber(d.day) - first, span), cy: y(d[key]), r: 2.6,
        class: `dot ${cls}` }));
    }
  }
  for (const d of days.filter((day) => day.checkins > 0)) {
    const at = x(dayNumber(d.day) - first, span);
    const mark = el("path", { d: `M${at - 5} ${TOP - 12} h10 l-5 8 z`, class: "checkin" });
    mark.append(el("title", {}, `${tx.moodCheckin} ${d.day}`));
    svg.append(mark);
  }
}

// One sentence for a screen reader: how many days, and the last one.
export function describe(days, tx) {
  if (!days.length) return tx.moodEmpty;
  const last = days[days.length - 1];
  const checkins = days.filter((d) => d.checkins > 0).length;
  return tx.moodSummary.replace("{days}", days.length).replace("{last}", last.day)
    .replace("{mood}", last.valence.toFixed(2)).replace("{energy}", last.arousal.toFixed(2))
    .replace("{checkins}", checkins);
}
