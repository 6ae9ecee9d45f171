"""Blame coach: flags blameful sentences and suggests systems-focused rewordings.

The engine (``learnloop.coach.engine``) is pure standard-library Python so it can
run without Django, in a pre-commit hook or a batch job.
"""
