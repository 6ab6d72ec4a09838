from __future__ import annotations

from collections import Counter, defaultdict

from tropewatch.clusters.assign import assign
from tropewatch.clusters.models import Cluster, ClusterMember
from tropewatch.clusters.signature import normalise
from tropewatch.posts.models import Detection

from .campaigns import CAMPAIGNS, posts
from .imports import import_jsonl, write_jsonl


def _clusters_by_post(org) -> dict[str, int | None]:
    return dict(ClusterMember.objects.for_org(org).values_list("post__platform_id", "cluster_id"))


def test_normalising_sets_aside_case_punctuation_emoji_links_and_mentions():
    assert normalise("🔥 @someone THE #Rothschilds, own... https://t.co/x1 banks!! 🇮🇱 #Wake") == [
        "the", "rothschilds", "own", "banks"
    ]
    assert normalise("#Wake #Up") == ["wake", "up"]


def test_a_3000_row_import_of_campaign_copies_becomes_one_cluster_per_campaign(
    org, source, tmp_path
):
    generated = list(posts(3000))
    run = import_jsonl(org, source, write_jsonl(tmp_path / "posts.jsonl", generated))
    assert run.new_count == 3000

    clusters = _clusters_by_post(org)
    # Only flagged posts are clustered: the queue, which groups copies, lists no other.
    assert set(clusters) == set(Detection.objects.for_org(org).filter(antisemitic=True)
                                .values_list("post__platform_id", flat=True))
    by_campaign: dict[int | None, set[int]] = defaultdict(set)
    for number, item in enumerate(generated):
        if f"c{number}" in clusters:
            by_campaign[item.campaign].add(clusters[f"c{number}"])
    flagged_copies = sum(1 for n, item in enumerate(generated)
                         if item.campaign is not None and f"c{n}" in clusters)
    # Every flagged copy of a campaign is in its campaign's one cluster...
    campaigns = [c for c in range(len(CAMPAIGNS)) if by_campaign[c]]
    assert len(campaigns) >= len(CAMPAIGNS) // 2
    assert all(len(by_campaign[c]) == 1 for c in campaigns)
    campaign_clusters = set().union(*(by_campaign[c] for c in campaigns))
    sizes = Counter(clusters.values())
    assert sum(sizes[c] for c in campaign_clusters) == flagged_copies
    # ...and no unrelated post, though they share the campaigns' hashtags, joined one.
    assert not by_campaign[None] & campaign_clusters
    assert Cluster.objects.for_org(org).count() == len(campaigns) + len(by_campaign[None])
    print(f"{flagged_copies} flagged copies of {len(campaigns)} campaigns -> "
          f"{len(campaign_clusters)} clusters; flagged unrelated posts -> "
          f"{len(by_campaign[None])} clusters")


def test_unrelated_posts_with_the_same_hashtags_stay_apart(org, make_post):
    texts = [
        "Lighting the candles with the kids tonight #israel #truth",
        "Our synagogue's dinner for newcomers is on Friday #israel #truth",
        "The council voted against the new bridge again #israel #truth",
        "Excellent challah at the bakery on the high street #israel #truth",
    ]
    made = [make_post(text) for text in texts]
    assign(org, [(post.pk, post.text) for post in made])
    assert len({member.cluster_id for member in ClusterMember.objects.for_org(org)}) == 4


def test_storing_the_same_import_again_changes_no_cluster(org, source, tmp_path):
    path = write_jsonl(tmp_path / "posts.jsonl", list(posts(300)))
    import_jsonl(org, source, path, batch_size=70)
    before = _clusters_by_post(org)
    clusters = Cluster.objects.count()

    again = import_jsonl(org, source, path, batch_size=70)

    assert again.skipped_count == 300
    assert _clusters_by_post(org) == before
    assert Cluster.objects.count() == clusters


def test_copies_arriving_in_a_later_import_join_the_earlier_clusters(org, source, tmp_path):
    generated = list(posts(600))
    import_jsonl(org, source, write_jsonl(tmp_path / "all.jsonl", generated[:300]))
    clusters = Cluster.objects.count()
    clustered_first = _clusters_by_post(org)

    import_jsonl(org, source, write_jsonl(tmp_path / "all.jsonl", generated))

    later = {f"c{n}" for n, item in enumerate(generated[300:], 300) if item.campaign is None}
    unrelated_later = ClusterMember.objects.filter(post__platform_id__in=later).count()
    by_post = _clusters_by_post(org)

    def campaigns_in(clustered: dict) -> set[int]:
        return {item.campaign for n, item in enumerate(generated)
                if item.campaign is not None and f"c{n}" in clustered}

    # A campaign none of whose first copies was flagged starts its cluster in the later import.
    first_flagged_later = campaigns_in(by_post) - campaigns_in(clustered_first)
    assert Cluster.objects.count() == clusters + unrelated_later + len(first_flagged_later)
    for campaign in range(len(CAMPAIGNS)):
        assert len({by_post[f"c{n}"] for n, item in enumerate(generated)
                    if item.campaign == campaign and f"c{n}" in by_post}) <= 1
