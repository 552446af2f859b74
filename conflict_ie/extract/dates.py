"""Resolving DATE mentions against the publication date: "Tuesday" -> 2022-09-13.

Relative expressions look backwards from the publication date (news reports
what has happened); a weekday equal to the publication weekday is that day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH_ABBR = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
               "nov": 11, "dec": 12}
_NUMWORDS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "several": 3, "a few": 3}
_SAME_DAY = re.compile(r"\b(today|tonight|this morning|this afternoon|this evening|earlier today|overnight|"
                       r"\d{3,4}\s*(gmt|utc|local time|hrs|hours)|\d{1,2}(:\d\d)?\s*[ap]\.?m\.?|midnight|dawn|noon)\b")
_MONTH_RX = "(" + "|".join(sorted(list(_MONTHS) + list(_MONTH_ABBR), key=len, reverse=True)) + r")\.?"


@dataclass(frozen=True)
class ResolvedDate:
    iso: str
    precision: str  # day | week | month | year | decade
    first: dt.date  # the earliest day the expression can mean
    last: dt.date  # the latest


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return _MONTHS.get(name) or _MONTH_ABBR[name]


def _day(d: dt.date) -> ResolvedDate:
    return ResolvedDate(d.isoformat(), "day", d, d)


def _month_res(y: int, m: int) -> ResolvedDate:
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return ResolvedDate(f"{y:04d}-{m:02d}", "month", dt.date(y, m, 1), nxt - dt.timedelta(days=1))


def _year(y: int) -> ResolvedDate:
    return ResolvedDate(f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def resolve_date(text: str, published: dt.date | None) -> ResolvedDate | None:
    """The date a mention stands for, or None if it cannot be pinned down."""
    s = " ".join(text.lower().replace("’", "'").split())
    s = re.sub(r"^(on|in|at|since|by|during|from)\s+", "", s)

    # Absolute forms first: they need no publication date.
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", s)
    if m and (d := _safe_date(int(m[1]), int(m[2]), int(m[3]))):
        return _day(d)
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RX}\s*,?\s*(\d{{4}})\b", s) or None
    if m and (d := _safe_date(int(m[3]), _month(m[2]), int(m[1]))):
        return _day(d)
    m = re.search(rf"\b{_MONTH_RX}\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(\d{{4}})\b", s)
    if m and (d := _safe_date(int(m[3]), _month(m[1]), int(m[2]))):
        return _day(d)
    m = re.search(rf"\b{_MONTH_RX}\s+(\d{{4}})\b", s)
    if m:
        return _month_res(int(m[2]), _month(m[1]))
    m = re.search(r"\b(?:the\s+)?(early|mid|late)?-?\s*(\d{3})0'?s\b", s)
    if m:
        start = int(m[2]) * 10
        lo, hi = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(m[1] or "", (0, 9))
        return ResolvedDate(f"{start:04d}", "decade", dt.date(start + lo, 1, 1), dt.date(start + hi, 12, 31))
    m = re.fullmatch(r"(?:the\s+)?(?:(?:early|late|mid|spring|summer|autumn|fall|winter)[\s-]+(?:of\s+)?)?(\d{4})", s)
    if m and 1900 <= int(m[1]) <= 2100:
        return _year(int(m[1]))

    if published is None:
        return None
    p = published
    m = re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RX}\b", s) or \
        re.search(rf"\b{_MONTH_RX}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", s)
    if m:
        day, mon = (int(m[1]), _month(m[2])) if m[1].isdigit() else (int(m[2]), _month(m[1]))
        d = _safe_date(p.year, mon, day)
        if d and d > p + dt.timedelta(days=7):  # "Dec 30" in a January article means last year
            d = _safe_date(p.year - 1, mon, day)
        if d:
            return _day(d)
    for i, wd in enumerate(_WEEKDAYS):
        if re.search(rf"\b{wd}\b", s):
            back = (p.weekday() - i) % 7
            if "last " + wd in s and back == 0:
                back = 7
            return _day(p - dt.timedelta(days=back))
    if re.search(r"\b(yesterday|last night)\b", s):
        return _day(p - dt.timedelta(days=1))
    if re.search(r"\bday before yesterday\b", s):
        return _day(p - dt.timedelta(days=2))
    if _SAME_DAY.search(s):
        return _day(p)
    m = re.search(r"\b(\d+|one|a|an|two|three|four|five|six|seven|eight|nine|ten|several|a few)\s+(day|week|month|year)s?\s+(ago|earlier|before)\b", s)
    if m:
        n = int(m[1]) if m[1].isdigit() else _NUMWORDS[m[1]]
        unit = m[2]
        if unit == "day":
            return _day(p - dt.timedelta(days=n))
        if unit == "week":
            d = p - dt.timedelta(weeks=n)
            return ResolvedDate(d.isoformat(), "week", d - dt.timedelta(days=3), d + dt.timedelta(days=3))
        if unit == "month":
            y, mo = divmod(p.year * 12 + p.month - 1 - n, 12)
            return _month_res(y, mo + 1)
        return _year(p.year - n)
    if re.search(r"\blast week\b", s):
        monday = p - dt.timedelta(days=p.weekday() + 7)
        return ResolvedDate(monday.isoformat(), "week", monday, monday + dt.timedelta(days=6))
    if re.search(r"\bthis week\b|\bearlier this week\b", s):
        monday = p - dt.timedelta(days=p.weekday())
        return ResolvedDate(monday.isoformat(), "week", monday, p)
    if re.search(r"\blast month\b", s):
        y, mo = divmod(p.year * 12 + p.month - 2, 12)
        return _month_res(y, mo + 1)
    if re.search(r"\bthis month\b|\bearlier this month\b", s):
        return _month_res(p.year, p.month)
    if re.search(r"\blast year\b", s):
        return _year(p.year - 1)
    if re.search(r"\bthis year\b|\bearlier this year\b", s):
        return _year(p.year)
    m = re.fullmatch(rf"(?:early|late|mid)?[\s-]*{_MONTH_RX}", s)
    if m:
        mon = _month(m[1])
        return _month_res(p.year if mon <= p.month else p.year - 1, mon)
    return None


HISTORICAL_DAYS = 180


def is_historical(date: ResolvedDate | None, published: dt.date | None) -> bool:
    """Background, not news: the whole period the date can mean ends half a year or more before publication."""
    return bool(date and published and (published - date.last).days >= HISTORICAL_DAYS)
