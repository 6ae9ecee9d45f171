"""``core.validation.fits_bigint``: the one range check of a 64-bit id column."""

from __future__ import annotations

import pytest

from learnloop.core.validation import MAX_ID, fits_bigint


@pytest.mark.parametrize("value", [-(2**63), -1, 0, 1, MAX_ID])
def test_a_bigint_column_holds_every_value_from_minus_2_63_to_max_id(value: int) -> None:
    assert fits_bigint(value)


@pytest.mark.parametrize("value", [-(2**63) - 1, MAX_ID + 1, 10**20, -(10**20)])
def test_past_either_end_no_row_can_have_the_id(value: int) -> None:
    assert not fits_bigint(value)
