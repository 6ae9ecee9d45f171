"""API routes for review meetings, comments and exports (mounted under /api/reviews)."""

from ninja import Router

router = Router(tags=["reviews"])
