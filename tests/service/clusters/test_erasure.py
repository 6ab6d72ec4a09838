from __future__ import annotations

from tropewatch.clusters.assign import assign
from tropewatch.clusters.models import Cluster, ClusterBand, ClusterMember
from tropewatch.people.erasure import erase_author
from tropewatch.posts.models import Author

from .campaigns import CAMPAIGNS


def test_erasing_an_author_drops_the_clusters_only_their_posts_were_in(org, make_post):
    erased = Author.objects.create(org=org, platform="x", platform_id="a1", handle="erased")
    kept = Author.objects.create(org=org, platform="x", platform_id="a2", handle="kept")
    shared = [make_post(CAMPAIGNS[0], author=erased), make_post(CAMPAIGNS[0] + "!!", author=kept)]
    own = make_post("A post of their own, like no other", author=erased)
    assign(org, [(post.pk, post.text) for post in [*shared, own]])
    own_cluster = ClusterMember.objects.get(post=own).cluster_id

    erase_author(erased)

    assert not Cluster.objects.filter(pk=own_cluster).exists()
    assert not ClusterBand.objects.filter(cluster_id=own_cluster).exists()
    assert list(ClusterMember.objects.values_list("post_id", flat=True)) == [shared[1].pk]
    assert Cluster.objects.count() == 1
