"""Experiments: test cards and efficiency-change proposals, phase rules per team, approvals,
learning cards and the history of every state change (docs/experiments.md, decisions/0150)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from learnloop.accounts.visibility import TeamOwned, VisibleQuerySet
from learnloop.core.models import TimeStamped


class Phase(models.TextChoices):
    EXPLORE = "explore", "Explore"
    EXPERIMENT = "experiment", "Experiment"
    EXECUTE = "execute", "Execute"


PHASE_ORDER = [Phase.EXPLORE, Phase.EXPERIMENT, Phase.EXECUTE]


class ApprovalMode(models.TextChoices):
    AUTO = "auto", "Automatic under the limit"
    ONE = "one", "One approver"
    FORMAL = "formal", "Formal: N named approvers or a team admin"


class Win(models.TextChoices):
    INSIGHTS = "insights", "Quality insights"
    FAST = "fast", "Fast validation or fast failure"
    DELIVERY = "delivery", "Delivery"


class PhaseRule(TimeStamped):
    """How one phase works in one team: its budget limit and who must approve (as data)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(max_length=16, choices=Phase.choices)
    # None: no limit. Amounts are in the organisation's currency.
    budget_limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    approval = models.CharField(max_length=8, choices=ApprovalMode.choices)
    required_approvals = models.PositiveSmallIntegerField(default=1)
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    allow_self_approval = models.BooleanField(default=False)
    win = models.CharField(max_length=12, choices=Win.choices)
    # The portfolio's targets: this phase's share of the team's time and budget, in percent
    # (None: no target). Explore defaults to 10% of time and 5% of budget.
    time_target_pct = models.PositiveSmallIntegerField(null=True, blank=True)
    budget_target_pct = models.PositiveSmallIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "phase"], name="experiment_phase_rule_unique")
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.get_phase_display()}"


class Kind(models.TextChoices):
    EXPERIMENT = "experiment", "Experiment"
    EFFICIENCY = "efficiency", "Efficiency change"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    RUNNING = "running", "Running"
    DECIDED = "decided", "Decided"


class Decision(models.TextChoices):
    PERSEVERE = "persevere", "Persevere"
    PIVOT = "pivot", "Pivot"
    STOP = "stop", "Stop"
    SCALE = "scale", "Scale"


