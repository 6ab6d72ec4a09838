// The form behind both ways of flagging: the toolbar popup (reads the active tab now) and the
// window the context menu opens (popup.html#<draft id>, read already). Everything shown here
// came from a page or from the server, and both are hostile: it is set with textContent or as
// a form value, never as markup.
const tw = globalThis.tropewatch;
const $ = (id) => document.getElementById(id);
const PLATFORM_NAMES = { facebook: "Facebook", x: "X", bluesky: "Bluesky", mastodon: "Mastodon" };
let draft = null;
let categoryNames = {};

const say = (text, isError = false) => {
  $("state").textContent = text;
  $("state").classList.toggle("error", isError);
};

const loadCategories = async () => {
  const { categories } = await (await fetch(chrome.runtime.getURL("categories.json"))).json();
  for (const category of categories) {
    categoryNames[category.id] = category.name;
    $("category").append(new Option(category.name, category.id));
  }
};

const loadDraft = async () => {
  const id = location.hash.slice(1);
  if (id) {
    const key = `draft:${id}`;
    const stored = (await chrome.storage.session.get(key))[key];
    await chrome.storage.session.remove(key);
    return stored || null;
  }
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab ? chrome.runtime.sendMessage({ type: "prepare", tabId: tab.id }) : null;
};

const showDraft = () => {
  const platform = PLATFORM_NAMES[draft.platform];
  if (draft.found) {
    const by = draft.author_name || draft.author_handle;
    $("found").textContent = `${platform} post${by ? ` by ${by}` : ""}`
      + (draft.author_handle && draft.author_name ? ` (${draft.author_handle})` : "")
      + (draft.posted_at ? `, ${new Date(draft.posted_at).toLocaleString()}` : "");
  } else {
    $("found").textContent = `No ${platform || "known"} post could be read here: the address and `
      + "the text you selected are sent. Check them, or paste the post's text.";
  }
  $("url").value = draft.url || "";
  $("text").value = draft.text || "";
  if (draft.screenshot) {
    $("screenshot").src = `data:image/jpeg;base64,${draft.screenshot}`;
    $("shot").hidden = false;
  }
  $("flag").hidden = false;
  say("");
};

const showReply = async (reply) => {
  $("flag").hidden = true;
  $("result").hidden = false;
  $("result-title").textContent = reply.merged
    ? "Flagged: others flagged this post too" : "Flagged: the moderators will see it";
  $("reporters").textContent = `${reply.reporters} ${reply.reporters === 1
    ? "supporter has" : "supporters have"} flagged it (item ${reply.item_id}).`;
  const verdict = reply.verdict || {};
  const score = Number(verdict.score);
  $("verdict").textContent = verdict.antisemitic
    ? `The detector finds it antisemitic (score ${score.toFixed(2)}).`
    : `The detector does not flag it (score ${score.toFixed(2)}); it still goes to the `
      + "moderators, marked as flagged by a person.";
  for (const category of verdict.categories || []) {
    const item = document.createElement("li");
    item.textContent = categoryNames[category] || String(category);
    $("categories").append(item);
  }
  $("explanation").textContent = verdict.explanation || "";
  if (reply.explainer) {
    $("explainer-title").textContent = reply.explainer.title || "";
    $("explainer-text").textContent = reply.explainer.text || "";
    $("explainer").hidden = false;
  }
  // A link only to the server the flag went to: a reply's javascript: or foreign address
  // never becomes something to click.
  const settings = await tw.readSettings();
  if (settings && tw.serverOrigin(reply.status_url) === settings.server) {
    $("status-link").href = reply.status_url;
    $("status-link").hidden = false;
  }
};

const showQueue = async () => {
  const { queued } = await chrome.runtime.sendMessage({ type: "status" });
  $("queue").textContent = queued
    ? `${queued} ${queued === 1 ? "flag is" : "flags are"} waiting for the server; `
      + "they are sent again by themselves." : "";
};

$("flag").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("send").disabled = true;
  say("Sending…");
  const result = await chrome.runtime.sendMessage({
    type: "submit",
    draft: { ...draft, url: $("url").value.trim(), text: $("text").value,
      note: $("note").value.trim(), category: $("category").value },
  });
  $("send").disabled = false;
  if (result.outcome === "sent") {
    say("");
    await showReply(result.reply);
  } else if (result.outcome === "queued") {
    $("flag").hidden = true;
    say(`Not sent yet: ${result.reason}. The flag is kept and sent again by itself.`);
  } else {
    say(`Not sent: ${result.reason}`, true);
  }
  await showQueue();
});

(async () => {
  try {
    await loadCategories();
    draft = await loadDraft();
    if (!draft) return say("There is no post to flag in this tab.", true);
    showDraft();
    if (!(await tw.readSettings())) say("Set the server and your API token first (link below).", true);
  } catch (error) {
    say(`Something went wrong: ${error.message}`, true);
  }
  await showQueue();
})();
