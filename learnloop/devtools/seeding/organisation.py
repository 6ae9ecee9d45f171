"""The seeded organisation: teams, people (one shared password hash), memberships and tags."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password

from learnloop.accounts.models import Membership, Organisation, Team, User
from learnloop.core.models import Tag
from learnloop.devtools.seeding.common import SeedResult
from learnloop.devtools.seeding.rows import insert
from learnloop.devtools.seeding.words import (
    FIRST_NAMES,
    LAST_NAMES,
    TAGS,
    TEAM_AREAS,
    TEAM_SUFFIXES,
)


def create_organisation(*, seed: int, result: SeedResult) -> Organisation:
    org = Organisation.objects.create(name=f"Seeded organisation {seed}", slug=f"seed-{seed}")
    result.organisation_id = org.pk
    result.counts["organisation"] += 1
    return org


def create_teams(*, organisation: Organisation, count: int, result: SeedResult) -> list[Team]:
    names = [f"{area}{suffix}" for area in TEAM_AREAS for suffix in TEAM_SUFFIXES]
    teams = insert(
        [
            Team(
                organisation=organisation,
                name=name,
                slug=name.lower().replace(" ", "-"),
                description=f"The {name} team.",
            )
            for name in names[:count]
        ]
    )
    result.counts["team"] += len(teams)
    return teams


def create_users(
    *,
    rng: random.Random,
    organisation: Organisation,
    count: int,
    domain: str,
    password: str,
    joined: dt.datetime,
    result: SeedResult,
) -> list[User]:
    """``count`` people who joined at ``joined``; the first is the organisation admin
    (``result.admin_email``)."""
    # One hash for every seeded account (benchmark data), with a fresh random salt each run: the
    # one value that differs between two runs of the same seed.
    hashed = make_password(password)
    users = []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = result.admin_email if i == 0 else f"{first}.{last}.{i}@{domain}".lower()
        users.append(
            User(
                email=email,
                username=email,
                first_name=first,
                last_name=last,
                display_name=f"{first} {last}",
                organisation=organisation,
                password=hashed,
                is_org_admin=i == 0,
                date_joined=joined,
            )
        )
    users = insert(users)
    result.counts["user"] += len(users)
    return users


def create_memberships(
    *, rng: random.Random, teams: list[Team], users: list[User], result: SeedResult
) -> dict[int, list[User]]:
    """Everyone joins a home team, one in five a second one; returns the members by team id."""
    members: dict[int, list[User]] = {t.pk: [] for t in teams}
    memberships = []
    for i, user in enumerate(users):
        home = teams[0] if i == 0 else teams[i % len(teams)]
        chosen = [home]
        if i == 0:
            chosen.append(teams[1])
        elif rng.random() < 0.2:
            other = rng.choice(teams)
            if other is not home:
                chosen.append(other)
        for j, team in enumerate(chosen):
            role = "admin" if (i < len(teams) * 2 and j == 0) or i == 0 else "member"
            if role == "member" and rng.random() < 0.15:
                role = "facilitator"
            memberships.append(Membership(user=user, team=team, role=role))
            members[team.pk].append(user)
    insert(memberships)
    result.counts["membership"] += len(memberships)
    return members


def create_tags(*, organisation: Organisation, result: SeedResult) -> list[Tag]:
    tags = insert([Tag(organisation=organisation, name=n) for n in TAGS])
    result.counts["tag"] += len(tags)
    return tags
