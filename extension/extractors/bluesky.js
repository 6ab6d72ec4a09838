// Bluesky: a post in a feed is [data-testid="feedItem-by-<handle>"], in a thread
// [data-testid="postThreadItem-by-<handle>"]. Its link /profile/<handle or did>/post/<rkey>
// (the time, whose tooltip holds the date) is the permalink; the post shown alone has no such
// link and is the page itself. platform_id is the post's at:// URI as far as the page shows it:
// its authority is a did only where the link has one, the handle otherwise.
(() => {
  const tw = globalThis.tropewatch;
  const SELECTOR = '[data-testid^="feedItem-by-"], [data-testid^="postThreadItem-by-"]';
  const POST_PATH = /^\/profile\/([^/]+)\/post\/([^/?#]+)/;

  const postPath = (post) => {
    for (const link of post.querySelectorAll('a[href*="/post/"]')) {
      if (link.closest(SELECTOR) !== post) continue;
      const path = new URL(link.getAttribute("href"), location.href).pathname.match(POST_PATH);
      if (path) return { path, link };
    }
    const here = location.pathname.match(POST_PATH);
    return here ? { path: here, link: null } : null;
  };

  tw.extractors.bluesky = {
    selector: SELECTOR,
    onPage: () => tw.platformForUrl(location.href) === "bluesky",
    postOf: (element) => element.closest(SELECTOR),
    extract(post) {
      const handle = post.getAttribute("data-testid").replace(/^[a-zA-Z]+-by-/, "");
      const found = postPath(post);
      const profile = [...post.querySelectorAll('a[href^="/profile/"]')].find(
        (link) => link.closest(SELECTOR) === post
          && /^\/profile\/[^/]+\/?$/.test(link.getAttribute("href"))
          && tw.textOf(link) && !tw.textOf(link).startsWith("@"),
      );
      const when = found && found.link
        && (found.link.getAttribute("data-tooltip") || found.link.getAttribute("aria-label"));
      return {
        url: found ? `https://bsky.app/profile/${found.path[1]}/post/${found.path[2]}` : "",
        platform_id: found ? `at://${found.path[1]}/app.bsky.feed.post/${found.path[2]}` : "",
        author_handle: handle,
        author_name: tw.textOf(profile),
        text: tw.textOf(tw.own(post, '[data-testid="postText"]', SELECTOR)),
        // "November 20, 2026 at 10:00 AM", in the browser's time zone.
        posted_at: when ? tw.isoTime(when.replace(" at ", " ")) : null,
      };
    },
  };
})();
