// "My data" on the home screen: everything the server keeps about this browser's caller, as a
// JSON download, and deleting all of it (GET / DELETE /v1/users/{id}).

import { pageKey } from "./realtime.js";

async function authorised(user, method, fetchImpl = fetch) {
  const key = await pageKey(user, fetchImpl);
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  return fetchImpl(`/v1/users/${encodeURIComponent(user)}${method === "GET" ? "/export" : ""}`,
    { method, headers });
}

// "saved" | "none" (nothing kept) | "off" (the server keeps nothing) | "failed"
export async function exportData(user, save, fetchImpl = fetch) {
  try {
    const res = await authorised(user, "GET", fetchImpl);
    if (res.status === 404) return "none";
    if (res.status === 503) return "off";
    if (!res.ok) return "failed";
    save(new Blob([await res.text()], { type: "application/json" }));
    return "saved";
  } catch {
    return "failed";
  }
}

// "deleted" | "none" | "off" | "failed"
export async function deleteData(user, fetchImpl = fetch) {
  try {
    const res = await authorised(user, "DELETE", fetchImpl);
    if (res.status === 503) return "off";
    if (!res.ok) return "failed";
    const body = await res.json();
    return body && body.deleted ? "deleted" : "none";
  } catch {
    return "failed";
  }
}

export function download(blob, name = "lingxi-export.json") {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
