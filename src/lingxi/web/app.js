// The call page: home (persona, language, green phone) and the pink call screen.

import { MicError } from "./audio.js";
import { Call } from "./call.js";
import { Captions } from "./captions.js";
import { deleteData, download, exportData } from "./data.js";
import { texts, uiLanguage } from "./i18n.js";
import { deleteMood, describe, drawChart, loadMood, moodCsv, setConsent } from "./mood.js";
import { showNotice, showSafety } from "./notices.js";
import { defaultPersona, initial, loadPersonas } from "./personas.js";

const $ = (id) => document.getElementById(id);
const store = {
  get: (k) => { try { return localStorage.getItem(k); } catch { return null; } },
  set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* private mode */ } },
};
const params = new URLSearchParams(location.search);

const page = {
  pref: store.get("lingxi.language") || "auto",
  personas: [],
  serverDefault: null,
  selected: store.get("lingxi.persona"),
  call: null,
  timer: null,
};

function anonymousUser() {
  let id = store.get("lingxi.user");
  if (!id) {
    const rand = crypto.randomUUID ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16)).join("");
    id = `anon-${rand}`;
    store.set("lingxi.user", id);
  }
  return id;
}

function t() {
  return texts(uiLanguage(page.pref));
}

function persona() {
  const byId = (id) => page.personas.find((p) => p.id === id);
  return byId(page.selected) || byId(page.serverDefault) || page.personas[0]
    || defaultPersona(t());
}

// -- home -------------------------------------------------------------------------------

function applyText() {
  const tx = t();
  document.documentElement.lang = uiLanguage(page.pref) === "zh" ? "zh-CN" : "en";
  for (const el of document.querySelectorAll("[data-t]")) {
    const v = tx[el.dataset.t];
    if (typeof v === "string") el.textContent = v;
  }
  const name = persona().name;
  $("call").setAttribute("aria-label", tx.callWith(name));
  $("call-label").textContent = tx.callWith(name);
  $("hangup").setAttribute("aria-label", tx.hangUp);
  $("ai-badge").setAttribute("aria-label", tx.aiDisclosure);
  $("timer").setAttribute("aria-label", tx.timer);
  updateMute();
  for (const input of document.querySelectorAll('input[name="lang"]')) {
    input.checked = input.value === page.pref;
  }
}

function renderPersonas() {
  const list = page.personas.length ? page.personas : [defaultPersona(t())];
  const root = $("personas");
  root.replaceChildren();
  const current = persona();
  for (const p of list) {
    const card = document.createElement("button");
    card.type = "button";
    card.className = "persona";
    card.setAttribute("role", "radio");
    card.dataset.persona = p.id ?? "";
    const on = p.id === current.id;
    card.setAttribute("aria-checked", String(on));
    card.tabIndex = on ? 0 : -1;
    card.style.setProperty("--c", p.colour);
    const avatar = document.createElement("span");
    avatar.className = "avatar-sm";
    avatar.setAttribute("aria-hidden", "true");
    avatar.textContent = initial(p.name);
    const body = document.createElement("span");
    body.className = "persona-body";
    const name = document.createElement("strong");
    name.textContent = p.name;
    const desc = document.createElement("span");
    desc.className = "desc";
    desc.textContent = p.description;
    const greet = document.createElement("q");
    greet.className = "greet";
    greet.textContent = p.greeting;
    body.append(name, desc);
    if (p.greeting) body.append(greet);
    card.append(avatar, body);
    card.addEventListener("click", () => choosePersona(p.id));
    card.addEventListener("keydown", (e) => movePersona(e, list, p));
    root.append(card);
  }
}

function choosePersona(id) {
  page.selected = id;
  if (id) store.set("lingxi.persona", id);
  renderPersonas();
  applyText();
  const el = $("personas").querySelector('[aria-checked="true"]');
  if (el) el.focus();
}

function movePersona(e, list, p) {
  const keys = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };
  if (!(e.key in keys)) return;
  e.preventDefault();
  const i = list.indexOf(p);
  const next = list[(i + keys[e.key] + list.length) % list.length];
  choosePersona(next.id);
}

// -- the call ---------------------------------------------------------------------------

function show(screen) {
  $("home").hidden = screen !== "home";
  $("call-screen").hidden = screen !== "call";
  document.body.dataset.screen = screen;
}

