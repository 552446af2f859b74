"""Keyword-lexicon baseline for event triggers: no model, no context, no relations.

The lexicon is hand-written from the "typical triggers" column of the
guidelines' trigger table (section 3), with the usual inflections. Matching is
whole-word and case-insensitive, and at each position the longest phrase wins
("air strike" is REMOTE_VIOLENCE before "strike" could be anything else).

Where the guidelines give one word to two labels depending on context, the
lexicon cannot look at context and picks one, written down here:

* "attack"/"attacked" -> VIOLENCE_AGAINST_CIVILIANS (the table's reading);
  attacks on armed positions (BATTLE) are therefore mislabelled.
* "killed"/"killing" -> DEATH (guidelines 6.4).
* "strike" alone is left out: it is a labour strike (PROTEST) in the table but
  mostly an air or missile strike in conflict news; only the unambiguous
  compounds are listed.
* "opened fire" -> VIOLENCE_AGAINST_CIVILIANS (the table's "opened fire on
  protesters"); "opened artillery fire" -> REMOTE_VIOLENCE.
* "protested" -> PROTEST, though it is DIPLOMACY when it means objected.
* "torched" -> RIOT (by a crowd), "torched homes" -> VIOLENCE_AGAINST_CIVILIANS.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Mapping

from conflict_ie import schema
from conflict_ie.annotations.document import Article
from conflict_ie.eval.baselines.spans import build_spans

LEXICON: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "BATTLE": (
        "clash", "clashes", "clashed", "clashing", "fighting", "fight", "fights", "battle", "battles",
        "battled", "battling", "gun battle", "war", "wars", "offensive", "offensives", "counteroffensive",
        "counter-offensive", "exchange of fire", "exchanges of fire", "exchanged fire", "ambush",
        "ambushed", "ambushes", "firefight", "firefights", "gunfight", "skirmish", "skirmishes", "assault",
        "assaulted",
    ),
    "REMOTE_VIOLENCE": (
        "shelling", "shelled", "air strike", "air strikes", "airstrike", "airstrikes", "air raid",
        "air raids", "drone strike", "drone strikes", "drone attack", "drone attacks", "missile strike",
        "missile strikes", "missile attack", "missile attacks", "rocket attack", "rocket attacks",
        "bombing", "bombings", "bombed", "bombardment", "explosion", "explosions", "exploded", "blast",
        "blasts", "IED", "IEDs", "suicide bombing", "suicide attack", "rocket fire", "artillery fire",
        "mortar fire", "struck", "opened artillery fire",
    ),
    "VIOLENCE_AGAINST_CIVILIANS": (
        "attack", "attacks", "attacked", "massacre", "massacres", "massacred", "executed", "execution",
        "executions", "abducted", "abduction", "abductions", "kidnapped", "kidnapping", "kidnappings",
        "raped", "rape", "beat", "beaten", "opened fire", "torched homes",
    ),
    "PROTEST": (
        "protest", "protests", "protested", "demonstration", "demonstrations", "rally", "rallies",
        "rallied", "march", "marches", "marched", "general strike", "went on strike", "sit-in", "sit-ins",
        "vigil", "vigils",
    ),
    "RIOT": (
        "riot", "riots", "rioting", "rioted", "looting", "looted", "mob attack", "stormed",
        "clashed with police", "torched",
    ),
    "ARREST": (
        "arrest", "arrests", "arrested", "detain", "detains", "detained", "rounded up",
        "taken into custody", "raid", "raids",
    ),
    "TERRITORY_CHANGE": (
        "captured", "seized", "took control of", "taken control of", "retook", "recaptured", "liberated",
        "fell", "withdrew from", "ceded",
    ),
    "DEPLOYMENT": (
        "deployed", "deployment", "deployments", "sent troops", "reinforced", "reinforcements",
        "mobilised", "mobilized", "mobilisation", "mobilization", "stationed", "set up a base", "arrival",
    ),
    "AGREEMENT": (
        "ceasefire", "ceasefires", "cease-fire", "truce", "truces", "peace deal", "peace agreement",
        "accord", "accords", "agreement", "prisoner exchange", "prisoner swap", "swap", "signed", "agreed",
        "armistice",
    ),
    "DIPLOMACY": (
        "talks", "met", "meeting", "meetings", "phone call", "mediation", "mediated",
        "called for", "calling for", "call for", "urged", "urging", "urges", "called on", "calling on",
        "appealed", "condemned", "condemns", "condemnation", "accused", "accuses", "blamed", "threatened",
        "warned", "sanctions", "summoned",
    ),
    "DEATH": (
        "killed", "killing", "killings", "died", "dead", "death toll", "deaths", "death",
        "lost their lives",
    ),
    "INJURY": ("wounded", "injured", "hurt", "wounding", "injuring", "injuries"),
    "DISPLACEMENT": (
        "fled", "flee", "fleeing", "displaced", "evacuated", "evacuation", "forced from their homes",
        "uprooted",
    ),
})


def _normal(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _phrase_index(lexicon: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for label, phrases in lexicon.items():
        if label not in schema.TRIGGER_LABELS:
            raise ValueError(f"lexicon label {label!r} is not a trigger label of the schema")
        for phrase in phrases:
            key = _normal(phrase)
            if index.get(key, label) != label:
                raise ValueError(f"lexicon phrase {phrase!r} is listed under both {index[key]} and {label}")
            index[key] = label
    return index


def _pattern(phrases) -> re.Pattern[str]:
    # Longest first, because regex alternation takes the first alternative that matches.
    alts = sorted(phrases, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


class LexiconBaseline:
    name = "lexicon"
    relation_labels: tuple[str, ...] = ()

    def __init__(self, lexicon: Mapping[str, tuple[str, ...]] = LEXICON) -> None:
        self._index = _phrase_index(lexicon)
        self._regex = _pattern(self._index)
        self.labels: tuple[str, ...] = tuple(lab for lab in schema.TRIGGER_LABELS if lexicon.get(lab))

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, label) of every lexicon match, left to right, longest first, not overlapping."""
        return [(m.start(), m.end(), self._index[_normal(m.group(0))]) for m in self._regex.finditer(text)]

    def predict(self, articles: list[Article]) -> list[Article]:
        return [a.with_annotations(build_spans(a, self.find(a.text)), []) for a in articles]
