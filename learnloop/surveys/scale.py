"""Edmondson's team psychological safety scale (1999): seven items, answered on a 7-point
agreement scale; items 1, 3 and 5 are negatively worded and reverse-scored (8 - answer).

Source: Amy Edmondson, "Psychological Safety and Learning Behavior in Work Teams",
Administrative Science Quarterly 44(2), 1999, pp. 350-383 (the seven team items)."""

from __future__ import annotations

from dataclasses import dataclass

POINTS = range(1, 8)
AGREEMENT = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Somewhat disagree",
    4: "Neither agree nor disagree",
    5: "Somewhat agree",
    6: "Agree",
    7: "Strongly agree",
}


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    reverse: bool = False

    def score(self, answer: int) -> int:
        """The answer on the safety direction: higher is safer."""
        return 8 - answer if self.reverse else answer


EDMONDSON_ITEMS: tuple[Item, ...] = (
    Item("q1", "If you make a mistake on this team, it is often held against you.", True),
    Item("q2", "Members of this team are able to bring up problems and tough issues."),
    Item("q3", "People on this team sometimes reject others for being different.", True),
    Item("q4", "It is safe to take a risk on this team."),
    Item("q5", "It is difficult to ask other members of this team for help.", True),
    Item(
        "q6",
        "No one on this team would deliberately act in a way that undermines my efforts.",
    ),
    Item(
        "q7",
        "Working with members of this team, my unique skills and talents are valued and utilized.",
    ),
)

# The tally of each person's overall score (mean of the seven item scores), rounded half up to
# a whole point; stored like an item so no answer row is needed (decision 0210).
OVERALL = "overall"


def overall_bucket(scores: list[int]) -> int:
    """Round half up: a person's mean of 4.5 counts in the 5 bucket."""
    return int(sum(scores) / len(scores) + 0.5)
