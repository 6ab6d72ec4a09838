"""What a phone shares becomes the form's first values: the link found wherever the app put
it, and the platform read from its host."""

from __future__ import annotations

import pytest

from tropewatch.submissions.shared import shared_values


@pytest.mark.parametrize(("shared", "expected"), [
    ({"text": "Look (https://x.com/a/status/1?s=20)."},
     {"platform": "x", "url": "https://x.com/a/status/1?s=20", "text": "Look ()."}),
    ({"text": "hateful words\nhttps://m.facebook.com/story.php?id=3"},
     {"platform": "facebook", "url": "https://m.facebook.com/story.php?id=3",
      "text": "hateful words"}),
    ({"title": "https://mastodon.social/@a/1", "text": ""},
     {"url": "https://mastodon.social/@a/1"}),
    ({"title": "A post", "text": "no link at all"}, {"text": "no link at all"}),
    ({"title": "Only a title"}, {"text": "Only a title"}),
    ({"text": "Look  https://bsky.app/profile/a/post/b", "url": "https://bsky.app/profile/a/post/b"},
     {"platform": "bluesky", "url": "https://bsky.app/profile/a/post/b", "text": "Look"}),
    ({"url": "javascript:alert(1)", "text": "x"}, {"url": "javascript:alert(1)", "text": "x"}),
])
def test_the_link_is_found_and_the_platform_guessed(shared, expected):
    assert shared_values(shared) == expected