function setLevel(level) {
  const x = Math.min(1, Math.sqrt(level) * 2.2);
  $("avatar").style.setProperty("--level", x.toFixed(3));
}

function statusText(kind, info) {
  const el = $("conn-status");
  const tx = t();
  if (kind === "retrying") {
    el.textContent = tx.retrying(Math.max(1, Math.round(info.delayMs / 1000)));
    el.hidden = false;
  } else if (kind === "connecting" && info.attempt > 0) {
    el.textContent = tx.reconnecting;
    el.hidden = false;
  } else if (kind === "open") {
    if (page.call && page.call.stats.connects > 1) {
      el.textContent = tx.reconnected;
      el.hidden = false;
      setTimeout(() => { if (el.textContent === tx.reconnected) el.hidden = true; }, 2500);
    } else {
      el.hidden = true;
    }
    startTimer();
  } else if (kind === "ended") {
    hangUp().then(() => { $("home-status").textContent = tx.ended; });
  }
}

function startTimer() {
  if (page.timer) return;
  const start = performance.now();
  const tick = () => {
    const s = Math.floor((performance.now() - start) / 1000);
    const h = Math.floor(s / 3600);
    const mm = String(Math.floor(s / 60) % 60).padStart(2, "0");
    const ss = String(s % 60).padStart(2, "0");
    $("timer").textContent = h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
  };
  tick();
  page.timer = setInterval(tick, 1000);
}

function micMessage(err) {
  const tx = t();
  const kind = err instanceof MicError ? err.kind : "failed";
  const messages = {
    denied: tx.micDenied, missing: tx.micMissing, insecure: tx.micInsecure,
    unsupported: tx.micUnsupported,
  };
  return messages[kind] || tx.micFailed;
}

// "换林黛玉来跟我说": the server switched persona mid-call; the screen follows, and the choice
// is kept for the next call as if it had been picked on the home screen.
function switchedByVoice(id, tx) {
  const p = page.personas.find((x) => x.id === id);
  if (!p) return;
  page.selected = id;
  store.set("lingxi.persona", id);
  tx.speakerName = p.name;
  $("call-name").textContent = p.name;
  $("avatar-initial").textContent = initial(p.name);
  $("avatar").style.setProperty("--c", p.colour);
  renderPersonas();
  applyText();
}

async function startCall() {
  if (page.call) return;
  $("home-status").textContent = "";
  const p = persona();
  const tx = { ...t(), speakerName: p.name };
  $("mic-error").hidden = true;
  $("call-name").textContent = p.name;
  $("avatar-initial").textContent = initial(p.name);
  $("avatar").style.setProperty("--c", p.colour);
  $("timer").textContent = "00:00";
  $("conn-status").hidden = true;
  $("notices").replaceChildren();
  $("voice-mode").hidden = true;
  $("mood").hidden = true;
  const captions = new Captions($("captions"), tx);
  captions.clear();
  const view = {
    captions,
    state: (s) => {
      $("call-state").textContent = tx[s] || "";
      $("call-screen").dataset.state = s;
    },
    level: setLevel,
    status: statusText,
    session: (s) => {
      document.body.dataset.session = (s && s.id) || "";
      const id = s && s.lingxi && s.lingxi.persona;
      if (id && id !== persona().id) switchedByVoice(id, tx);
      // "小声跟我说": the reply is whispered until the caller asks for a normal voice again.
      $("voice-mode").hidden = !(s && s.lingxi && s.lingxi.style === "whisper");
    },
    notice: (e) => showNotice($("notices"), e),
    safety: (e) => showSafety($("notices"), e, tx),
    // How the caller sounded in their last turn; nothing shown when they sound as usual.
    mood: (e) => {
      const key = e.whispering ? "whisper" : e.label;
      const text = (tx.mood || {})[key] || "";
      $("mood").textContent = text;
      $("mood").dataset.mood = key;
      $("mood").hidden = !text;
    },
  };
  const call = new Call({
    options: {
      persona: p.id, language: page.pref, user: anonymousUser(),
      // ?turn=silence: end a turn after a fixed 500 ms of silence instead of reading the words
      fixedSilence: params.get("turn") === "silence",
    },
    processing: params.get("processing") !== "off",
    view,
  });
  page.call = call;
  view.state("connecting");
  show("call");
  try {
    await call.start();
    $("hangup").focus();
  } catch (err) {
    page.call = null;
    await call.hangUp();
    show("home");
    $("mic-error-text").textContent = micMessage(err);
    $("mic-error").hidden = false;
    $("mic-retry").focus();
  }
}

