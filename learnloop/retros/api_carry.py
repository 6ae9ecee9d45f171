"""Carry-over in the API: the open actions earlier retros of the team left, and marking each
done, still open, or dropped with a reason (decisions/0162). Routes on the retros router."""

import datetime as dt

from ninja import Field, Schema

from learnloop.accounts.http import AuthedHttpRequest
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn
from learnloop.core.errors import NotFound
from learnloop.retros.api import retro_or_404, router
from learnloop.retros.carry_over import CarriedAction, carry_over_for, carry_over_mark


class CarriedOut(Schema):
    action_id: int
    title: str
    status: str
    owner_id: int | None
    due_date: dt.date | None
    from_retro_id: int
    from_retro_title: str
    outcome: str = Field(..., description='"" until marked, else done, open or dropped')
    reason: str


class CarryMarkIn(BodyIn):
    outcome: str = Field(..., description="done, open (still open) or dropped")
    reason: str = Field("", description="Needed when dropped.")


def _out(item: CarriedAction) -> CarriedOut:
    return CarriedOut(
        action_id=item.action.pk,
        title=item.action.title,
        status=item.action.status,
        owner_id=item.action.owner_id,
        due_date=item.action.due_date,
        from_retro_id=item.from_retro.pk,
        from_retro_title=item.from_retro.title,
        outcome=item.outcome,
        reason=item.reason,
    )


@router.get("/{int:retro_id}/carry-over", response={200: list[CarriedOut], **errors(404, 422)})
def carry_over_list(request: AuthedHttpRequest, retro_id: int) -> list[CarriedOut]:
    """Open actions from the team's earlier retros, with how this retro marked them."""
    return [_out(item) for item in carry_over_for(retro=retro_or_404(request, retro_id))]


@router.post(
    "/{int:retro_id}/carry-over/{int:action_id}",
    response={200: CarriedOut, **errors(404, 422)},
)
def carry_over_set(
    request: AuthedHttpRequest, retro_id: int, action_id: int, payload: CarryMarkIn
) -> CarriedOut:
    """Mark one carried action: done closes it, dropped makes it "won't do" (reason needed),
    open leaves it for the next retro."""
    retro = retro_or_404(request, retro_id)
    item = next((c for c in carry_over_for(retro=retro) if c.action.pk == action_id), None)
    if item is None:
        raise NotFound()
    carry_over_mark(
        actor=request.user,
        retro=retro,
        action=item.action,
        outcome=payload.outcome,
        reason=payload.reason,
    )
    fresh = next(c for c in carry_over_for(retro=retro) if c.action.pk == action_id)
    return _out(fresh)
