"""The main navigation. Each domain app adds its entry here (label, URL name, order)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int


NAV_ITEMS: list[NavItem] = [
    NavItem("Home", "web:home", 0),
    NavItem("Teams", "accounts:team-list", 90),
]


def register(label: str, url_name: str, order: int) -> None:
    if all(item.url_name != url_name for item in NAV_ITEMS):
        NAV_ITEMS.append(NavItem(label, url_name, order))
