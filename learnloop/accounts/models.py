"""People, organisations, teams, roles, invitations and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from learnloop.core.models import TimeStamped


class Organisation(TimeStamped):
    """The top-level tenant. One install normally holds one organisation."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    settings = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name


class LearnloopUserManager(UserManager):
    def get_by_natural_key(self, username: str) -> User:
        # Sign-in by email, case-insensitively.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person. Signs in with their email address; ``username`` mirrors it for Django admin."""

    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    # A zoneinfo name ("Europe/Berlin"); empty means the server's zone. Times are shown and
    # entered in it and stored in UTC (core.middleware.UserTimeZoneMiddleware).
    time_zone = models.CharField(max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_org_admin = models.BooleanField(
        default=False, help_text="Can manage teams, people and settings of the organisation."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = LearnloopUserManager()

    # Ids of the user's teams, filled by `visibility.team_ids_of` for the request (not a field).
    _learnloop_team_ids: list[int] | None = None

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.get_full_name() or self.email.split("@")[0]

    @property
    def is_operator(self) -> bool:
        """Runs the install (/admin/): a superuser in no organisation (decision 0017)."""
        return self.is_superuser and self.organisation_id is None


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    FACILITATOR = "facilitator", "Facilitator"
    ADMIN = "admin", "Team admin"


ROLE_RANK = {Role.MEMBER: 1, Role.FACILITATOR: 2, Role.ADMIN: 3}


class Team(TimeStamped):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60)
    description = models.TextField(blank=True, max_length=2000)
    settings = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    members = models.ManyToManyField(User, through="Membership", related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="accounts_team_slug_unique"
            ),
            models.UniqueConstraint(
                "organisation", Lower("name"), name="accounts_team_name_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStamped):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="accounts_membership_unique")
        ]
        ordering = ["team__name", "user__email"]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(TimeStamped):
    """An invitation to join a team. Only the SHA-256 of the token is stored."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash_token(raw)

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class ApiToken(TimeStamped):
    """A personal API token. Shown once at creation; only its SHA-256 is stored."""

    PREFIX = "ll_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    token_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(raw: str) -> str:
        return _hash_token(raw)
