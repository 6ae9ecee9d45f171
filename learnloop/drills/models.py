"""Drills: safe-practice exercises per team, and phishing / social-engineering campaign results
as aggregates only (docs/decisions/0172-drills-and-campaign-aggregates.md).

A campaign holds counts, never people: how many reported it, clicked or answered, ignored it,
and the minutes to the first report. There is no per-person row anywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from learnloop.accounts.visibility import TeamOwned
from learnloop.core.models import TimeStamped

TEXT_MAX = 10000
MIN_PEOPLE = 5  # results about people need at least five of them


class DrillKind(models.TextChoices):
    TABLETOP = "tabletop", "Tabletop exercise"
    GAME_DAY = "game_day", "Game day"
    FAILOVER = "failover_test", "Failover test"
    RESTORE = "restore_test", "Restore test"
    PHISHING = "phishing_simulation", "Phishing simulation"
    SOCIAL = "social_engineering_call", "Social-engineering call test"
    OTHER = "other", "Other"


class DrillStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUN = "run", "Run"
    REVIEWED = "reviewed", "Reviewed"


class Drill(TeamOwned, TimeStamped):
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=DrillKind.choices)
    planned_for = models.DateField()
    scenario = models.TextField(blank=True, max_length=TEXT_MAX)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="drills"
    )
    status = models.CharField(
        max_length=16, choices=DrillStatus.choices, default=DrillStatus.PLANNED
    )
    what_happened = models.TextField(blank=True, max_length=TEXT_MAX)
    # The after-action review, answers keyed by the shipped template's prompts (drills/aar.py).
    after_action = models.JSONField(default=dict, blank=True)
    # A restore test's backup, as read from the file `learnloop backup` wrote (its manifest).
    backup_file = models.CharField(max_length=300, blank=True)
    backup_created_at = models.CharField(max_length=40, blank=True)
    backup_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # The id in an export (``drill-<pk>`` when made here; decisions/0053).
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-planned_for", "-id"]
        indexes = [models.Index(fields=["team", "-planned_for", "-id"], name="drill_team_recent")]
        constraints = [
            models.UniqueConstraint(fields=["team", "external_id"], name="drill_external_id_unique")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("drills:detail", args=[self.pk])


class Finding(models.Model):
    """Something the drill showed; it can become an action or a lesson."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="findings")
    text = models.CharField(max_length=500)
    action = models.ForeignKey(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class CampaignKind(models.TextChoices):
    PHISHING = "phishing", "Phishing email"
    CALL = "call", "Social-engineering call"


class Campaign(TeamOwned, TimeStamped):
    """One campaign's results for one team, as counts (decisions/0172)."""

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=CampaignKind.choices)
    ran_on = models.DateField()
    drill = models.ForeignKey(
        Drill, null=True, blank=True, on_delete=models.SET_NULL, related_name="campaigns"
    )
    reported = models.PositiveIntegerField()
    clicked = models.PositiveIntegerField(help_text="Clicked the link or answered the call.")
    ignored = models.PositiveIntegerField()
    minutes_to_first_report = models.PositiveIntegerField(null=True, blank=True)
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-ran_on", "-id"]
        indexes = [models.Index(fields=["team", "ran_on", "id"], name="campaign_team_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="campaign_external_id_unique"
            ),
            models.CheckConstraint(
                condition=Q(reported__gte=0) & Q(clicked__gte=0) & Q(ignored__gte=0),
                name="campaign_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(
                    reported__gte=MIN_PEOPLE - F("clicked") - F("ignored"),
                ),
                name="campaign_at_least_five_people",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def people(self) -> int:
        return self.reported + self.clicked + self.ignored

    @property
    def report_rate(self) -> float:
        return self.reported / self.people if self.people else 0.0


class Pledge(models.Model):
    """The leaders' pledge of an organisation (``team`` empty) or of one team
    (decisions/0173). Its words live in versions; ``current`` is the one shown."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    team = models.OneToOneField(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="pledge"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(team__isnull=True),
                name="pledge_one_per_organisation",
            )
        ]

    def get_absolute_url(self) -> str:
        url = reverse("drills:pledge")
        return f"{url}?team={self.team.slug}" if self.team else url


class PledgeVersion(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_by_name = models.CharField(max_length=120)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="pledge_version_unique")
        ]


class PledgeSignature(models.Model):
    """A leader's name and the date, under one version of the words."""

    version = models.ForeignKey(PledgeVersion, on_delete=models.CASCADE, related_name="signatures")
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=120)
    signed_on = models.DateField()

    class Meta:
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signer"], name="pledge_signature_unique")
        ]
