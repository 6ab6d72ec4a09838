from service.exports import write_pages
from tropewatch.imports.services import run_import
from tropewatch.posts.models import Post

HOSTILE = '<script>alert(1)</script><img src=x onerror="fetch(1)">'


def test_the_admin_lists_imported_posts_and_their_runs(admin_client, org, source, tmp_path):
    run_import(org, source, write_pages(tmp_path / "tweets.jsonl", 5), "x")

    for page in ("/admin/posts/post/", "/admin/posts/detection/", "/admin/imports/importrun/",
                 "/admin/posts/author/", "/admin/posts/source/", "/admin/orgs/organisation/"):
        assert admin_client.get(page).status_code == 200, page


def test_the_admin_shows_hostile_post_text_escaped(admin_client, org, source, tmp_path):
    run_import(org, source, write_pages(tmp_path / "tweets.jsonl", 1, texts={0: HOSTILE}), "x")
    post = Post.objects.get()

    listing = admin_client.get("/admin/posts/post/").content.decode()
    detail = admin_client.get(f"/admin/posts/post/{post.pk}/change/").content.decode()

    for page in (listing, detail):
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_imported_data_is_read_only_in_the_admin(admin_client, org, source, tmp_path):
    run_import(org, source, write_pages(tmp_path / "tweets.jsonl", 1), "x")
    post = Post.objects.get()

    assert admin_client.get("/admin/posts/post/add/").status_code == 403
    response = admin_client.post(f"/admin/posts/post/{post.pk}/change/", {"text": "changed"})

    assert response.status_code == 403
    assert Post.objects.get().text == post.text


def test_the_admin_refuses_a_superuser_without_a_verified_second_factor(admin_user, client):
    client.force_login(admin_user)
    response = client.get("/admin/posts/post/")
    assert response.status_code == 302 and "/login/" in response["Location"]
