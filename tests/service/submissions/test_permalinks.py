import pytest

from tropewatch.submissions.permalinks import NotAPermalink, normalise_url


@pytest.mark.parametrize("given, expected", [
    ("HTTPS://WWW.Facebook.com/groups/1/posts/2/?utm_source=x&fbclid=abc#comments",
     "https://www.facebook.com/groups/1/posts/2"),
    ("https://www.facebook.com/permalink.php?story_fbid=2&id=1&__cft__[0]=zz",
     "https://www.facebook.com/permalink.php?story_fbid=2&id=1"),
    ("https://x.com/someone/status/123?s=20&t=abc", "https://x.com/someone/status/123"),
    ("https://example.org/search?s=term", "https://example.org/search?s=term"),
    ("http://example.org:80/a/", "http://example.org/a"),
    ("https://example.org:8443/a", "https://example.org:8443/a"),
    ("  https://bsky.app/profile/a.bsky.social/post/3k  ",
     "https://bsky.app/profile/a.bsky.social/post/3k"),
])
def test_it_spells_one_post_one_way(given, expected):
    assert normalise_url(given) == expected


@pytest.mark.parametrize("given", [
    "javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x", "/relative/path",
    "https://", "http://[::1", "https://example.org/" + "a" * 2001,
])
def test_it_refuses_what_is_not_a_web_address(given):
    with pytest.raises(NotAPermalink):
        normalise_url(given)
