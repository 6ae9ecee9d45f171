"""Culture figures: approval lead time for an experiment versus an efficiency change of similar cost,
time in exploration against the target, the recognition spread (Gini), the psychological-safety
score, the turn-taking balance of meetings and the drills' report rate. Each reuses the owning
app's own definition (experiments portfolio, ``debriefs.spread``, ``surveys.selectors``,
``drills.campaigns``); nothing here names a person."""

from __future__ import annotations

import statistics
from collections import defaultdict
from decimal import Decimal

from learnloop.debriefs.spread import can_see_spread, organisation_trend
from learnloop.drills.campaigns import totals
from learnloop.drills.models import Campaign
from learnloop.experiments.models import ApprovalRequest, Experiment, Kind, Phase, PhaseRule
from learnloop.experiments.phase_rules import DEFAULTS
from learnloop.experiments.portfolio import COMMITTED
from learnloop.experiments.selectors import REFERENCE_AMOUNT, similar_cost
from learnloop.incidents.metrics import month_of, summarize
from learnloop.metrics.common import no_data, ratio, series
from learnloop.metrics.results import Metric, Series, fmt
from learnloop.metrics.scope import Scope
from learnloop.surveys.selectors import team_trends
from learnloop.transcripts.selectors import balance_trend


def approval_lead_time(scope: Scope) -> Metric:
    experiments = Experiment.objects.visible_to(scope.user).filter(team_id__in=scope.team_ids)
    rows = (
        similar_cost(ApprovalRequest.objects.all())
        .filter(
            experiment__in=experiments.order_by().values("pk"),
            decided_at__gte=scope.since,
            lead_time_seconds__isnull=False,
        )
        .order_by()
        .values_list("kind", "decided_at", "lead_time_seconds")
    )
    grouped: dict[str, dict[str, list[float]]] = {
        Kind.EXPERIMENT: defaultdict(list),
        Kind.EFFICIENCY: defaultdict(list),
    }
    overall: dict[str, list[float]] = {Kind.EXPERIMENT: [], Kind.EFFICIENCY: []}
    for kind, decided, seconds in rows:
        if decided is None or seconds is None:
            continue
        hours = seconds / 3600
        grouped[kind][month_of(decided)].append(hours)
        overall[kind].append(hours)

    def stat(kind: str, name: str) -> list[float | None]:
        return [
            summarize(grouped[kind][m])[name] if grouped[kind].get(m) else None
            for m in scope.months
        ]

    metric = Metric(
        key="approval-lead-time",
        title=f"Approval lead time: a {REFERENCE_AMOUNT:,.0f} experiment vs an efficiency change",
        group="Innovation",
        reading="",
        definition=(
            f"Hours from submitting to the approval decision, for requests of similar cost to "
            f"{REFERENCE_AMOUNT:,.0f} (a budget from half to double it, as the immune-system "
            "check compares), by month of the decision: median and p90, experiments and "
            "efficiency changes side by side."
        ),
        months=scope.months,
        series=[
            series("Experiment, median", stat(Kind.EXPERIMENT, "median"), "hours"),
            series("Experiment, p90", stat(Kind.EXPERIMENT, "p90"), "hours"),
            series("Efficiency change, median", stat(Kind.EFFICIENCY, "median"), "hours"),
            series("Efficiency change, p90", stat(Kind.EFFICIENCY, "p90"), "hours"),
        ],
    )
    if not overall[Kind.EXPERIMENT] and not overall[Kind.EFFICIENCY]:
        return no_data(metric, "no experiment or efficiency change of similar cost was decided.")
    exp = summarize(overall[Kind.EXPERIMENT])
    eff = summarize(overall[Kind.EFFICIENCY])
    metric.reading = (
        f"An experiment waits a median {fmt(exp['median'], 'hours')} for approval, "
        f"an efficiency change of similar cost {fmt(eff['median'], 'hours')}"
        + (
            ": new ideas wait longer than safe improvements."
            if exp["median"] is not None
            and eff["median"] is not None
            and exp["median"] > eff["median"]
            else "."
        )
    )
    return metric


