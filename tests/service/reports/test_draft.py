"""The report drafts for each platform: rules cited, coded words explained, evidence hash,
form link, and the Article 16 notice only when it can be sent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tropewatch.reports.draft import (
    GOOD_FAITH,
    SHORT_TEXT_LIMIT,
    InstanceRule,
    Notifier,
    PostFacts,
    draft_report,
)
from tropewatch.reports.platform_rules import (
    PLATFORMS,
    PlatformRulesError,
    load_platform_rules,
)

ZOG_SPAN = {"start": 4, "end": 7, "term": "ZOG", "category": "coded_language", "entry": "zog"}
NOTIFIER = Notifier(org_name="Campaign group", name="Ada Lead", email="ada@example.org",
                    dsa_notices=True)


def facts(platform: str = "x", text: str = "The ZOG runs the war machine.") -> PostFacts:
    return PostFacts(platform=platform, url="https://x.com/someone/status/1", text=text,
                     author_handle="@someone")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_file_loads_and_maps_every_category(platform):
    rules = load_platform_rules(platform)

    assert rules.platform == platform
    assert rules.rules_for(["incitement_violence"])  # violence breaks a rule everywhere


@pytest.mark.parametrize(("platform", "category", "rule"), [
    ("facebook", "holocaust_denial", "meta_holocaust_denial"),
    ("facebook", "power_control", "meta_stereotypes"),
    ("facebook", "dehumanisation_slurs", "meta_dehumanising"),
    ("x", "holocaust_denial", "x_violent_events"),
    ("x", "dehumanisation_slurs", "x_dehumanisation"),
    ("bluesky", "incitement_violence", "bsky_violence"),
    ("mastodon", "rothschild_soros", "mastodon_covenant"),
])
def test_a_category_cites_the_platform_rule_it_breaks(platform, category, rule):
    draft = draft_report(facts(platform), [category], [], "ab" * 32, NOTIFIER)

    assert rule in [cited.id for cited in draft.rules]
    assert load_platform_rules(platform).rules[rule].policy_url in draft.text


def test_the_draft_explains_coded_words_and_names_the_evidence_hash():
    draft = draft_report(facts(), ["coded_language"], [ZOG_SPAN], "f" * 64, NOTIFIER)

    assert '"ZOG": "ZOG", short for "Zionist Occupied Government"' in draft.text
    assert f"Evidence hash (SHA-256 of the captured record): {'f' * 64}" in draft.text
    assert "https://x.com/someone/status/1" in draft.text
    assert "@someone" in draft.text
    assert draft.form_url == load_platform_rules("x").form_url


def test_without_evidence_the_draft_says_it_was_not_captured():
    draft = draft_report(facts(), ["coded_language"], [], None, NOTIFIER)

    assert "Evidence hash (SHA-256 of the captured record): not captured" in draft.text
    assert "Evidence SHA-256: not captured" in draft.short_text


def test_a_category_no_rule_covers_is_said_plainly_not_stretched():
    draft = draft_report(facts("facebook"), ["double_standards"], [], None, NOTIFIER)

    assert draft.rules == ()
    assert "No rule of Facebook (Meta) plainly covers Double standards" in draft.warnings[0]


def test_the_article_16_notice_has_url_explanation_notifier_and_good_faith():
    draft = draft_report(facts("x", "The holohoax is a lie."), ["holocaust_denial"], [], None,
                         NOTIFIER)

    notice = draft.dsa_notice
    assert notice is not None
    assert "Exact location of the content: https://x.com/someone/status/1" in notice
    assert "Framework Decision 2008/913/JHA, Article 1(1)(d)" in notice
    assert "Submitted by: Ada Lead <ada@example.org>, for Campaign group" in notice
    assert notice.endswith(GOOD_FAITH)
    assert draft.dsa_notice_url == load_platform_rules("x").dsa_notice_url


def test_the_organisations_own_legal_basis_joins_the_explanation():
    notifier = Notifier(org_name="Verein", name="A", email="a@example.de", dsa_notices=True,
                        legal_basis_note="In Germany also § 130 StGB (Volksverhetzung).")

    draft = draft_report(facts(), ["incitement_violence"], [], None, notifier)

    assert "Article 1(1)(a)). In Germany also § 130 StGB" in draft.dsa_notice


@pytest.mark.parametrize(("notifier", "categories", "why"), [
    (Notifier(org_name="G"), ["holocaust_denial"], "does not send notices"),
    (NOTIFIER, ["power_control"], "None of the confirmed categories is listed"),
    (Notifier(org_name="G", dsa_notices=True), ["holocaust_denial"], "name and email"),
])
def test_no_notice_without_dsa_a_legal_ground_or_a_notifier(notifier, categories, why):
    draft = draft_report(facts(), categories, [], None, notifier)

    assert draft.dsa_notice is None
    assert why in draft.dsa_skipped_because


def test_mastodon_cites_the_servers_own_rules_that_name_hate():
    server_rules = [InstanceRule("1", "No spam."), InstanceRule("2", "No racism or antisemitism."),
                    InstanceRule("3", "No threats of violence.")]

    draft = draft_report(facts("mastodon"), ["power_control"], [], None, NOTIFIER,
                         instance="social.example", instance_rules=server_rules)

    assert [rule.id for rule in draft.instance_rules] == ["2", "3"]
    assert "Server rule 2: No racism or antisemitism." in draft.text
    assert draft.form_url == "https://social.example/about"


def test_the_short_text_fits_a_mastodon_comment():
    long_text = "The ZOG runs everything. " * 200

    draft = draft_report(facts(text=long_text), ["coded_language", "power_control"],
                         [ZOG_SPAN], "a" * 64, NOTIFIER)

    assert len(draft.short_text) <= SHORT_TEXT_LIMIT
    assert len(draft.text) < 3000  # the post is quoted clipped, not whole


def test_a_mapping_to_an_undefined_rule_is_refused_naming_the_field(tmp_path: Path):
    source = load_platform_rules("x")
    text = (Path(__file__).parents[3] / "tropewatch/reports/data/platforms/x.yaml").read_text()
    bad = tmp_path / "x.yaml"
    bad.write_text(text.replace("power_control: [x_slurs_tropes]", "power_control: [x_nope]"))

    with pytest.raises(PlatformRulesError, match=r"categories\.power_control: unknown rule x_nope"):
        load_platform_rules("x", bad)
    assert source.rules_for(["power_control"])  # the shipped file is untouched


def test_the_draft_is_built_without_django():
    code = ("import sys, tropewatch.reports.draft as d; "
            "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django loaded'")

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])})

    assert result.returncode == 0, result.stderr
