// Where the extension sends flags: chrome.storage.local["settings"] = {server, token}, written
// by the options page (and by tests, through the background script). Shared by the background
// script, the popup and the options page.
(() => {
  const tw = (globalThis.tropewatch = globalThis.tropewatch || {});

  // https only, but for a server on this machine (development, tests): a token must never
  // travel in clear over a network.
  tw.serverOrigin = (value) => {
    let url;
    try {
      url = new URL(String(value).trim());
    } catch {
      return null;
    }
    const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
    if (url.protocol !== "https:" && !(local && url.protocol === "http:")) return null;
    return url.origin;
  };

  tw.readSettings = async () => {
    const { settings } = await chrome.storage.local.get("settings");
    return settings && settings.server && settings.token ? settings : null;
  };

  tw.writeSettings = (server, token) => {
    const origin = tw.serverOrigin(server);
    if (!origin) throw new Error("The server address must start with https://");
    if (!String(token).trim()) throw new Error("The API token is empty");
    return chrome.storage.local.set({ settings: { server: origin, token: String(token).trim() } });
  };
})();
