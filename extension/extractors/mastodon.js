// Mastodon runs on any host, so the page is recognised by its markup: the web app's #mastodon
// root or its statuses. A post is a .status (or an article) with data-id, the status id on the
// instance being read; .display-name holds the name and @account; .status__content the text
// (a content warning's text first, then the hidden text); a.status__relative-time the permalink
// with the time[datetime].
(() => {
  const tw = globalThis.tropewatch;
  const SELECTOR = ".status[data-id], article[data-id]";

  tw.extractors.mastodon = {
    selector: SELECTOR,
    onPage: () => Boolean(document.querySelector("#mastodon, .status[data-id]")),
    postOf: (element) => element.closest(".status[data-id]") || element.closest(SELECTOR),
    extract(post) {
      const status = post.matches(".status") ? post : post.querySelector(".status") || post;
      const time = status.querySelector("a.status__relative-time");
      const account = tw.textOf(status.querySelector(".display-name__account")).replace(/^@/, "");
      return {
        url: time ? tw.absolute(time.getAttribute("href")) : "",
        platform_id: post.getAttribute("data-id") || status.getAttribute("data-id") || "",
        // A local account is shown without its instance: the handle names it.
        author_handle: account && !account.includes("@") ? `${account}@${location.host}` : account,
        author_name: tw.textOf(status.querySelector(".display-name__html")),
        text: tw.textOf(status.querySelector(".status__content")),
        posted_at: time && time.querySelector("time[datetime]")
          ? tw.isoTime(time.querySelector("time[datetime]").getAttribute("datetime"))
          : null,
      };
    },
  };
})();
