// Facebook: a post (group feed, timeline, or a comment) is a div[role=article]. Its
// aria-labelledby names the heading with the author's link; its text is the "message" preview
// block; its permalink is the timestamp link to /groups/<id>/posts/<id>/ (or /posts/,
// /permalink/, story_fbid=). Facebook shows times as "3h" without a machine-readable date, so
// posted_at is only read where an older page still has one.
(() => {
  const tw = globalThis.tropewatch;
  const SELECTOR = 'div[role="article"]';
  const PERMALINK = 'a[href*="/posts/"], a[href*="/permalink/"], a[href*="story_fbid="]';
  const MESSAGE = '[data-ad-preview="message"], [data-ad-comet-preview="message"]';
  // First path segments that are Facebook's own pages, never a username.
  const NOT_A_USER = new Set(["groups", "pages", "profile.php", "watch", "photo", "events",
    "hashtag", "stories", "permalink.php", "story.php", "reel", "share"]);

  const byIds = (ids) =>
    (ids || "").split(/\s+/).filter(Boolean).map((id) => document.getElementById(id))
      .filter(Boolean);

  const handleOf = (href) => {
    const url = new URL(href, location.href);
    const member = url.pathname.match(/^\/groups\/[^/]+\/user\/(\d+)/);
    if (member) return member[1];
    if (url.pathname === "/profile.php") return url.searchParams.get("id") || "";
    const first = url.pathname.split("/")[1] || "";
    return NOT_A_USER.has(first) ? "" : first;
  };

  // Facebook adds tracking parameters (__cft__, __tn__) to every link: the permalink is kept
  // without them, but with the ids that old-style links carry in their query.
  const permalinkOf = (href) => {
    const url = new URL(href, location.href);
    const kept = new URLSearchParams();
    for (const name of ["story_fbid", "id", "comment_id"]) {
      if (url.searchParams.has(name)) kept.set(name, url.searchParams.get(name));
    }
    url.search = kept.toString();
    url.hash = "";
    return url.href;
  };

  tw.extractors.facebook = {
    selector: SELECTOR,
    onPage: () => tw.platformForUrl(location.href) === "facebook",
    postOf: (element) => element.closest(SELECTOR),
    extract(post) {
      const heading = byIds(post.getAttribute("aria-labelledby"))[0];
      const author = (heading && heading.querySelector("a[href]"))
        || tw.own(post, "h2 a[href], h3 a[href], h4 a[href], strong a[href]", SELECTOR);
      const link = tw.own(post, PERMALINK, SELECTOR);
      const permalink = link ? permalinkOf(link.getAttribute("href")) : "";
      // A comment's link is its post's, with the comment's id in the query.
      const id = permalink.match(/[?&]comment_id=(\d+)/)
        || permalink.match(/\/(?:posts|permalink)\/(\d+)/)
        || permalink.match(/[?&]story_fbid=(\d+)/);
      // Comments have no message block: their text is their first dir=auto block.
      const message = tw.own(post, MESSAGE, SELECTOR)
        || byIds(post.getAttribute("aria-describedby")).find((el) => tw.textOf(el))
        || tw.own(post, 'div[dir="auto"]', SELECTOR);
      const time = tw.own(post, "time[datetime], abbr[data-utime]", SELECTOR);
      return {
        url: permalink,
        platform_id: id ? id[1] : "",
        author_name: tw.textOf(author),
        author_handle: author ? handleOf(author.getAttribute("href")) : "",
        text: tw.textOf(message),
        posted_at: time && (time.getAttribute("datetime")
          ? tw.isoTime(time.getAttribute("datetime"))
          : tw.isoTime(Number(time.getAttribute("data-utime")) * 1000)),
      };
    },
  };
})();