def _explore_target(scope: Scope) -> float:
    """The team's Explore time target (%); on the organisation page, the teams' median."""
    saved = dict(
        PhaseRule.objects.filter(team_id__in=scope.team_ids, phase=Phase.EXPLORE).values_list(
            "team_id", "time_target_pct"
        )
    )
    default = float(DEFAULTS[Phase.EXPLORE]["time_target_pct"])
    targets = []
    for team_id in scope.team_ids:
        pct = saved.get(team_id)
        targets.append(default if pct is None else float(pct))
    return statistics.median(targets) / 100 if targets else default / 100


def exploration_share(scope: Scope) -> Metric:
    rows = (
        Experiment.objects.visible_to(scope.user)
        .filter(team_id__in=scope.team_ids, state__in=COMMITTED, created_at__gte=scope.since)
        .order_by()
        .values_list("created_at", "phase", "person_days")
    )
    days: dict[str, Decimal] = defaultdict(Decimal)
    explore: dict[str, Decimal] = defaultdict(Decimal)
    for created, phase, person_days in rows:
        month = month_of(created)
        days[month] += person_days or 0
        if phase == Phase.EXPLORE:
            explore[month] += person_days or 0
    target = _explore_target(scope)
    metric = Metric(
        key="exploration-share",
        title="Time in exploration against the target",
        group="Innovation",
        reading="",
        definition=(
            "Person-days of committed experiments (submitted, approved, running or decided) in "
            "the Explore phase, as a share of all their person-days, by month the experiment "
            "was created, against the team's Explore time target (organisation: the teams' "
            "median target)."
        ),
        months=scope.months,
        series=[
            series(
                "Exploration share",
                [
                    ratio(float(explore[m]), float(days[m])) if days.get(m) else None
                    for m in scope.months
                ],
                "share",
            ),
            series("Target", [target] * len(scope.months), "share", reference=True),
        ],
    )
    total = sum(days.values(), Decimal(0))
    if not total:
        return no_data(metric, "no experiment with person-days was committed in this period.")
    share = ratio(float(sum(explore.values(), Decimal(0))), float(total))
    side = "above" if (share or 0) >= target else "below"
    metric.reading = (
        f"{fmt(share, 'share')} of experiment time went to exploration, {side} the target of "
        f"{fmt(target, 'share')}."
    )
    return metric


def recognition_spread(scope: Scope) -> Metric:
    metric = Metric(
        key="recognition-spread",
        title="Recognition spread (Gini)",
        group="Recognition",
        reading="",
        definition=(
            "The Gini coefficient of applause received by a team's members in a month (0 = "
            "evenly spread, towards 1 = on few people), only for teams of at least 5 members; "
            "the recognition page's own figure."
        ),
        months=scope.months,
    )
    team = scope.team
    if team is not None and not (scope.user.is_org_admin or can_see_spread(scope.user, team)):
        metric.state = "restricted"
        metric.reading = "Shown to the team's admins and facilitators only (decision 0143)."
        return metric
    _, trends = organisation_trend(
        organisation_id=scope.organisation.pk,
        months=len(scope.months),
        team_ids=scope.team_ids if scope.team is not None else None,
    )
    wanted = set(scope.team_ids)
    for trend in trends:
        if trend.team.pk in wanted and trend.enough_people:
            metric.series.append(
                Series(trend.team.name, [value for _, value in trend.points], "gini")
            )
    values = [v for s in metric.series for v in s.values if v is not None]
    if not values:
        return no_data(
            metric, "it needs a team of at least 5 members and applause on its debriefs."
        )
    latest = [s.values[-1] for s in metric.series if s.values[-1] is not None]
    now = statistics.mean(latest) if latest else statistics.mean(values)
    metric.reading = f"Gini {fmt(now, 'gini')} {'this month' if latest else 'on average'}: " + (
        "recognition is spread widely."
        if now < 0.4
        else "recognition goes to few people; notice who is not recognised yet."
    )
    return metric


