// Who can answer: GET /v1/personas, else the server's default persona (said as nothing broken).

const PALETTE = ["#ff7aa2", "#7c8cff", "#2bb3a3", "#f5a524", "#a772e8", "#3fa2f7"];

export function defaultPersona(t) {
  return {
    id: null, name: t.defaultName, description: t.defaultDescription,
    greeting: t.defaultGreeting, colour: PALETTE[0], language: "auto",
  };
}

function clean(p, i) {
  if (!p || typeof p.id !== "string" || !p.id) return null;
  const colour = /^#[0-9a-f]{3,8}$/i.test(p.colour || "") ? p.colour : PALETTE[i % PALETTE.length];
  return {
    id: p.id, name: String(p.name || p.id), description: String(p.description || ""),
    greeting: String(p.greeting || ""), colour, language: String(p.language || "auto"),
  };
}

/**
 * {personas, default}: the server's list with texts in `lang`, or an empty list when it has
 * none to offer (then the server's default persona answers).
 */
export async function loadPersonas(lang, fetchImpl = fetch) {
  try {
    const res = await fetchImpl(`/v1/personas?lang=${encodeURIComponent(lang)}`,
      { headers: { Accept: "application/json" } });
    if (!res.ok) return { personas: [], default: null };
    const body = await res.json();
    const list = Array.isArray(body && body.personas) ? body.personas : [];
    const fallback = typeof body.default === "string" ? body.default : null;
    return { personas: list.map(clean).filter(Boolean), default: fallback };
  } catch {
    return { personas: [], default: null };
  }
}

export function initial(name) {
  return Array.from(name.trim())[0] || "灵";
}
