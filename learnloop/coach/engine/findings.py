"""The seven blame signals, the finding the engine returns, and the message and guiding
question shown with each signal.
"""

from __future__ import annotations

from dataclasses import dataclass

SIGNALS = (
    "named-person",
    "character",
    "counterfactual",
    "human-error-conclusion",
    "normative",
    "why-didnt",
    "punitive",
)


@dataclass(frozen=True)
class Finding:
    """One blameful span. Offsets index into the text given to :func:`analyse`."""

    start: int
    end: int
    signal: str
    signals: tuple[str, ...]
    sentence_start: int
    sentence_end: int
    message: str
    suggestion: str


MESSAGES = {
    "named-person": "This presents a person or team as the cause of the failure.",
    "character": "This judges someone's character rather than the conditions they worked in.",
    "counterfactual": "Hindsight: this says what someone should have done, which was only "
    "clear after the outcome.",
    "human-error-conclusion": "'Human error' ends the analysis where it should start.",
    "normative": "This measures the action against an ideal instead of explaining it.",
    "why-didnt": "A rhetorical question aimed at people invites defence, not learning.",
    "punitive": "A sanction tells everyone that reporting is risky.",
}


SUGGESTIONS = {
    "named-person": "Describe what the person saw and did, and which conditions (tools, "
    "workload, information) shaped it.",
    "character": "What about the situation (time pressure, training, tooling) made this "
    "outcome likely for anyone in that seat?",
    "counterfactual": "What made this action make sense at the time?",
    "human-error-conclusion": "What made the action look reasonable at the time, and what "
    "would have caught the slip?",
    "normative": "Describe what happened and what made it hard, without judging how basic "
    "or obvious it looks now.",
    "why-didnt": "Ask about the system instead: what in the setup made this easy to miss?",
    "punitive": "Focus on what the organisation will change; sanctions discourage reporting.",
}


# Primary-signal order: the most specific explanation wins.
PRIORITY = (
    "punitive",
    "human-error-conclusion",
    "why-didnt",
    "character",
    "counterfactual",
    "normative",
    "named-person",
)
