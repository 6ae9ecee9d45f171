import pytest

from learnloop.testing.builders import make_retro


@pytest.fixture
def retro(alpha, alice, bob):
    """Alpha's retro, alice facilitating, bob taking part; collect runs."""
    return make_retro(alpha, facilitator=alice, participants=[bob], anonymity="allowed")
