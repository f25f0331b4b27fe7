// Lingxi's own events shown on the call screen: notices as a brief line, safety as a card.

export function showNotice(root, event) {
  const el = document.createElement("p");
  el.className = "notice";
  el.setAttribute("role", "status");
  el.dataset.code = event.code || "";
  el.textContent = event.message || "";
  root.append(el);
  setTimeout(() => el.remove(), 8000);
}

function hotline(line, tx) {
  const li = document.createElement("li");
  const name = document.createElement("span");
  name.className = "line-name";
  name.textContent = line.name;
  const number = document.createElement("a");
  number.className = "line-number";
  number.href = `tel:${line.number.replace(/[^0-9+]/g, "")}`;
  number.textContent = line.number;
  const hours = document.createElement("span");
  hours.className = "line-hours";
  hours.textContent = line.hours ? tx.call24(line.hours) : "";
  li.append(name, number, hours);
  if (line.kind === "emergency") li.classList.add("emergency");
  return li;
}

/** The crisis lines of the caller's region, kept on screen (one card per call). */
export function showSafety(root, event, tx) {
  let card = root.querySelector(".safety");
  if (!card) {
    card = document.createElement("section");
    card.className = "safety";
    card.setAttribute("role", "alert");
    root.prepend(card);
  }
  card.dataset.level = event.level || "";
  card.replaceChildren();
  const title = document.createElement("h3");
  title.textContent = tx.safetyTitle;
  card.append(title);
  if (event.escalate) {
    const urgent = document.createElement("p");
    urgent.className = "urgent";
    urgent.textContent = tx.safetyUrgent;
    card.append(urgent);
  }
  const list = document.createElement("ul");
  for (const line of event.hotlines || []) list.append(hotline(line, tx));
  card.append(list);
}
