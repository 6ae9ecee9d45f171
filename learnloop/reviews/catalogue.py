"""The four shipped review templates, as data.

They are written into the database by a data migration (``0002_shipped_templates``) as
``ReviewTemplate`` rows with ``is_shipped=True`` and no organisation; teams copy and edit them in
the UI. This module is the only place their wording lives, so the migration and the tests agree.
"""

from __future__ import annotations

from typing import Any


def _s(key: str, title: str, type_: str, prompt: str, min_count: int = 0) -> dict[str, Any]:
    return {"key": key, "title": title, "type": type_, "prompt": prompt, "min_count": min_count}


LEARNINGS = _s(
    "learnings",
    "Learnings",
    "learnings",
    "What did we learn about our systems, tools and ways of working? Be specific.",
)
NEXT_STEPS = _s(
    "next_steps",
    "Next steps",
    "next_steps",
    "What will we change? Each next step becomes an action with an owner and a due date.",
)

SHIPPED_TEMPLATES: list[dict[str, Any]] = [
    {
        "slug": "incident-review",
        "name": "Incident review",
        "description": "A blameless review of an incident: what happened, the conditions that "
        "contributed, and what we will change.",
        "cooling_off_hours": 0,
        "sections": [
            _s("summary", "Summary", "rich_text", "What happened, in a few sentences?"),
            _s("impact", "Impact", "rich_text", "Who and what was affected, and for how long?"),
            _s(
                "timeline",
                "Timeline",
                "timeline",
                "What happened when? Add timestamped entries; they are kept in order.",
            ),
            _s(
                "contributing_factors",
                "Contributing factors",
                "factors",
                "Which conditions made this possible? List several; there is rarely one root cause.",
            ),
            _s("went_well", "What went well", "list", "What helped us detect, respond or recover?"),
            _s("difficult", "What was difficult", "list", "What made the response harder?"),
            _s("lucky", "Where we got lucky", "list", "What could easily have gone worse?"),
            LEARNINGS,
            {**NEXT_STEPS, "title": "Actions"},
        ],
    },
    {
        "slug": "24-hour-learning-review",
        "name": "24-hour learning review",
        "description": "After a setback: the review opens after a cooling-off period and is "
        "published only with at least 3 specific learnings and 2 next steps.",
        "cooling_off_hours": 24,
        "sections": [
            _s("what_happened", "What happened", "rich_text", "Describe the setback plainly."),
            {**LEARNINGS, "min_count": 3},
            {**NEXT_STEPS, "min_count": 2},
        ],
    },
    {
        "slug": "experiment-review",
        "name": "Experiment review",
        "description": "What an experiment taught us and how the next iteration will use it.",
        "cooling_off_hours": 0,
        "sections": [
            _s("hypothesis", "Hypothesis", "rich_text", "What hypothesis were we testing?"),
            _s("data", "Data", "rich_text", "What specific data did this give us?"),
            _s(
                "next_iteration",
                "Next iteration",
                "rich_text",
                "How will we use it in the next iteration?",
            ),
            LEARNINGS,
            NEXT_STEPS,
        ],
    },
    {
        "slug": "after-action-review",
        "name": "After-action review",
        "description": "Compare what was supposed to happen with what happened.",
        "cooling_off_hours": 0,
        "sections": [
            _s(
                "intended",
                "What was supposed to happen",
                "rich_text",
                "What did we plan or expect?",
            ),
            _s("actual", "What happened", "rich_text", "What actually happened?"),
            _s(
                "difference",
                "Why they differ",
                "rich_text",
                "Which conditions explain the difference?",
            ),
            _s("keep", "What to keep", "list", "What worked and should be kept?"),
            _s("change", "What to change", "list", "What should we do differently next time?"),
            LEARNINGS,
            NEXT_STEPS,
        ],
    },
]
