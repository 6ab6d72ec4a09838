"""Hostile post texts, author names and bios. ``{canary}`` becomes an address on the test
server, ``{outside}`` one elsewhere: a browser that fetched either was made to by content."""

from __future__ import annotations

# Each post also names a trope, so that the detector flags it and it reaches the queue.
TROPE = "The Rothschilds control the banks and the media. "

POSTS = [
    "<script>window.__xss = 'script tag'</script>",
    "<img src=x onerror=\"window.__xss = 'img onerror'\">",
    "<img src=\"{canary}/img.png\"> <img src=\"{outside}/img.png\">",
    "<svg onload=\"window.__xss = 'svg onload'\">"
    "<script>window.__xss = 'svg script'</script></svg>",
    "<svg><image href=\"{canary}/svg-image.png\"/></svg>",
    "<a href=\"javascript:window.__xss = 'javascript url'\">click me</a>",
    "javascript:window.__xss = 'bare javascript url'",
    "<iframe src=\"{canary}/frame\"></iframe><object data=\"{canary}/object\"></object>",
    "<div style=\"background:url({canary}/css-background.png)\">css in an attribute</div>",
    "<style>@import url({canary}/import.css); body {{ background: url({outside}/bg.png) }}</style>",
    "<link rel=stylesheet href=\"{canary}/link.css\"><meta http-equiv=refresh "
    "content=\"0;url={canary}/refresh\"><base href=\"{canary}/\">",
    "<form action=\"{canary}/form\"><button autofocus>go</button></form>",
    "\"><script>window.__xss = 'attribute break-out'</script><x y=\"",
    "'; window.__xss = 'string break-out'; //",
    "{{{{ 7*7 }}}} {{% debug %}} ${{7*7}}",
    "<div hx-get=\"{canary}/htmx\" hx-trigger=\"load\">htmx attributes in text</div>",
    "<button data-shortcut=\"c\" data-help-open>shortcut hijack</button>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__xss = 'mutation'\">",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss='noscript'>\">",
    "![tracking pixel]({canary}/markdown.png) [link]({canary}/markdown-link)",
    "\u202eevil reversed text\u202c and \u2066isolated\u2069 and zero\u200bwidth",
    "A" * 4000,
    "https://" + "x" * 2500 + ".example/" + "y" * 500,
]

AUTHOR_NAMES = [
    "<img src=x onerror=\"window.__xss = 'author name'\">",
    "\u202eRLO author",
    "<script>window.__xss = 'display name'</script>",
]
AUTHOR_BIO = (
    "<svg onload=\"window.__xss = 'bio'\"></svg><img src=\"{canary}/bio.png\"> "
    "<a href=\"javascript:window.__xss='bio link'\">me</a>"
)
NOTE = "<script>window.__xss = 'note'</script><img src=\"{canary}/note.png\">"
URL = "javascript:window.__xss = 'post url'"

# Addresses an export may give for a post's images. The console shows images only from the
# platform's own media hosts (tropewatch/review/media.py), so none of these may ever be
# fetched: another https host, plain http (even on X's own host), protocol-relative, data:
# and javascript: addresses, look-alikes of X's host, and one on the test server itself.
FOREIGN_MEDIA = [
    "https://evil.example/x.png",
    "http://evil.example/x.png",
    "//evil.example/x.png",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>"
    "<image href='https://evil.example/in-svg.png'/></svg>",
    "javascript:window.__xss = 'media url'",
    "https://pbs.twimg.com.evil.example/x.png",
    "https://pbs.twimg.com@evil.example/x.png",
    "http://pbs.twimg.com/media/plain-http.jpg",
    "{canary}/media.png",
]
# On X's media host: fetched only once a moderator asks to see the post's images.
X_MEDIA = "https://pbs.twimg.com/media/attached.jpg"
# A Mastodon post's images may come from its own instance and the instance's subdomains.
MASTODON_POST = "https://social.example/@ada/111400000000000077"
MASTODON_MEDIA = ["https://files.social.example/media/attached.png",
                  "https://social.example/system/attached.png"]
MASTODON_FOREIGN_MEDIA = ["https://social.example.evil.example/x.png",
                          "https://notsocial.example/x.png", "https://evil.example/m.png"]
