"""Reflection frameworks as data: the shipped ones, and how a person's or an organisation's own
frameworks (``journal.models.Framework`` rows) are read and checked.

A framework is a name and a list of prompts (``key``, ``label``, ``help``). An entry copies the
prompts it was written with, so changing or deleting a framework never changes an entry.
"""

from __future__ import annotations

import re
from typing import Any

from learnloop.core.errors import ApplicationError

NAME_MAX = 120
PROMPT_MAX = 200
HELP_MAX = 500
PROMPTS_MAX = 12

Prompt = dict[str, str]


def _p(key: str, label: str, help_text: str = "") -> Prompt:
    return {"key": key, "label": label, "help": help_text}


SHIPPED: list[dict[str, Any]] = [
    {
        "key": "what-so-what-now-what",
        "name": "What? So what? Now what?",
        "description": "Three questions from description to meaning to action (Rolfe et al.).",
        "prompts": [
            _p("what", "What?", "What happened? Describe it plainly, as a camera would."),
            _p("so_what", "So what?", "Why does it matter? What does it tell you?"),
            _p("now_what", "Now what?", "What will you do, try or ask differently next time?"),
        ],
    },
    {
        "key": "gibbs",
        "name": "Gibbs' reflective cycle",
        "description": "Six steps: description, feelings, evaluation, analysis, conclusion, plan.",
        "prompts": [
            _p("description", "Description", "What happened?"),
            _p("feelings", "Feelings", "What were you thinking and feeling?"),
            _p("evaluation", "Evaluation", "What was good and bad about the experience?"),
            _p("analysis", "Analysis", "What sense can you make of the situation?"),
            _p("conclusion", "Conclusion", "What else could you have done?"),
            _p("action_plan", "Action plan", "If it arose again, what would you do?"),
        ],
    },
    {
        "key": "24-hour-rule",
        "name": "The 24-hour rule: three learnings, two next steps",
        "description": "Within a day of a setback: three things learned, two steps to take.",
        "prompts": [
            _p("learning_1", "First learning"),
            _p("learning_2", "Second learning"),
            _p("learning_3", "Third learning"),
            _p("next_step_1", "First next step"),
            _p("next_step_2", "Second next step"),
        ],
    },
    {
        "key": "tell-myself",
        "name": "What would I tell myself before this?",
        "description": "Advice to the person you were before it happened.",
        "prompts": [
            _p("situation", "The situation", "What were you about to do?"),
            _p("advice", "What I would tell myself", "What do you know now that you wish you had?"),
        ],
    },
]
SHIPPED_BY_KEY = {f["key"]: f for f in SHIPPED}
DEFAULT_KEY = "what-so-what-now-what"


def _slug(label: str, n: int, seen: set[str]) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or f"prompt_{n}"
    while key in seen:
        key = f"{key}_{n}"
    seen.add(key)
    return key


def clean_prompts(raw: Any) -> list[Prompt]:
    """Prompts typed as lines of text ("Label" or "Label | help") or given as a list of
    strings or ``{"label", "help"}`` objects → checked prompts with keys; ApplicationError
    naming ``prompts`` otherwise."""
    if isinstance(raw, str):
        items: list[Any] = [line for line in raw.splitlines() if line.strip()]
    elif isinstance(raw, list):
        items = raw
    else:
        items = []
    problems: list[str] = []
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        if isinstance(item, dict):
            label, help_text = str(item.get("label", "")), str(item.get("help", ""))
        else:
            label, _, help_text = str(item).partition("|")
        label, help_text = " ".join(label.split()), " ".join(help_text.split())
        if not label:
            problems.append(f"Prompt {n}: write the question.")
        elif len(label) > PROMPT_MAX:
            problems.append(f"Prompt {n}: at most {PROMPT_MAX} characters.")
        if len(help_text) > HELP_MAX:
            problems.append(f"Prompt {n}: the help is at most {HELP_MAX} characters.")
        prompts.append(_p(_slug(label, n, seen), label, help_text))
    if not prompts:
        problems.append("Give at least one prompt, one per line.")
    if len(prompts) > PROMPTS_MAX:
        problems.append(f"At most {PROMPTS_MAX} prompts.")
    if problems:
        raise ApplicationError(
            "The framework's prompts are not valid.", fields={"prompts": problems}
        )
    return prompts