def safety_score(scope: Scope) -> Metric:
    metric = Metric(
        key="psychological-safety",
        title="Psychological safety (Edmondson scale)",
        group="Culture",
        reading="",
        definition=(
            "The overall score (1–7, reverse-scored items handled) of each closed survey round "
            "that is shown itself (enough answers), by month of closing; hidden rounds are left "
            "out (surveys, decision 0210)."
        ),
        months=scope.months,
    )
    hidden = shown = 0
    for team, points in team_trends(scope.user, scope.teams):
        by_month: dict[str, list[float]] = defaultdict(list)
        for point in points:
            if point.survey.closed_at < scope.since:
                continue
            if not point.shown or point.overall_mean is None:
                hidden += 1
                continue
            shown += 1
            by_month[month_of(point.survey.closed_at)].append(point.overall_mean)
        if by_month:
            metric.series.append(
                Series(
                    team.name,
                    [
                        round(statistics.mean(by_month[m]), 2) if m in by_month else None
                        for m in scope.months
                    ],
                    "score",
                )
            )
    if not shown:
        why = "no survey round in this period closed with enough answers to be shown."
        if hidden:
            why += f" ({hidden} round{'s' if hidden != 1 else ''} hidden: too few answers.)"
        return no_data(metric, why)
    latest = [next(v for v in reversed(s.values) if v is not None) for s in metric.series]
    metric.reading = (
        f"Latest shown score {fmt(statistics.mean(latest), 'score')} of 7 "
        f"({shown} round{'s' if shown != 1 else ''} shown"
        + (f", {hidden} hidden below the minimum" if hidden else "")
        + ")."
    )
    return metric


def drill_reports(scope: Scope) -> Metric:
    campaigns = list(
        Campaign.objects.visible_to(scope.user).filter(
            team_id__in=scope.team_ids, ran_on__gte=scope.since.date()
        )
    )
    by_month: dict[str, list[Campaign]] = defaultdict(list)
    for campaign in campaigns:
        by_month[month_of(campaign.ran_on)].append(campaign)
    figures = {m: totals(c) for m, c in by_month.items()}
    metric = Metric(
        key="drill-reports",
        title="Drill report rate and time to first report",
        group="Practice",
        reading="",
        definition=(
            "Of the people a phishing or social-engineering campaign went to, the share who "
            "reported it (people-weighted), and the median minutes to the first report, by "
            "month the campaign ran (drills campaigns' own totals)."
        ),
        months=scope.months,
        series=[
            series(
                "Report rate",
                [figures[m]["report_rate"] if m in figures else None for m in scope.months],
                "share",
            ),
            series(
                "Minutes to first report (median)",
                [figures[m]["median_minutes"] if m in figures else None for m in scope.months],
                "minutes",
            ),
        ],
    )
    if not campaigns:
        return no_data(metric, "no campaign ran in this period.")
    overall = totals(campaigns)
    metric.reading = (
        f"{fmt(overall['report_rate'], 'share')} of people reported the {overall['campaigns']} "
        f"campaign{'s' if overall['campaigns'] != 1 else ''}; the first report came a median "
        f"{fmt(overall['median_minutes'], 'minutes')} after sending."
    )
    return metric


def turn_taking(scope: Scope) -> Metric:
    """The transcripts app's own trend (``transcripts.selectors.balance_trend``): aggregates of
    the scope's meetings only, never a meeting, a name or a person."""
    trend = balance_trend(scope.teams, since=scope.since.date(), until=scope.today)
    by_month = {f"{row.month:%Y-%m}": row for row in trend}
    metric = Metric(
        key="turn-taking",
        title="Turn-taking balance in meetings",
        group="Culture",
        reading="",
        definition=(
            "The balance score of meetings with an analysed transcript (1 − Gini of speaking "
            "time: 1 = everyone spoke equally long), averaged per month by the day the meeting "
            "was held; the team sees this trend only, never a person or a ranking."
        ),
        months=scope.months,
        series=[
            series(
                "Mean balance",
                [by_month[m].mean_balance if m in by_month else None for m in scope.months],
                "score",
            ),
            series(
                "Meetings",
                [by_month[m].meetings if m in by_month else None for m in scope.months],
                "count",
            ),
        ],
    )
    meetings = sum(row.meetings for row in trend)
    if not meetings:
        return no_data(metric, "no meeting transcript has been analysed in this period.")
    mean = sum(row.mean_balance * row.meetings for row in trend) / meetings
    metric.reading = (
        f"Mean balance {fmt(mean, 'score')} over {meetings} meeting"
        f"{'s' if meetings != 1 else ''} (1 = everyone spoke equally long): "
        + (
            "people take turns."
            if mean >= 0.7
            else "a few voices fill most of the time; inviting the quieter ones helps."
        )
    )
    return metric
