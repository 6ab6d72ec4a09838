// X (Twitter): a post is article[data-testid="tweet"]. User-Name holds the name link and the
// @handle link; tweetText the text (emoji are images with alt text); the time[datetime] sits
// inside the permalink /<handle>/status/<id>. A quoted post inside it is not an article, and
// comes after the quoting post's own text and time, so the first match is the right one.
(() => {
  const tw = globalThis.tropewatch;
  const SELECTOR = 'article[data-testid="tweet"]';

  tw.extractors.x = {
    selector: SELECTOR,
    onPage: () => tw.platformForUrl(location.href) === "x",
    postOf: (element) => element.closest(SELECTOR),
    extract(post) {
      const names = tw.own(post, '[data-testid="User-Name"]', SELECTOR);
      const time = tw.own(post, 'a[href*="/status/"] time[datetime]', SELECTOR);
      const link = time && time.closest("a");
      const url = link ? new URL(link.getAttribute("href"), location.href) : null;
      const path = url ? url.pathname.match(/^\/([^/]+)\/status\/(\d+)/) : null;
      const handleText = names
        ? [...names.querySelectorAll("a, span")].map((el) => tw.textOf(el))
          .find((text) => /^@\w+$/.test(text))
        : "";
      return {
        url: path ? `${url.origin}/${path[1]}/status/${path[2]}` : "",
        platform_id: path ? path[2] : "",
        author_handle: path ? path[1] : (handleText || "").slice(1),
        author_name: names ? tw.textOf(names.querySelector("a") || names) : "",
        text: tw.textOf(tw.own(post, '[data-testid="tweetText"]', SELECTOR)),
        posted_at: time ? tw.isoTime(time.getAttribute("datetime")) : null,
      };
    },
  };
})();
