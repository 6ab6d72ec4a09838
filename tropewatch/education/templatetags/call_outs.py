"""``{% call_outs post %}``: the post's call-outs, for the item page's history, without the
review views having to know about them."""

from django import template

from ..models import CallOut

register = template.Library()


@register.inclusion_tag("education/call_outs.html")
def call_outs(post):
    return {"call_outs": list(CallOut.objects.filter(org_id=post.org_id, post=post))}
