// Sending one flag to the server, as the API contract says (POST /api/v1/submissions with a
// bearer token), and sorting the answer into what the extension does next: show it, keep it for
// a retry (the server was unreachable, busy or failing), or tell the supporter why it was refused
// (no retry can fix a refused token or a field the server rejects).
(() => {
  const tw = (globalThis.tropewatch = globalThis.tropewatch || {});
  const PLATFORMS = ["facebook", "x", "bluesky", "mastodon", "other"];
  const TEXT_LIMIT = 20000;
  const NOTE_LIMIT = 2000;
  const OPTIONAL = ["author_handle", "author_name", "platform_id", "posted_at", "note",
    "category", "screenshot"];

  // The contract's JSON from a draft (what was extracted, plus the supporter's note, category
  // and edits). Empty optional fields are left out rather than sent as "" or null.
  tw.submissionBody = (draft) => {
    const body = {
      platform: PLATFORMS.includes(draft.platform) ? draft.platform : "other",
      url: String(draft.url || ""),
      text: String(draft.text || "").slice(0, TEXT_LIMIT),
      seen_at: draft.seen_at || new Date().toISOString(),
    };
    for (const name of OPTIONAL) {
      if (draft[name]) body[name] = String(draft[name]);
    }
    if (body.note) body.note = body.note.slice(0, NOTE_LIMIT);
    return body;
  };

  const retryAfterSeconds = (response) => {
    const value = response.headers.get("Retry-After");
    if (!value) return null;
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const date = Date.parse(value);
    return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
  };

  const detailOf = async (response) => {
    try {
      const data = await response.json();
      if (data && typeof data.detail === "string") return data.detail;
      return JSON.stringify(data && data.detail);
    } catch {
      return `the server answered ${response.status}`;
    }
  };

  // -> {outcome: "sent", reply} | {outcome: "retry", reason, retryAfter} |
  //    {outcome: "refused", reason}
  tw.send = async (settings, body) => {
    let response;
    try {
      response = await fetch(`${settings.server}/api/v1/submissions`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${settings.token}`,
        },
        body: JSON.stringify(body),
        credentials: "omit",
      });
    } catch (error) {
      return { outcome: "retry", reason: `the server could not be reached (${error.message})` };
    }
    if (response.status === 200 || response.status === 201) {
      return { outcome: "sent", reply: await response.json() };
    }
    const reason = await detailOf(response);
    if (response.status === 429 || response.status >= 500) {
      return { outcome: "retry", reason, retryAfter: retryAfterSeconds(response) };
    }
    if (response.status === 401 || response.status === 403) {
      return { outcome: "refused", reason: `The server refused the token: ${reason}` };
    }
    return { outcome: "refused", reason };
  };
})();