class Experiment(TeamOwned, TimeStamped):
    """A test card (``kind=experiment``) or an efficiency-change proposal (``kind=efficiency``):
    both take the same approval path, so their lead times compare."""

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.EXPERIMENT)
    title = models.CharField(max_length=200)
    hypothesis = models.TextField(blank=True, max_length=4000)
    test = models.TextField(blank=True, max_length=4000)
    metric = models.TextField(blank=True, max_length=4000)
    success_criterion = models.TextField(blank=True, max_length=4000)
    riskiest_assumption = models.TextField(blank=True, max_length=4000)
    budget = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(max_length=3, default="EUR")
    expected_saving = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    time_box_days = models.PositiveIntegerField(default=0)
    person_days = models.DecimalField(max_digits=7, decimal_places=1, default=Decimal("0"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_experiments",
    )
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    phase = models.CharField(max_length=16, choices=Phase.choices, default=Phase.EXPLORE)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    # Mostly NULL: a partial index in Meta (decision 0177).
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iterations",
        db_index=False,
    )
    iteration = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # The id in the JSON export it was imported from (decisions/0053); None when made here.
    external_id = models.CharField(max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "external_id"], name="experiment_external_id_unique"
            )
        ]
        indexes = [
            # Covers the portfolio's sums and counts (decision 0177): both halves of the visibility
            # rule read it alone, not the wide rows (30 -> 3 ms per query at 1M rows).
            models.Index(
                fields=["team", "visibility", "state", "phase", "person_days", "budget"],
                name="experiment_portfolio",
            ),
            models.Index(fields=["team", "-created_at", "-id"], name="experiment_team_recent"),
            models.Index(fields=["team", "state", "phase"], name="experiment_team_state"),
            # NULL in nearly every row: partial, so ANALYZE describes only the linked rows.
            models.Index(
                fields=["previous"],
                name="experiment_previous",
                condition=models.Q(previous__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("experiments:detail", args=[self.pk])

    @property
    def stopped_on_data(self) -> bool:
        """A stop or pivot decided on a learning card: a win, never a failure."""
        return self.decision in (Decision.STOP, Decision.PIVOT)

    @property
    def is_editable(self) -> bool:
        return self.state in (State.DRAFT, State.REJECTED)


class Outcome(models.TextChoices):
    PENDING = "pending", "Waiting"
    AUTO = "auto", "Approved automatically"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class ApprovalRequest(models.Model):
    """One trip through a phase's approval rule: submitted, then decided; the lead time is
    ``decided_at - submitted_at``. The rule's terms are copied so later edits change nothing."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="approval_requests"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    phase = models.CharField(max_length=16, choices=Phase.choices)
    budget = models.DecimalField(max_digits=12, decimal_places=2)
    approval = models.CharField(max_length=8, choices=ApprovalMode.choices)
    required_approvals = models.PositiveSmallIntegerField(default=1)
    allow_self_approval = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    lead_time_seconds = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=4000)
    # Named approvers at submission (formal rule); team admins may approve as well.
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["team", "kind", "phase", "outcome"], name="approval_team_kind"),
        ]

    @property
    def lead_time_label(self) -> str:
        return duration_label(self.lead_time_seconds)


def duration_label(seconds: float | None) -> str:
    """A lead time in words: "40 s", "12 min", "3.5 h", "2.0 days"."""
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


class ApprovalVote(models.Model):
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="votes")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    approve = models.BooleanField()
    note = models.TextField(blank=True, max_length=4000)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "approver"], name="approval_vote_once")
        ]


class LearningCardQuerySet(VisibleQuerySet["LearningCard"]):
    """A learning card is visible exactly when its experiment is."""

    team_field = "experiment__team"


class LearningCard(TimeStamped):
    """One learning cycle: what we observed, what we learned, the data, and the decision.

    ``team`` is a copy of the experiment's team (which never changes), so that applause can
    name the card's team like any other reactable item; visibility follows the experiment."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="learning_cards"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")
    observed = models.TextField(max_length=10000)
    learned = models.TextField(max_length=10000, help_text="One learning per line.")
    data = models.TextField(blank=True, max_length=10000, help_text="Links and numbers.")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LearningCardQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        # The portfolio counts an organisation's cards per quarter from this index alone.
        indexes = [
            models.Index(fields=["experiment", "created_at"], name="card_experiment_created")
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.team_id is None:
            self.team_id = self.experiment.team_id
        super().save(*args, **kwargs)

    @property
    def visibility(self) -> str:
        return self.experiment.visibility

    @property
    def learnings(self) -> list[str]:
        return [line.strip(" -*\t") for line in self.learned.splitlines() if line.strip(" -*\t")]


class Event(models.Model):
    """The history: every state change of an experiment, who and when (team-visible)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=40)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["at", "id"]


# --- the monthly showcase (docs/experiments.md, decisions/0151) ------------------------------


class ShowcaseScope(models.TextChoices):
    TEAM = "team", "The team"
    ORGANISATION = "organisation", "The organisation"


class Showcase(TeamOwned, TimeStamped):
    """One month's showcase of a team, or of the organisation (hosted by a team and visible
    organisation-wide): an agenda of the month's stopped, pivoted and failed experiments, the
    leaders' own first."""

    scope = models.CharField(max_length=16, choices=ShowcaseScope.choices, default="team")
    month = models.DateField(help_text="The first day of the month it looks back on.")
    title = models.CharField(max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "scope", "month"], name="experiment_showcase_unique"
            )
        ]
        indexes = [models.Index(fields=["team", "-month"], name="showcase_team_month")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("experiments:showcase", args=[self.pk])


class ShowcaseItem(TeamOwned, TimeStamped):
    """One agenda item. ``team`` and ``visibility`` are the showcase's (whoever sees the
    showcase sees its items); ``presenter`` is whose item it is (applause goes to them);
    ``leader`` says the presenter was a team or organisation admin when it was added."""

    showcase = models.ForeignKey(Showcase, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    experiment = models.ForeignKey(
        Experiment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    learning_card = models.ForeignKey(
        LearningCard, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson = models.ForeignKey(
        "lessons.Lesson", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    insight = models.TextField(blank=True, max_length=4000)
    outcome = models.CharField(max_length=40, blank=True)  # "stopped on data", "pivoted", ...
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    leader = models.BooleanField(default=False)
    presented_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["showcase", "experiment"],
                condition=models.Q(experiment__isnull=False),
                name="showcase_item_experiment_once",
            )
        ]
