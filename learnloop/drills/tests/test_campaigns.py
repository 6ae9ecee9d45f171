"""Campaign results are aggregates only (decisions/0172): counts that are negative, do not add
up or cover fewer than five people are refused, CSV imports are all or nothing and take no
per-person columns, and the trend shows each campaign's report rate beside the previous one."""

from __future__ import annotations

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from learnloop.core.models import Visibility
from learnloop.drills.models import Campaign
from learnloop.testing.builders import make_campaign, make_drill


def _json(c: Any, method: str, url: str, body: Any) -> Any:
    return getattr(c, method)(url, data=json.dumps(body), content_type="application/json")


def _counts(**extra: Any) -> dict[str, Any]:
    return {
        "team": "alpha",
        "name": "Invoice lure",
        "ran_on": "2026-11-20",
        "reported": 8,
        "clicked": 3,
        "ignored": 9,
        **extra,
    }


def test_counts_that_do_not_add_up_or_are_negative_are_refused(client_for, bob) -> None:
    c = client_for(bob)
    for extra, field in (
        ({"sent": 25}, "sent"),
        ({"reported": -1}, "reported"),
        ({"clicked": -3}, "clicked"),
        ({"reported": 1, "clicked": 1, "ignored": 1}, "__all__"),
        ({"reported": 0, "minutes_to_first_report": 4}, "minutes_to_first_report"),
        ({"ran_on": "0001-01-01"}, "ran_on"),
        ({"name": ""}, "name"),
    ):
        response = _json(c, "post", "/api/drills/campaigns", _counts(**extra))
        assert response.status_code == 400, extra
        assert field in response.json()["error"]["fields"], (extra, response.json())
    assert not Campaign.objects.exists()
    ok = _json(c, "post", "/api/drills/campaigns", _counts(sent=20, minutes_to_first_report=6))
    assert ok.status_code == 201 and ok.json()["report_rate"] == 0.4 and ok.json()["people"] == 20
    page = c.post(
        "/drills/campaigns/",
        {
            "form": "enter",
            "name": "x",
            "kind": "phishing",
            "ran_on": "2026-11-21",
            "reported": 2,
            "clicked": -1,
            "ignored": 4,
            "visibility": "team",
        },
    )
    assert page.status_code == 400 and "Cannot be negative." in page.content.decode()
    assert Campaign.objects.count() == 1


def test_a_csv_of_counts_imports_all_or_nothing(client_for, bob, alpha) -> None:
    c = client_for(bob)

    def upload(text: str) -> Any:
        return c.post(
            "/drills/campaigns/",
            {
                "form": "import",
                "visibility": "team",
                "file": SimpleUploadedFile("r.csv", text.encode()),
            },
        )

    bad = upload("name,date,reported,clicked,ignored\nA,2026-10-01,5,1,4\nB,2026-11-01,-2,1,9\n")
    assert bad.status_code == 400 and "Line 3" in bad.content.decode()
    assert not Campaign.objects.exists()
    per_person = upload("name,date,reported,clicked,ignored,email\nA,2026-10-01,5,1,4,x@y.z\n")
    assert per_person.status_code == 400 and "Unknown column: email" in per_person.content.decode()
    good = upload(
        "name,date,reported,clicked,ignored,sent,minutes_to_first_report\n"
        "Parcel,2026-10-01,5,3,12,20,14\nInvoice,2026-11-01,9,2,9,20,6\n"
    )
    assert good.status_code == 302
    assert [c.name for c in Campaign.objects.order_by("ran_on")] == ["Parcel", "Invoice"]


def test_the_trend_shows_each_campaign_beside_the_previous_per_team_and_organisation(
    client_for, bob, charlie, mallory, alpha, beta
) -> None:
    import datetime as dt

    make_campaign(
        alpha, name="Parcel", ran_on=dt.date(2026, 10, 1), reported=5, clicked=5, ignored=10
    )
    make_campaign(
        alpha,
        name="Invoice",
        ran_on=dt.date(2026, 11, 1),
        reported=10,
        clicked=2,
        ignored=8,
        minutes_to_first_report=7,
    )
    make_campaign(
        beta,
        name="Beta call",
        kind="call",
        ran_on=dt.date(2026, 11, 2),
        visibility=Visibility.ORGANISATION,
    )
    data = client_for(bob).get("/api/drills/campaigns/trend").json()
    alpha_points = next(t for t in data["teams"] if t["team"] == "alpha")["campaigns"]
    assert [(p["name"], p["report_rate"], p["previous_report_rate"]) for p in alpha_points] == [
        ("Parcel", 0.25, None),
        ("Invoice", 0.5, 0.25),
    ]
    assert data["organisation"]["people"] == 60 and data["organisation"]["campaigns"] == 3
    page = client_for(bob).get("/drills/campaigns/").content.decode()
    assert "+25 pts" in page and "Safe practice" in page
    # Charlie sees Beta's and no private Alpha campaign; mallory sees none.
    names = [i["name"] for i in client_for(charlie).get("/api/drills/campaigns").json()["items"]]
    assert names == ["Beta call"]
    assert client_for(mallory).get("/api/drills/campaigns").json()["count"] == 0


def test_results_entered_from_the_drill_show_on_the_drill(client_for, bob, charlie, alpha) -> None:
    drill = make_drill(alpha)
    c = client_for(bob)
    response = c.post(
        "/drills/campaigns/",
        {
            "form": "enter",
            "drill": drill.pk,
            "name": "December lure",
            "kind": "phishing",
            "ran_on": "2026-12-02",
            "reported": 7,
            "clicked": 1,
            "ignored": 12,
            "visibility": "team",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/drills/{drill.pk}/"
    assert Campaign.objects.get().drill == drill
    assert "35%" in c.get(f"/drills/{drill.pk}/").content.decode()
    assert client_for(charlie).get("/drills/campaigns/", {"drill": drill.pk}).status_code == 404
    other = make_drill(alpha, title="Other")
    assert (
        _json(
            client_for(charlie),
            "post",
            "/api/drills/campaigns",
            {**_counts(team="beta"), "drill_id": other.pk},
        ).status_code
        == 404
    )
