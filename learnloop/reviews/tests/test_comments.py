"""Comments on reviews: add, render sanitised, delete (author or team admin), visibility."""

from __future__ import annotations

import pytest

from learnloop.reviews.models import Comment
from learnloop.testing.builders import make_review, make_user

pytestmark = pytest.mark.django_db


def test_it_adds_a_comment_and_renders_markdown_sanitised(alpha, bob, client_for) -> None:
    review = make_review(alpha)
    body = "**Bold** idea <script>alert(1)</script> [x](javascript:alert(1))"
    response = client_for(bob).post(f"/reviews/{review.pk}/comments/", {"body": body})
    assert response.status_code == 302 and response["Location"].endswith("#review-comments")
    comment = Comment.objects.get()
    assert comment.author == bob and comment.body == body
    html = client_for(bob).get(f"/reviews/{review.pk}/extras/").content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_the_htmx_form_returns_the_thread(alpha, bob, client_for) -> None:
    review = make_review(alpha)
    response = client_for(bob).post(
        f"/reviews/{review.pk}/comments/", {"body": "Good catch"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="review-comments"') and "Good catch" in html


@pytest.mark.parametrize(("body", "message"), [("   ", "required"), ("x" * 10001, "10000")])
def test_it_refuses_empty_and_oversized_comments(alpha, bob, client_for, body, message) -> None:
    review = make_review(alpha)
    response = client_for(bob).post(f"/reviews/{review.pk}/comments/", {"body": body})
    assert response.status_code == 400
    assert message in " ".join(response.context["comment_form"].errors["body"])
    api = client_for(bob).post(
        f"/api/reviews/{review.pk}/comments", {"body": body}, content_type="application/json"
    )
    assert api.status_code == 400 and "body" in api.json()["error"]["fields"]
    assert not Comment.objects.exists()


def test_the_author_or_a_team_admin_can_delete_but_not_another_member(
    alpha, alice, bob, org, client_for
) -> None:
    from learnloop.accounts.models import Membership

    dora = make_user("dora@example.org", org)
    Membership.objects.create(user=dora, team=alpha, role="member")
    review = make_review(alpha)
    mine = Comment.objects.create(review=review, author=bob, body="mine")
    other = Comment.objects.create(review=review, author=bob, body="other")
    url = f"/reviews/{review.pk}/comments/{{}}/delete/"
    assert client_for(dora).post(url.format(mine.pk)).status_code == 403
    assert client_for(bob).post(url.format(mine.pk)).status_code == 302
    assert client_for(alice).post(url.format(other.pk), HTTP_HX_REQUEST="true").status_code == 200
    assert not Comment.objects.exists()


def test_the_thread_paginates_and_shows_the_latest_page_first(alpha, bob, client_for) -> None:
    review = make_review(alpha)
    Comment.objects.bulk_create(
        [Comment(review=review, author=bob, body=f"comment number {i}") for i in range(55)]
    )
    html = client_for(bob).get(f"/reviews/{review.pk}/extras/").content.decode()
    assert "comment number 54" in html and "comment number 0<" not in html
    assert "Older comments" in html
    older = client_for(bob).get(f"/reviews/{review.pk}/comments/?page=1", HTTP_HX_REQUEST="true")
    assert "comment number 0<" in older.content.decode()


def test_the_api_lists_adds_and_deletes_comments(alpha, alice, bob, client_for) -> None:
    review = make_review(alpha)
    client = client_for(bob)
    created = client.post(
        f"/api/reviews/{review.pk}/comments",
        {"body": "*why* now?"},
        content_type="application/json",
    )
    assert created.status_code == 201
    data = created.json()
    assert data["author_name"] == "Bob" and data["body_html"] == "<p><em>why</em> now?</p>\n"
    for i in range(3):
        Comment.objects.create(review=review, author=alice, body=f"c{i}")
    listing = client.get(f"/api/reviews/{review.pk}/comments?page_size=2&page=2").json()
    assert listing["count"] == 4 and [c["body"] for c in listing["items"]] == ["c1", "c2"]
    assert [c["can_delete"] for c in listing["items"]] == [False, False]
    alice_comment = Comment.objects.filter(author=alice).first()
    forbidden = client.delete(f"/api/reviews/{review.pk}/comments/{alice_comment.pk}")
    assert forbidden.status_code == 403
    deleted = client.delete(f"/api/reviews/{review.pk}/comments/{data['id']}")
    assert deleted.status_code == 204
    assert Comment.objects.count() == 3


def test_people_of_other_teams_may_comment_on_organisation_visible_reviews(
    alpha, charlie, client_for
) -> None:
    review = make_review(alpha, visibility="organisation")
    response = client_for(charlie).post(
        f"/reviews/{review.pk}/comments/", {"body": "We saw this too"}
    )
    assert response.status_code == 302 and Comment.objects.get().author == charlie


@pytest.mark.parametrize("intruder", ["charlie", "mallory"])
def test_other_teams_and_organisations_get_404_and_nothing_changes(
    alpha, bob, charlie, mallory, client_for, intruder
) -> None:
    review = make_review(alpha)
    comment = Comment.objects.create(review=review, author=bob, body="private thought")
    client = client_for({"charlie": charlie, "mallory": mallory}[intruder])
    responses = [
        client.get(f"/reviews/{review.pk}/comments/"),
        client.post(f"/reviews/{review.pk}/comments/", {"body": "hi"}),
        client.post(f"/reviews/{review.pk}/comments/{comment.pk}/delete/"),
        client.get(f"/api/reviews/{review.pk}/comments"),
        client.post(
            f"/api/reviews/{review.pk}/comments", {"body": "hi"}, content_type="application/json"
        ),
        client.delete(f"/api/reviews/{review.pk}/comments/{comment.pk}"),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert list(Comment.objects.values_list("body", flat=True)) == ["private thought"]


def test_a_comment_id_from_another_review_is_not_found(alpha, bob, client_for) -> None:
    first, second = make_review(alpha), make_review(alpha)
    comment = Comment.objects.create(review=first, author=bob, body="x")
    response = client_for(bob).delete(f"/api/reviews/{second.pk}/comments/{comment.pk}")
    assert response.status_code == 404 and Comment.objects.exists()
