// The Realtime WebSocket (GA protocol) with reconnection: 0.5 s, 1 s, 2 s … up to 8 s apart.

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const PENDING_LIMIT = 100; // audio chunks (2 s) kept while the socket is still opening

export function realtimeUrl(loc = window.location) {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${loc.host}/v1/realtime?model=lingxi`;
}

// The page's key when the server has API keys: a client secret bound to this browser's own
// anonymous id, offered as a subprotocol (a browser cannot set headers on a WebSocket).
export async function pageKey(user, fetchImpl = fetch) {
  const res = await fetchImpl("/v1/page/key", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ user }),
  });
  if (!res.ok) throw new Error(`page key: HTTP ${res.status}`);
  const body = await res.json();
  return (body && body.value) || null; // null: the server has no keys, none is needed
}

export async function pageProtocols(user, fetchImpl = fetch) {
  const key = await pageKey(user, fetchImpl);
  return key ? ["realtime", `openai-insecure-api-key.${key}`] : undefined;
}

export class RealtimeLink {
  constructor(url, { onevent, onstatus, onopen, protocols }) {
    this.url = url;
    this.protocols = protocols; // async () => subprotocols to offer (the page's key), or none
    this.onevent = onevent;
    this.onstatus = onstatus; // "connecting"|"open"|"retrying"|"ended"|"closed", {attempt, delayMs}
    this.onopen = onopen; // called on every (re)connection, before queued audio goes out
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.closed = false;
    this.pending = [];
  }

  connect() {
    this.closed = false;
    this.onstatus("connecting", { attempt: this.attempt });
    if (!this.protocols) {
      this.openWith(undefined);
      return;
    }
    // A fresh key for every (re)connection: a client secret lives for minutes.
    this.protocols().then((offered) => {
      if (!this.closed) this.openWith(offered);
    }, () => this.retry());
  }

  openWith(protocols) {
    let ws;
    try {
      ws = protocols ? new WebSocket(this.url, protocols) : new WebSocket(this.url);
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.onopen();
      for (const text of this.pending) ws.send(text);
      this.pending = [];
      this.onstatus("open", {});
    };
    ws.onmessage = (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch {
        return;
      }
      this.onevent(event);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closed) return;
      // 1000 after a good connection: the server ended the call on purpose (the caller said
      // goodbye); anything else is a failure worth reconnecting for.
      if (e.code === 1000 && this.attempt === 0) {
        this.closed = true;
        this.onstatus("ended", {});
      } else {
        this.retry();
      }
    };
  }

  retry() {
    const delayMs = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt += 1;
    this.pending = [];
    this.onstatus("retrying", { attempt: this.attempt, delayMs });
    this.timer = setTimeout(() => this.connect(), delayMs);
  }

  get open() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  send(event) {
    const text = JSON.stringify(event);
    if (this.open) this.ws.send(text);
    else if (event.type === "input_audio_buffer.append" && this.attempt === 0 &&
             this.pending.length < PENDING_LIMIT) {
      this.pending.push(text);
    }
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.pending = [];
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close();
    }
    this.onstatus("closed", {});
  }
}
