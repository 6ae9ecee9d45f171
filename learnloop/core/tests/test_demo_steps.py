"""Demo steps run in the order their numbers say; a number belongs to one step; a step whose
module is loaded again (a reload in a shell or a test) replaces itself instead of colliding."""

from __future__ import annotations

import pytest

from learnloop.core import demo


@pytest.fixture
def steps(monkeypatch):
    monkeypatch.setattr(demo, "STEPS", [])
    return demo.STEPS


def _make(name: str):
    def func(ctx):  # pragma: no cover - never run here
        return None

    func.__qualname__ = name
    func.__module__ = "learnloop.example.demo"
    return func


def test_an_order_number_belongs_to_one_step(steps):
    demo.step(70)(_make("one"))
    with pytest.raises(ValueError, match="order 70 is taken by learnloop.example.demo.one"):
        demo.step(70)(_make("two"))
    assert [f.__qualname__ for _, f in steps] == ["one"]


def test_a_reloaded_step_replaces_itself(steps):
    first = demo.step(71)(_make("again"))
    second = demo.step(71)(_make("again"))  # the same module and name: a reload
    assert first is not second
    assert steps == [(71, second)]
    demo.step(72)(_make("other"))
    assert [o for o, _ in steps] == [71, 72]
