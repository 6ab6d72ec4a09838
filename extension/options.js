// The server and token: saved in chrome.storage.local["settings"]. Access to the server's
// origin is asked for here, while the supporter is clicking Save (a permission request needs
// that gesture); when it is refused the extension still works, through the server's CORS
// answer for /api/.
const tw = globalThis.tropewatch;
const $ = (id) => document.getElementById(id);

$("settings").addEventListener("submit", (event) => {
  event.preventDefault();
  const origin = tw.serverOrigin($("server").value);
  if (!origin) {
    $("saved").textContent = "The address must start with https:// (http:// only for this machine).";
    return;
  }
  // Asked first, before anything is awaited, so that the click still counts as the gesture.
  const asked = chrome.permissions.request({ origins: [`${origin}/*`] }).catch(() => false);
  // An empty token field keeps the saved token.
  tw.readSettings()
    .then((saved) => tw.writeSettings(origin, $("token").value.trim() || (saved && saved.token) || ""))
    .then(() => asked)
    .then(() => {
      $("saved").textContent = `Saved: flags go to ${origin}.`;
      $("token").value = "";
    })
    .catch((error) => {
      $("saved").textContent = error.message;
    });
});

tw.readSettings().then((settings) => {
  if (settings) {
    $("server").value = settings.server;
    $("token").placeholder = "saved (type a new one to replace it)";
    $("token").required = false;
  }
});
