"""Tests for learnloop.search (plain pytest, no Django)."""
