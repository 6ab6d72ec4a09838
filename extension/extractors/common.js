// Injected into the page (chrome.scripting.executeScript) right after the supporter asks to flag,
// before the per-platform extractors; also loaded by the background script for platformForUrl.
// Every file is wrapped in a function and assigns to globalThis.tropewatch, so injecting it again
// on the same page (a second flag) re-defines nothing with `const` at top level.
(() => {
  const tw = (globalThis.tropewatch = globalThis.tropewatch || {});
  tw.extractors = tw.extractors || {};

  // Hosts are enough for three platforms; Mastodon runs on any host, so its extractor looks at
  // the page instead (extractors/mastodon.js).
  const HOSTS = {
    facebook: ["facebook.com", "m.facebook.com", "web.facebook.com", "www.facebook.com"],
    x: ["x.com", "twitter.com", "mobile.twitter.com", "www.x.com", "mobile.x.com"],
    bluesky: ["bsky.app", "www.bsky.app"],
  };

  tw.platformForUrl = (url) => {
    let host;
    try {
      host = new URL(url).hostname;
    } catch {
      return "other";
    }
    for (const [platform, hosts] of Object.entries(HOSTS)) {
      if (hosts.includes(host)) return platform;
    }
    return "other";
  };

  // What a reader sees, as plain text: whitespace collapsed as HTML renders it, line breaks from
  // <br> and blocks, emoji images (X, Mastodon's custom emoji) as their alt text, and no buttons
  // ("See more", "Show more"), whose words are not part of the post.
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "BUTTON", "SVG"]);
  const BLOCK = /^(P|DIV|LI|UL|OL|BLOCKQUOTE|PRE|H[1-6]|SECTION|ARTICLE)$/;

  tw.textOf = (element) => {
    if (!element) return "";
    let out = "";
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          out += child.data.replace(/\s+/g, " ");
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          const tag = child.tagName.toUpperCase();
          if (SKIP.has(tag) || child.getAttribute("role") === "button") continue;
          if (tag === "BR") {
            out += "\n";
          } else if (tag === "IMG") {
            out += child.getAttribute("alt") || "";
          } else {
            // A block starts and ends a line: one line break between blocks, not two (nor two
            // around the white space between them).
            const block = BLOCK.test(tag);
            if (block && !/\n *$/.test(out)) out += "\n";
            walk(child);
            if (block && !/\n *$/.test(out)) out += "\n";
          }
        }
      }
    };
    walk(element);
    return out
      .split("\n")
      .map((line) => line.trim())
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  };

  // The first element matching `selector` inside `post` that belongs to `post` itself and not to
  // a post nested in it (a Facebook comment is an article inside the post's article).
  tw.own = (post, selector, postSelector) => {
    for (const element of post.querySelectorAll(selector)) {
      if (!postSelector || element.parentElement.closest(postSelector) === post) return element;
    }
    return null;
  };

  tw.absolute = (href) => {
    try {
      return new URL(href, location.href).href;
    } catch {
      return "";
    }
  };

  tw.isoTime = (value) => {
    if (!value) return null;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date.toISOString();
  };

  // Which post the supporter meant. The context menu does not say which element was under the
  // click in Chromium (Firefox does: menus.getTargetElement), and without host permissions no
  // script can listen for the right-click beforehand; so, in order: Firefox's target element,
  // the selected text, the link or image right-clicked, the first post that starts on screen
  // (or the one filling it), the first post on the page.
  tw.findPost = (extractor, hints) => {
    const postOf = (node) => {
      const element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
      return element ? extractor.postOf(element) : null;
    };
    const menus = globalThis.browser && globalThis.browser.menus;
    if (hints.targetElementId != null && menus && menus.getTargetElement) {
      const post = postOf(menus.getTargetElement(hints.targetElementId));
      if (post) return post;
    }
    const selection = getSelection();
    if (selection && String(selection).trim()) {
      const post = postOf(selection.anchorNode);
      if (post) return post;
    }
    for (const [url, selector, property] of [
      [hints.linkUrl, "a[href]", "href"],
      [hints.srcUrl, "img[src], video[src]", "src"],
    ]) {
      if (!url) continue;
      for (const element of document.querySelectorAll(selector)) {
        if (element[property] === url && postOf(element)) return postOf(element);
      }
    }
    const posts = [...document.querySelectorAll(extractor.selector)];
    const boxes = posts.map((post) => post.getBoundingClientRect());
    const onScreen = posts.find((post, i) => boxes[i].top >= 0 && boxes[i].top < innerHeight)
      || posts.find((post, i) => boxes[i].bottom > 0 && boxes[i].top < innerHeight);
    return onScreen || posts[0] || null;
  };

  // The page's post as the submission's fields. `found` is false when no post could be read:
  // the supporter then still has the page's address and the selected text to send.
  tw.extract = (hints = {}) => {
    const selected = String(getSelection() || "").trim() || hints.selectionText || "";
    const platform = Object.keys(tw.extractors).find((name) => tw.extractors[name].onPage());
    const fallback = {
      found: false,
      platform: platform || tw.platformForUrl(location.href),
      url: location.href,
      text: selected,
    };
    if (!platform) return fallback;
    try {
      const post = tw.findPost(tw.extractors[platform], hints);
      if (!post) return fallback;
      const fields = tw.extractors[platform].extract(post);
      if (!fields.text) return { ...fallback, ...dropEmpty(fields), text: selected };
      return { ...fallback, ...dropEmpty(fields), found: true };
    } catch (error) {
      return { ...fallback, error: String(error) };
    }
  };

  const dropEmpty = (fields) =>
    Object.fromEntries(Object.entries(fields).filter(([, value]) => value));
})();