async function hangUp() {
  const call = page.call;
  page.call = null;
  clearInterval(page.timer);
  page.timer = null;
  if (call) await call.hangUp();
  show("home");
  $("call").focus();
}

function updateMute() {
  const muted = Boolean(page.call && page.call.muted);
  const b = $("mute");
  b.setAttribute("aria-pressed", String(muted));
  b.setAttribute("aria-label", muted ? t().unmute : t().mute);
  b.classList.toggle("on", muted);
}

function toggleMute() {
  if (!page.call) return;
  page.call.setMuted(!page.call.muted);
  updateMute();
  if (page.call.muted) $("call-state").textContent = t().muted;
}

// -- start ------------------------------------------------------------------------------

async function refreshPersonas() {
  const lang = uiLanguage(page.pref);
  const got = await loadPersonas(lang);
  if (lang !== uiLanguage(page.pref)) return; // the preference changed meanwhile
  page.personas = got.personas;
  page.serverDefault = got.default;
  renderPersonas();
  applyText();
  document.body.dataset.personas = String(got.personas.length);
}

const DATA_MESSAGES = {
  saved: "dataSaved", deleted: "dataDeleted", none: "dataNone", off: "dataOff",
  failed: "dataFailed",
};

async function dataAction(kind) {
  const tx = t();
  const user = anonymousUser();
  if (kind === "delete" && !window.confirm(tx.dataConfirm)) return;
  const outcome = kind === "export" ? await exportData(user, (blob) => download(blob))
    : await deleteData(user);
  $("data-status").textContent = tx[DATA_MESSAGES[outcome]];
}

// The mood chart: loaded when opened, redrawn after every change.
async function refreshMood() {
  const tx = t();
  const got = await loadMood(anonymousUser());
  const days = typeof got === "object" ? got.days : [];
  $("mood-consent").checked = typeof got === "object" && got.consent === "on";
  $("mood-consent").disabled = got === "off";
  drawChart($("mood-chart"), days, tx);
  $("mood-desc").textContent = got === "off" ? tx.dataOff : describe(days, tx);
  $("mood-chart").dataset.days = String(days.length);
  page.moodDays = days;
}

async function moodAction(kind) {
  const tx = t();
  const user = anonymousUser();
  let message = tx.dataFailed;
  if (kind === "consent") {
    const on = $("mood-consent").checked;
    if (await setConsent(user, on)) message = on ? tx.moodOn : tx.moodOff;
  } else if (kind === "delete") {
    if (!window.confirm(tx.moodDeleteConfirm)) return;
    if (await deleteMood(user)) message = tx.moodDeleted;
  } else {
    download(moodCsv(page.moodDays || []), "lingxi-mood.csv");
    message = tx.dataSaved;
  }
  await refreshMood();
  $("mood-status").textContent = message;
}

function init() {
  $("my-mood").addEventListener("toggle", () => { if ($("my-mood").open) refreshMood(); });
  $("mood-consent").addEventListener("change", () => moodAction("consent"));
  $("mood-export").addEventListener("click", () => moodAction("export"));
  $("mood-delete").addEventListener("click", () => moodAction("delete"));
  $("data-export").addEventListener("click", () => dataAction("export"));
  $("data-delete").addEventListener("click", () => dataAction("delete"));
  $("call").addEventListener("click", startCall);
  $("mic-retry").addEventListener("click", startCall);
  $("hangup").addEventListener("click", hangUp);
  $("mute").addEventListener("click", toggleMute);
  for (const input of document.querySelectorAll('input[name="lang"]')) {
    input.addEventListener("change", () => {
      page.pref = input.value;
      store.set("lingxi.language", page.pref);
      applyText();
      renderPersonas();
      refreshPersonas();
    });
  }
  show("home");
  applyText();
  renderPersonas();
  refreshPersonas();
  window.lingxiPage = { startCall, hangUp };
}

init();
