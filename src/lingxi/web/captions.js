// Live captions: the caller's words as they are recognised, Lingxi's words as they are heard.
// Each piece of Lingxi's text is anchored to how much of the item's audio had arrived when the
// text came (the server sends a clause's text just before its audio), and is shown once
// playback reaches that point; an interruption cuts the caption where playback stopped.

const KEEP = 40; // caption lines kept on screen

export class Captions {
  constructor(root, t) {
    this.root = root;
    this.t = t;
    this.lines = new Map(); // item id → {el, role, ...}
  }

  line(itemId, role) {
    let line = this.lines.get(itemId);
    if (line) return line;
    const el = document.createElement("p");
    el.className = `caption ${role}`;
    el.dataset.item = itemId;
    el.dataset.role = role;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "user" ? this.t.you : this.t.speakerName;
    const text = document.createElement("span");
    text.className = "text";
    el.append(who, text);
    this.root.append(el);
    while (this.root.children.length > KEEP) {
      const first = this.root.firstElementChild;
      this.lines.delete(first.dataset.item);
      first.remove();
    }
    line = { el, text, role, pieces: [], received: 0, shown: 0, final: false };
    this.lines.set(itemId, line);
    return line;
  }

  scroll() {
    this.root.scrollTop = this.root.scrollHeight;
  }

  // -- the caller -------------------------------------------------------------------------

  userStarted(itemId) {
    const line = this.line(itemId, "user");
    line.el.classList.add("partial");
    if (!line.text.textContent) line.text.textContent = "…";
    this.scroll();
  }

  userPartial(itemId, delta) {
    const line = this.line(itemId, "user");
    if (line.final) return;
    line.partial = (line.partial || "") + delta;
    line.text.textContent = line.partial;
    line.el.classList.add("partial");
    this.scroll();
  }

  userFinal(itemId, transcript) {
    const line = this.line(itemId, "user");
    line.final = true;
    line.text.textContent = transcript;
    line.el.classList.remove("partial");
    if (!transcript.trim()) line.el.remove();
    this.scroll();
  }

  // -- Lingxi -----------------------------------------------------------------------------

  replyAudio(itemId, ms) {
    this.line(itemId, "assistant").received += ms;
  }

  replyText(itemId, delta) {
    const line = this.line(itemId, "assistant");
    if (line.cut) return;
    line.pieces.push({ at: line.received, text: delta });
  }

  /** Playback has reached `playedMs` of the item: show the text spoken so far. A piece shows
   *  once some of its own audio has played: at a clause boundary (everything before it
   *  played, none of it yet) the next clause's text is not shown, nor kept by a cut there. */
  played(itemId, playedMs) {
    const line = this.lines.get(itemId);
    if (!line || line.cut) return;
    while (line.shown < line.pieces.length && line.pieces[line.shown].at < playedMs - 1) {
      line.shown += 1;
    }
    this.render(line);
  }

  /** Everything of the item has been heard (or it had no audio). */
  replyDone(itemId) {
    const line = this.lines.get(itemId);
    if (!line || line.cut) return;
    line.shown = line.pieces.length;
    this.render(line);
  }

  /** Interrupted: keep what was heard, drop the rest. */
  cut(itemId, playedMs) {
    const line = this.lines.get(itemId);
    if (!line || line.cut) return;
    this.played(itemId, playedMs);
    line.cut = true;
    line.pieces = line.pieces.slice(0, line.shown);
    line.el.classList.add("interrupted");
    const mark = document.createElement("span");
    mark.className = "mark";
    mark.textContent = this.t.interrupted;
    line.el.append(mark);
    if (!line.shown) line.text.textContent = "…";
  }

  render(line) {
    const text = line.pieces.slice(0, line.shown).map((p) => p.text).join("");
    if (line.text.textContent !== text) {
      line.text.textContent = text;
      this.scroll();
    }
  }

  clear() {
    this.root.replaceChildren();
    this.lines.clear();
  }
}
