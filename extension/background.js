// The background of "Flag with tropewatch": the context-menu item, reading a post and taking
// the screenshot when the supporter asks (activeTab grants this tab to us at that moment, and
// no other), sending flags and retrying queued ones.
//
// Chromium runs this as a service worker and loads the libraries here; Firefox runs it as an
// event page, with the libraries listed before it in manifest.json (it has no importScripts).
if (typeof importScripts === "function") {
  importScripts("extractors/common.js", "lib/settings.js", "lib/submit.js", "lib/queue.js");
}

const tw = globalThis.tropewatch;
const MENU = "tropewatch-flag";
const EXTRACTORS = ["extractors/common.js", "extractors/facebook.js", "extractors/x.js",
  "extractors/bluesky.js", "extractors/mastodon.js"];
const SCREENSHOT_LIMIT = 5 * 1024 * 1024; // the contract's limit, decoded

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({
    id: MENU,
    title: "Flag with tropewatch",
    contexts: ["page", "selection", "link", "image", "video"],
    // Mastodon runs on any host: the item is on every web page, and elsewhere than the four
    // platforms it sends the address and the selected text.
    documentUrlPatterns: ["https://*/*", "http://*/*"],
  });
});

// Reads the post in the tab (see extractors/common.js for how it is chosen) and takes the
// screenshot. Anything that fails leaves what the supporter can still send: the address and
// the selected text.
tw.prepareDraft = async (tab, hints = {}) => {
  const draft = {
    found: false,
    platform: tw.platformForUrl(tab.url || hints.pageUrl || ""),
    url: tab.url || hints.pageUrl || "",
    text: hints.selectionText || "",
    seen_at: new Date().toISOString(),
  };
  try {
    const target = { tabId: tab.id, frameIds: [hints.frameId || 0] };
    await chrome.scripting.executeScript({ target, files: EXTRACTORS });
    const [{ result }] = await chrome.scripting.executeScript({
      target,
      func: (pageHints) => globalThis.tropewatch.extract(pageHints),
      args: [{ selectionText: hints.selectionText, linkUrl: hints.linkUrl,
        srcUrl: hints.srcUrl, targetElementId: hints.targetElementId }],
    });
    Object.assign(draft, result);
  } catch (error) {
    draft.error = `The page could not be read: ${error.message}`;
  }
  draft.screenshot = await screenshotOf(tab);
  return draft;
};

// The visible part of the tab, as the supporter sees it now: JPEG keeps a full-HD screen well
// under the server's 5 MB; a larger one is sent without it rather than refused.
// Chromium allows two captures a second per extension; a flag right after another waits
// for the quota instead of going without its screenshot.
const CAPTURE_TRIES = 4;
const CAPTURE_WAIT_MS = 600;

const screenshotOf = async (tab) => {
  for (let attempt = 1; ; attempt++) {
    try {
      const current = await chrome.tabs.get(tab.id);
      if (!current.active) return null;
      const dataUrl = await chrome.tabs.captureVisibleTab(current.windowId,
        { format: "jpeg", quality: 80 });
      const base64 = dataUrl.slice(dataUrl.indexOf(",") + 1);
      return base64.length * 0.75 <= SCREENSHOT_LIMIT ? base64 : null;
    } catch (error) {
      if (attempt >= CAPTURE_TRIES) {
        console.warn("tropewatch: no screenshot", error.message);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, CAPTURE_WAIT_MS * attempt));
    }
  }
};

// The context menu has no popup to open into: the draft waits in session storage for a small
// window with the same form as the toolbar popup.
tw.flagFromMenu = async (info, tab) => {
  const draft = await tw.prepareDraft(tab, info);
  const id = crypto.randomUUID();
  await chrome.storage.session.set({ [`draft:${id}`]: draft });
  await chrome.windows.create({
    url: chrome.runtime.getURL(`popup.html#${id}`), type: "popup", width: 440, height: 640,
  });
  return id;
};

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU && tab) tw.flagFromMenu(info, tab);
});

// Sends a flag; what cannot reach the server now is queued.
// -> {outcome: "sent", reply} | {outcome: "queued", reason, waiting} | {outcome: "refused", reason}
tw.submit = async (draft) => {
  const settings = await tw.readSettings();
  if (!settings) {
    return { outcome: "refused", reason: "Set the server and your API token in the options first." };
  }
  const body = tw.submissionBody(draft);
  const result = await tw.send(settings, body);
  if (result.outcome !== "retry") return result;
  const waiting = await tw.enqueue(body, result);
  return { outcome: "queued", reason: result.reason, waiting };
};

chrome.runtime.onMessage.addListener((message, sender, reply) => {
  // Only the extension's own pages (popup, options) ask; never a script injected into a page.
  if (sender.id !== chrome.runtime.id || !String(sender.url).startsWith(chrome.runtime.getURL(""))) {
    return false;
  }
  const handlers = {
    prepare: () => chrome.tabs.get(message.tabId).then((tab) => tw.prepareDraft(tab, {})),
    submit: () => tw.submit(message.draft),
    status: async () => ({ queued: (await tw.queued()).length, delivered: await tw.delivered() }),
  };
  const handler = handlers[message.type];
  if (!handler) return false;
  handler().then(reply, (error) => reply({ outcome: "refused", reason: String(error) }));
  return true; // the reply comes later
});

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === tw.RETRY_ALARM) tw.retryQueued();
});
chrome.runtime.onStartup.addListener(() => tw.retryQueued());
