"""The queue's default order in words, for the tooltip on the queue and the help dialog."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def priority_help() -> str:
    return (
        "Priority: the detector's score (at least 0.5 when a supporter flagged the post), "
        "times one more than the number of supporters who flagged it, times the post's reach "
        "(likes, shares and replies, dampened: a thousand times the reach is not a thousand "
        "times as urgent), halved for every "
        f"{settings.REVIEW_HALF_LIFE_DAYS:g} days since it was posted."
    )
