// Keyboard shortcuts and small behaviours of the review console. A file of its own, because
// the Content-Security-Policy forbids inline script. Shortcuts are declared in the markup:
// an element with data-shortcut="c" is clicked (buttons, links) or focused (anything else)
// when c is pressed; rows with data-row-link are moved through with j and k.
(function () {
  "use strict";

  function isTyping(element) {
    if (!element) return false;
    if (element.isContentEditable) return true;
    if (element.tagName === "TEXTAREA" || element.tagName === "SELECT") return true;
    return element.tagName === "INPUT" && !["checkbox", "radio", "button", "submit"].includes(element.type);
  }

  function rowLinks() {
    return Array.from(document.querySelectorAll("[data-row-link]"));
  }

  function moveRow(step) {
    const links = rowLinks();
    if (links.length === 0) return false;
    const index = links.indexOf(document.activeElement);
    const next = index === -1 ? links[0] : links[Math.max(0, Math.min(links.length - 1, index + step))];
    next.focus();
    next.closest("tr").scrollIntoView({ block: "nearest" });
    return true;
  }

  function trigger(key) {
    const target = document.querySelector('[data-shortcut="' + key + '"]');
    if (!target || target.disabled) return false;
    if (target.matches("button, a, input[type=submit]")) {
      target.click();
    } else {
      target.focus();
    }
    return true;
  }

  function help() {
    return document.getElementById("help");
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const dialog = help();
    if (event.key === "?") {
      if (dialog.open) dialog.close(); else dialog.showModal();
      event.preventDefault();
      return;
    }
    if (dialog.open) return;
    const handled = (event.key === "j" || event.key === "k") && rowLinks().length > 0
      ? moveRow(event.key === "j" ? 1 : -1)
      : trigger(event.key);
    if (handled) event.preventDefault();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-help-open]")) help().showModal();
    const image = event.target.closest("[data-unblur]");
    if (image) {
      const shown = image.classList.toggle("revealed");
      image.setAttribute("aria-pressed", shown ? "true" : "false");
    }
    const all = event.target.closest("[data-select-all]");
    if (all) {
      document.querySelectorAll("[data-select-item]").forEach(function (box) { box.checked = all.checked; });
    }
  });

  // A decision is sent once: a second key press while the page changes would otherwise
  // send it again and meet "decided already".
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
})();
