"""The four shipped retrospective formats, as data.

A data migration (``0002_shipped_formats``) writes them as ``RetroFormat`` rows with
``is_shipped=True`` and no team; teams copy and edit them (like review templates). A retro
copies its format's columns when it is created, so editing a format never changes a retro
that already has cards. This module is the only place their wording lives.
"""

from __future__ import annotations

from typing import Any


def _c(key: str, title: str, prompt: str) -> dict[str, str]:
    return {"key": key, "title": title, "prompt": prompt}


SHIPPED_FORMATS: list[dict[str, Any]] = [
    {
        "slug": "start-stop-continue",
        "name": "Start, stop, continue",
        "description": "What should we begin doing, stop doing, and keep doing?",
        "columns": [
            _c("start", "Start", "What should we start doing?"),
            _c("stop", "Stop", "What gets in our way and should stop?"),
            _c("continue", "Continue", "What works and should continue?"),
        ],
    },
    {
        "slug": "went-well-to-improve",
        "name": "Went well, to improve",
        "description": "Two columns: what helped us, and what we would change about how we work.",
        "columns": [
            _c("went_well", "Went well", "What helped us this time?"),
            _c("to_improve", "To improve", "Which conditions or habits would we change?"),
        ],
    },
    {
        "slug": "4ls",
        "name": "4Ls",
        "description": "Liked, learned, lacked, longed for.",
        "columns": [
            _c("liked", "Liked", "What did you like?"),
            _c("learned", "Learned", "What did you learn?"),
            _c("lacked", "Lacked", "What was missing: tools, time, information?"),
            _c("longed_for", "Longed for", "What do you wish we had?"),
        ],
    },
    {
        "slug": "mad-sad-glad",
        "name": "Mad, sad, glad",
        "description": "How the period felt, about conditions and systems rather than people.",
        "columns": [
            _c("mad", "Mad", "What frustrated you about how things worked?"),
            _c("sad", "Sad", "What disappointed you?"),
            _c("glad", "Glad", "What made you glad?"),
        ],
    },
]
