"""The one visibility rule, and 404 (never 403) for another team's private things."""

from __future__ import annotations

import pytest

from learnloop.accounts.models import Invitation, Membership, Team
from learnloop.accounts.services import api_token_create, invitation_create
from learnloop.accounts.visibility import can_see, teams_visible_to, visible_q
from learnloop.core.models import Visibility

pytestmark = pytest.mark.django_db


class Item:
    """A loaded object shaped like TeamOwned content, for can_see."""

    def __init__(self, team: Team, visibility: str) -> None:
        self.team, self.visibility = team, visibility


def test_it_hides_team_private_content_from_other_teams(
    alice, bob, charlie, mallory, alpha
) -> None:
    private, shared = Item(alpha, Visibility.TEAM), Item(alpha, Visibility.ORGANISATION)
    assert can_see(alice, private) and can_see(bob, private)
    assert not can_see(charlie, private)
    assert can_see(charlie, shared)
    assert not can_see(mallory, shared)


def test_it_builds_the_same_rule_as_a_query(alice, bob, charlie, mallory, alpha, beta) -> None:
    from learnloop.incidents.models import Incident

    private = Incident.objects.create(
        team=alpha, title="p", description="x", visibility=Visibility.TEAM
    )
    shared = Incident.objects.create(
        team=alpha, title="s", description="x", visibility=Visibility.ORGANISATION
    )
    assert set(Incident.objects.filter(visible_q(bob))) == {private, shared}
    assert set(Incident.objects.filter(visible_q(charlie))) == {shared}
    assert set(Incident.objects.filter(visible_q(mallory))) == set()
    for user in (bob, charlie, mallory):
        for item in (private, shared):
            assert (
                can_see(user, item) == Incident.objects.filter(visible_q(user), pk=item.pk).exists()
            )
    assert list(teams_visible_to(charlie)) == [beta]
    assert list(teams_visible_to(mallory).filter(organisation=alpha.organisation)) == []


def test_it_matches_nothing_for_anonymous_users(alpha) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not can_see(AnonymousUser(), Item(alpha, Visibility.ORGANISATION))
    assert str(visible_q(AnonymousUser())) == str(visible_q(AnonymousUser()))


def test_org_admin_sees_every_team_page_but_not_other_orgs(
    alice, charlie, mallory, alpha, beta
) -> None:
    charlie.is_org_admin = True
    charlie.save()
    assert set(teams_visible_to(charlie)) == {alpha, beta}
    assert alpha not in set(teams_visible_to(mallory))


@pytest.fixture
def private_urls(alice, alpha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invitation, _ = invitation_create(actor=alice, team=alpha, email="new@example.org")
    membership = Membership.objects.get(user=alice, team=alpha)
    api_token_create(user=alice, name="ci")
    return {
        "get": [
            f"/teams/{alpha.slug}/",
            f"/api/teams/{alpha.slug}",
            f"/api/teams/{alpha.slug}/members",
            f"/api/teams/{alpha.slug}/invitations",
        ],
        "post": [
            f"/teams/{alpha.slug}/",
            f"/teams/{alpha.slug}/members/{membership.pk}/",
            f"/teams/{alpha.slug}/invitations/{invitation.pk}/revoke/",
            f"/api/teams/{alpha.slug}/invitations",
        ],
        "invitation": invitation,
    }


@pytest.mark.parametrize("who", ["charlie", "mallory"])
def test_another_team_gets_404_on_every_private_page_and_endpoint(
    request, who, private_urls, client_for
) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    for url in private_urls["get"]:
        assert client.get(url).status_code == 404, url
    data = {"role": "admin", "email": "x@example.org", "action": "remove"}
    for url in private_urls["post"]:
        if url.startswith("/api"):  # the API's invitation takes no "action" (decision 0235)
            body = {k: v for k, v in data.items() if k != "action"}
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.post(url, data)
        assert response.status_code == 404, url
    # Nothing changed.
    assert Invitation.objects.get(pk=private_urls["invitation"].pk).revoked_at is None
    assert Membership.objects.filter(team__slug="alpha", role="admin").exists()


def test_member_sees_team_page_but_cannot_manage(bob, alpha, private_urls, client_for) -> None:
    client = client_for(bob)
    assert client.get(f"/teams/{alpha.slug}/").status_code == 200
    assert (
        client.post(
            f"/teams/{alpha.slug}/", {"email": "x@example.org", "role": "member"}
        ).status_code
        == 404
    )
    assert client.get(f"/api/teams/{alpha.slug}/invitations").status_code == 404


def test_reading_by_primary_key_gives_the_rule_s_answer(
    alice, bob, charlie, mallory, alpha, beta
) -> None:
    """get_by_pk_visible_or_404, compiled_visible_or_404 (decision 0234) and sees (decision
    0179) agree with visible_q for every viewer and item, and answer 404 for a missing,
    malformed or out-of-range id and for anonymous visitors."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import BigIntegerField
    from django.http import Http404

    from learnloop.accounts.visibility import (
        compiled_visible_or_404,
        get_by_pk_visible_or_404,
        sees,
    )
    from learnloop.core.compiled import CompiledObjects, Param
    from learnloop.incidents.models import Incident

    items = [
        Incident.objects.create(team=team, title="t", description="x", visibility=visibility)
        for team in (alpha, beta)
        for visibility in (Visibility.TEAM, Visibility.ORGANISATION)
    ]
    loaded = Incident.objects.select_related("team")
    compiled = CompiledObjects(
        lambda: Incident.objects.select_related("team").filter(pk=Param("pk", BigIntegerField()))[
            :1
        ]
    )
    for user in (alice, bob, charlie, mallory, AnonymousUser()):
        for item in items:
            expected = Incident.objects.filter(visible_q(user), pk=item.pk).exists()
            assert sees(user, item.team.organisation_id, item.team_id, item.visibility) is expected
            if expected:
                assert get_by_pk_visible_or_404(loaded, user, item.pk) == item
                assert compiled_visible_or_404(compiled, user, item.pk) == item
                assert compiled_visible_or_404(compiled, user, str(item.pk)) == item
            else:
                with pytest.raises(Http404):
                    get_by_pk_visible_or_404(loaded, user, item.pk)
                with pytest.raises(Http404):
                    compiled_visible_or_404(compiled, user, item.pk)
        for missing in (0, -1, max(i.pk for i in items) + 1, "x", None):
            with pytest.raises(Http404):
                get_by_pk_visible_or_404(loaded, user, missing)
        for missing in (0, -1, max(i.pk for i in items) + 1, "x", None, 2**63, -(2**63) - 1):
            with pytest.raises(Http404):
                compiled_visible_or_404(compiled, user, missing)
