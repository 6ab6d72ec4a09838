"""Before and after a date, group by group: the dashboard's estimate of whether confirmed
posts per 1,000 changed, from the daily roll-ups. The statistics are the plain library's
(``tropewatch.trends``); this module only gathers each group's days and detector changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import Source
from tropewatch.trends.before_after import Day, Estimate, TooLittleData, estimate

from .metrics import Filters, filtered_rollups, version_breaks
from .models import ALL_CATEGORIES


@dataclass(frozen=True, slots=True)
class GroupEstimate:
    group: str
    result: Estimate | TooLittleData

    @property
    def sentence(self) -> str:
        return self.result.sentence(self.group)

    @property
    def caveats(self) -> tuple[str, ...]:
        return self.result.caveats()


def before_after(org: Organisation, change: date, f: Filters) -> list[GroupEstimate]:
    """One estimate per source (a group, a page, a feed) in the filters, by name. With a
    category chosen, the posts counted are those confirmed under it, over all posts."""
    names = dict(Source.objects.for_org(org).values_list("pk", "name"))
    posts: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    versions: dict[int, dict[date, dict]] = defaultdict(lambda: defaultdict(dict))
    for source, day, count, seen in filtered_rollups(org, f, ALL_CATEGORIES).values_list(
            "source_id", "day", "posts", "model_versions"):
        posts[source][day] += count
        versions[source][day].update(seen)
    events: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for source, day, count in filtered_rollups(org, f, f.category or ALL_CATEGORIES) \
            .values_list("source_id", "day", "confirmed"):
        events[source][day] += count
    out = []
    for source, days in posts.items():
        series = [Day(day, count, events[source][day]) for day, count in days.items()]
        breaks = [b["day"] for b in version_breaks(dict(sorted(versions[source].items())))]
        out.append(GroupEstimate(names.get(source, f"source {source}"),
                                 estimate(series, change, breaks=breaks)))
    return sorted(out, key=lambda group: group.group)
