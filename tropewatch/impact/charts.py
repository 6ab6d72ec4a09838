"""The dashboard's charts: each one a data table, and the SVG drawn from that same table.

The table is the truth (it is what the page shows beside the picture and what the CSV
holds); the picture is geometry computed here and drawn by ``impact/chart.svg`` with
presentation attributes only, so it needs no style sheet, no script, and passes the strict
CSP inline or downloaded. Series differ by line pattern and marker or by fill, never by
colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tropewatch.accounts.roles import can_see_membership
from tropewatch.orgs.models import Organisation
from tropewatch.posts.models import PLATFORM_CHOICES, Source
from tropewatch.review.forms import category_choices

from . import metrics
from .metrics import Filters, Rate

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 56
# Per series: (stroke dash pattern, marker, bar fill) — told apart in black and white.
PATTERNS = [("", "circle", "#1f3a5f"), ("6 4", "square", "#ffffff")]


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    kind: str  # "line" or "bar"
    columns: list[str]  # the table's header; the first column labels the rows
    rows: list[list]
    plotted: list[int]  # which columns the picture draws
    y_label: str
    note: str = ""
    svg: dict = field(default_factory=dict)  # geometry for impact/chart.svg

    @property
    def empty(self) -> bool:
        return not self.rows


def _rate_rows(rates: list[Rate]) -> list[list]:
    return [[r.label, r.posts, r.flagged, r.confirmed, r.flagged_per_1000, r.confirmed_per_1000]
            for r in rates]


RATE_COLUMNS = ["", "Posts", "Flagged", "Confirmed", "Flagged per 1,000",
                "Confirmed per 1,000"]


def _rates_chart(slug: str, title: str, first: str, rates: list[Rate], kind: str) -> Chart:
    return Chart(slug, title, kind, [first, *RATE_COLUMNS[1:]], _rate_rows(rates), [4, 5],
                 "per 1,000 posts")


def _over_time(org: Organisation, f: Filters) -> Chart:
    return _rates_chart("over-time", "Flagged and confirmed per 1,000 posts over time",
                        "Period from", metrics.rates_over_time(org, f), "line")


def _by_source(org: Organisation, f: Filters) -> Chart:
    names = dict(Source.objects.for_org(org).values_list("pk", "name"))
    return _rates_chart("by-source", "Per 1,000 posts, by source", "Source",
                        metrics.rates_by(org, f, "source_id", names), "bar")


def _by_platform(org: Organisation, f: Filters) -> Chart:
    return _rates_chart("by-platform", "Per 1,000 posts, by platform", "Platform",
                        metrics.rates_by(org, f, "platform", dict(PLATFORM_CHOICES)), "bar")


def _by_category(org: Organisation, f: Filters) -> Chart:
    chart = _rates_chart("by-category", "Per 1,000 posts, by trope category", "Category",
                         metrics.rates_by(org, f, "category", dict(category_choices())), "bar")
    return Chart(**{**chart.__dict__, "note": "A post with two categories counts in both."})


def _waits(org: Organisation, f: Filters) -> Chart:
    rows = [[w.label, w.count, w.median_hours, w.waiting] for w in metrics.waits(org, f)]
    return Chart("waits", "Median time to first review and to platform action", "bar",
                 ["Measure", "Measured", "Median (hours)", "Still waiting"],
                 [r for r in rows if r[1] or r[3]], [2], "hours",
                 note="Still waiting: escalated posts with no final decision; reports the "
                      "platform has not answered.")


def _outcomes(org: Organisation, f: Filters) -> Chart:
    return Chart("report-outcomes", "Reports to the platforms, by outcome", "bar",
                 ["Status or outcome", "Reports"],
                 [[label, n] for label, n in metrics.report_outcomes(org, f)], [1], "reports")


def _membership(org: Organisation, f: Filters) -> Chart:
    m = metrics.membership(org, f)
    rows = [["Member", m.member], ["Not a member", m.not_member], ["Unknown", m.unknown],
            ["Not looked up", m.not_looked_up]]
    share = "no answer known yet" if m.share is None else f"{m.share}% members"
    return Chart("membership", "Reported authors who are members", "bar",
                 ["Latest answer", "Authors"], rows if m.reported_authors else [], [1],
                 "authors",
                 note=f"{m.reported_authors} reported authors; of those with a known answer, "
                      f"{share}. Answers come from the membership access log: nothing is "
                      "looked up here.")


def _repeat(org: Organisation, f: Filters) -> Chart:
    r = metrics.repeat_offenders(org, f)
    share = "" if r.share is None else f"{r.share}% are repeat offenders."
    return Chart("repeat-offenders", "Repeat-offender share", "bar",
                 ["People", "Count"],
                 [["With a confirmed post", r.people], ["Repeat offenders", r.repeat]]
                 if r.people else [], [1], "people", note=share)


# In the order the dashboard shows them, with the role question that guards any of them.
BUILDERS: dict[str, tuple[Callable[[Organisation, Filters], Chart], Callable[[str], bool]]] = {
    "over-time": (_over_time, lambda role: True),
    "by-source": (_by_source, lambda role: True),
    "by-platform": (_by_platform, lambda role: True),
    "by-category": (_by_category, lambda role: True),
    "waits": (_waits, lambda role: True),
    "report-outcomes": (_outcomes, lambda role: True),
    "membership": (_membership, can_see_membership),
    "repeat-offenders": (_repeat, lambda role: True),
}


def build(slug: str, org: Organisation, f: Filters) -> Chart:
    chart = BUILDERS[slug][0](org, f)
    return Chart(**{**chart.__dict__, "svg": geometry(chart)})


def allowed(slug: str, role: str) -> bool:
    return slug in BUILDERS and BUILDERS[slug][1](role)


def geometry(chart: Chart) -> dict:
    """Coordinates for the picture: axes, ticks and the marks of each plotted column."""
    values = [[row[i] for row in chart.rows] for i in chart.plotted]
    top = max((v for series in values for v in series if v is not None), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    ticks = [{"y": y(top * i / 4), "label": _short(top * i / 4)} for i in range(5)]
    n = len(chart.rows)
    series = []
    for index, column in enumerate(chart.plotted):
        dash, marker, fill = PATTERNS[index % len(PATTERNS)]
        series.append({"name": chart.columns[column], "dash": dash, "marker": marker,
                       "fill": fill, "points": [], "bars": []})
    labels = []
    if chart.kind == "line":
        step = plot_w / max(n - 1, 1)
        for i, row in enumerate(chart.rows):
            x = round(LEFT + i * step, 1)
            if i in (0, n // 2, n - 1):
                labels.append({"x": x, "text": str(row[0])})
            for s, column in zip(series, chart.plotted, strict=True):
                if row[column] is not None:
                    s["points"].append({"x": x, "y": y(row[column]), "value": row[column]})
        for s in series:
            s["polyline"] = " ".join(f"{p['x']},{p['y']}" for p in s["points"])
    else:
        group = plot_w / max(n, 1)
        bar = group * 0.8 / len(series)
        for i, row in enumerate(chart.rows):
            x0 = LEFT + i * group + group * 0.1
            labels.append({"x": round(x0 + group * 0.4, 1), "text": str(row[0])[:18]})
            for k, (s, column) in enumerate(zip(series, chart.plotted, strict=True)):
                value = row[column] or 0
                s["bars"].append({"x": round(x0 + k * bar, 1), "y": y(value),
                                  "width": round(bar, 1),
                                  "height": round(TOP + plot_h - y(value), 1),
                                  "value": row[column]})
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "top": TOP, "bottom": TOP + plot_h, "ticks": ticks, "labels": labels,
            "series": series, "legend_y": HEIGHT - 12}


def _short(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"
