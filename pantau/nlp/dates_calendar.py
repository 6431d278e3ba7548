"""Calendar arithmetic for date normalisation: periods, parts of periods, partial dates.

Weeks run Monday to Sunday. A part of a period narrows it: "early" is the first third
(days 1–10 of a month, January–April of a year, Monday–Wednesday of a week), "mid" the
middle third, "late" the last; "before_anchor"/"after_anchor" ("earlier/later this week")
cut the period at the anchor.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

__all__ = ["add_months", "month_bounds", "nearest_month_year", "part_of", "period", "resolve_day_month",
           "week_bounds"]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_bounds(d: date) -> tuple[date, date]:
    mon = d - timedelta(days=d.weekday())
    return mon, mon + timedelta(days=6)


def add_months(d: date, n: int) -> tuple[int, int]:
    """(year, month) n months after d's month."""
    k = d.year * 12 + (d.month - 1) + n
    return k // 12, k % 12 + 1


def period(unit: str, anchor: date, offset: int) -> tuple[date, date]:
    """The day/week/month/quarter/year `offset` units from the one containing `anchor`."""
    if unit == "day":
        d = anchor + timedelta(days=offset)
        return d, d
    if unit == "week":
        mon, _ = week_bounds(anchor)
        mon += timedelta(weeks=offset)
        return mon, mon + timedelta(days=6)
    if unit == "month":
        return month_bounds(*add_months(anchor, offset))
    if unit == "quarter":
        q0 = (anchor.month - 1) // 3
        y, m = add_months(date(anchor.year, q0 * 3 + 1, 1), 3 * offset)
        return date(y, m, 1), month_bounds(*add_months(date(y, m, 1), 2))[1]
    y = anchor.year + offset
    return date(y, 1, 1), date(y, 12, 31)


def part_of(unit: str, bounds: tuple[date, date], part: str | None,
            anchor: date | None = None) -> tuple[date, date]:
    """Narrow a period to its early/mid/late third, or cut it at the anchor."""
    lo, hi = bounds
    if not part:
        return lo, hi
    if part in ("before_anchor", "after_anchor"):
        if anchor is None or not lo <= anchor <= hi:
            return lo, hi
        return (lo, anchor) if part == "before_anchor" else (anchor, hi)
    if unit == "month":
        cuts = {"early": (1, 10), "mid": (11, 20), "late": (21, hi.day)}[part]
        return lo.replace(day=cuts[0]), lo.replace(day=cuts[1])
    if unit == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return month_bounds(lo.year, months[0])[0], month_bounds(lo.year, months[1])[1]
    if unit == "week":
        days = {"early": (0, 2), "mid": (1, 3), "late": (4, 6)}[part]
        return lo + timedelta(days=days[0]), lo + timedelta(days=days[1])
    if unit == "quarter":
        span = (hi - lo).days
        third = span // 3
        i = {"early": 0, "mid": 1, "late": 2}[part]
        return lo + timedelta(days=i * third), (hi if i == 2 else lo + timedelta(days=(i + 1) * third - 1))
    return lo, hi


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve_day_month(day: int, month: int, weekday: int | None, anchor: date | None,
                      today: date | None = None, reference: date | None = None) -> date | None:
    """The year of a date written without one.

    With a weekday: the year in which that day falls on that weekday, nearest to the anchor
    (within a year of it); with no anchor, nearest to `reference` (a date the text states)
    or else to `today`, never after `today`. Without a weekday: the occurrence nearest to the
    anchor; with no anchor, the first one on or after `reference` and not after `today`;
    otherwise None.
    """
    base = anchor or reference or today
    if base is None:
        return None
    if weekday is not None:
        cands = [d for y in range(base.year - 30, base.year + 2)
                 if (d := _safe(y, month, day)) is not None and d.weekday() == weekday]
        if anchor is None and today is not None:
            cands = [d for d in cands if d <= today]
        if anchor is not None:
            cands = [d for d in cands if abs((d - anchor).days) <= 366]
        if cands:
            if anchor is None and reference is not None:
                after = [d for d in cands if d >= reference]
                if after:
                    return min(after, key=lambda d: (d - reference).days)
            return min(cands, key=lambda d: (abs((d - base).days), d > base))
    if anchor is None:
        if reference is None or today is None:
            return None
        # the first occurrence on or after a date the text states, not after today
        later = [d for y in (reference.year, reference.year + 1)
                 if (d := _safe(y, month, day)) is not None and reference <= d <= today]
        return later[0] if later else None
    cands = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1)
             if (d := _safe(y, month, day)) is not None]
    return min(cands, key=lambda d: (abs((d - anchor).days), d > anchor)) if cands else None


def nearest_month_year(month: int, anchor: date, direction: int = 0) -> int:
    """Year of the named month: the last one started by the anchor (direction -1), the next one
    after it (+1), or the one nearest to the anchor (0), preferring the past on a tie."""
    if direction < 0:
        return anchor.year if month <= anchor.month else anchor.year - 1
    if direction > 0:
        return anchor.year if month > anchor.month else anchor.year + 1
    best = None
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        lo, hi = month_bounds(y, month)
        dist = 0 if lo <= anchor <= hi else min(abs((lo - anchor).days), abs((hi - anchor).days))
        key = (dist, lo > anchor)
        if best is None or key < best[0]:
            best = (key, y)
    assert best is not None
    return best[1]
