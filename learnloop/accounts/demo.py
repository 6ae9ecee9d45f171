from __future__ import annotations

from django.contrib.auth.hashers import make_password

from learnloop.accounts.models import Membership, Role, Team, User
from learnloop.core.demo import DemoContext, step

PEOPLE = [
    # key, name, email, teams with roles
    (
        "amara",
        "Amara Okafor",
        "amara@demo.learnloop.test",
        {"platform": Role.ADMIN, "delivery": Role.MEMBER, "support": Role.MEMBER},
    ),
    ("jonas", "Jonas Lind", "jonas@demo.learnloop.test", {"platform": Role.FACILITATOR}),
    ("priya", "Priya Raman", "priya@demo.learnloop.test", {"platform": Role.MEMBER}),
    ("tomas", "Tomás Ruiz", "tomas@demo.learnloop.test", {"delivery": Role.ADMIN}),
    (
        "keiko",
        "Keiko Sato",
        "keiko@demo.learnloop.test",
        {"delivery": Role.MEMBER, "support": Role.FACILITATOR},
    ),
    ("lena", "Lena Novak", "lena@demo.learnloop.test", {"support": Role.ADMIN}),
    ("malik", "Malik Haddad", "malik@demo.learnloop.test", {"bakery": Role.ADMIN}),
    (
        "sofia",
        "Sofia Marchetti",
        "sofia@demo.learnloop.test",
        {"bakery": Role.FACILITATOR, "delivery": Role.MEMBER},
    ),
    ("ben", "Ben Adeyemi", "ben@demo.learnloop.test", {"bakery": Role.MEMBER}),
    ("ines", "Inès Dubois", "ines@demo.learnloop.test", {"platform": Role.MEMBER}),
    ("oskar", "Oskar Berg", "oskar@demo.learnloop.test", {"delivery": Role.MEMBER}),
    ("hana", "Hana Kim", "hana@demo.learnloop.test", {"support": Role.MEMBER}),
]

TEAMS = [
    (
        "platform",
        "Platform",
        "Runs the ordering site, the delivery app and the systems behind them.",
    ),
    ("delivery", "Delivery", "Plans routes and gets fresh bread to cafés before 7 a.m."),
    ("support", "Customer Care", "Answers cafés and customers by phone, chat and email."),
    (
        "bakery",
        "Bakery floor",
        "Mixes, proves and bakes from 1 a.m.; runs the ovens and the cold room.",
    ),
]


@step(10)
def people_and_teams(ctx: DemoContext) -> None:
    for key, name, description in TEAMS:
        ctx.teams[key] = Team.objects.create(
            organisation=ctx.organisation, name=name, slug=key, description=description
        )
    # Every demo account shares one password: hash it once (a hash takes most of a second).
    password = make_password(ctx.extra["password"])
    for key, name, email, memberships in PEOPLE:
        user = User(email=email, username=email, display_name=name, organisation=ctx.organisation)
        user.password = password
        user.save()
        ctx.users[key] = user
        for team_key, role in memberships.items():
            Membership.objects.create(user=user, team=ctx.teams[team_key], role=role)
