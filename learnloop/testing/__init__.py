"""Helpers for tests of every app (builders); imported by tests only, never by product code."""
