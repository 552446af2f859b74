"""The conflict-ie annotation schema (../shared/schema.md, version 1), in code.

This module is the single place where label names, relation constraints and the
ACLED mapping live. Everything else (validator, model heads, record builder,
eval) reads them from here. Label strings are public API: never rename them.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

SCHEMA_VERSION = 1

ENTITY_LABELS: tuple[str, ...] = (
    "PER", "ORG", "ARMED", "CIV", "GPE", "LOC", "DATE", "NUM", "WEAPON",
)

TRIGGER_LABELS: tuple[str, ...] = (
    "BATTLE", "REMOTE_VIOLENCE", "VIOLENCE_AGAINST_CIVILIANS", "PROTEST", "RIOT",
    "ARREST", "TERRITORY_CHANGE", "DEPLOYMENT", "AGREEMENT", "DIPLOMACY",
    "DEATH", "INJURY", "DISPLACEMENT",
)

SPAN_LABELS: tuple[str, ...] = ENTITY_LABELS + TRIGGER_LABELS

# Triggers that become event records of their own (schema section 3).
RECORD_LABELS: tuple[str, ...] = (
    "BATTLE", "REMOTE_VIOLENCE", "VIOLENCE_AGAINST_CIVILIANS", "PROTEST", "RIOT",
    "ARREST", "TERRITORY_CHANGE", "DEPLOYMENT", "AGREEMENT", "DIPLOMACY",
)
# Triggers that fold into the record of their CAUSE, standing alone only without one.
OUTCOME_LABELS: tuple[str, ...] = ("DEATH", "INJURY", "DISPLACEMENT")

_EVENT = frozenset(TRIGGER_LABELS)


@dataclass(frozen=True)
class RelationType:
    """One row of schema section 2: a directed relation and the labels it may join."""

    name: str
    heads: frozenset[str]
    tails: frozenset[str]
    meaning: str

    def allows(self, head_label: str, tail_label: str) -> bool:
        if head_label not in self.heads or tail_label not in self.tails:
            return False
        # COREF joins two mentions of the same event, so both carry one label.
        return self.name != "COREF" or head_label == tail_label


def _rel(name: str, heads, tails, meaning: str) -> RelationType:
    return RelationType(name, frozenset(heads), frozenset(tails), meaning)


RELATION_TYPES: Mapping[str, RelationType] = MappingProxyType({r.name: r for r in (
    _rel("ACTOR", _EVENT, {"ARMED", "GPE", "ORG", "PER", "CIV"},
         "who carried out the event"),
    _rel("TARGET", _EVENT, {"ARMED", "CIV", "GPE", "ORG", "PER", "LOC"},
         "who or what the event was aimed at"),
    _rel("VICTIM", {"DEATH", "INJURY", "DISPLACEMENT"}, {"ARMED", "CIV", "PER"},
         "who died, was hurt, or fled"),
    _rel("COUNT", {"DEATH", "INJURY", "ARREST", "DISPLACEMENT", "PROTEST", "RIOT",
                   "VIOLENCE_AGAINST_CIVILIANS"}, {"NUM"}, "how many"),
    _rel("PLACE", _EVENT, {"GPE", "LOC"}, "where"),
    _rel("TIME", _EVENT, {"DATE"}, "when"),
    _rel("INSTRUMENT", _EVENT, {"WEAPON"}, "with what"),
    _rel("SOURCE", _EVENT, {"PER", "ORG", "GPE", "ARMED", "CIV"},
         "who reported, claimed or announced it"),
    _rel("PARTICIPANT", {"AGREEMENT", "DIPLOMACY", "PROTEST", "DEPLOYMENT"},
         {"PER", "ORG", "GPE", "ARMED", "CIV"}, "a party to talks, deals, protests; who is deployed"),
    _rel("CAUSE", {"DEATH", "INJURY", "DISPLACEMENT"},
         {"BATTLE", "REMOTE_VIOLENCE", "VIOLENCE_AGAINST_CIVILIANS", "RIOT"},
         "the violent event that caused it"),
    _rel("AFFILIATION", {"PER", "ARMED", "ORG", "CIV"}, {"GPE", "ORG", "ARMED"},
         "membership or allegiance"),
    _rel("COREF", _EVENT, _EVENT, "same real event; head is the later mention"),
)})

RELATION_LABELS: tuple[str, ...] = tuple(RELATION_TYPES)


def is_trigger(label: str) -> bool:
    return label in _EVENT


def relation_allowed(relation: str, head_label: str, tail_label: str) -> bool:
    rtype = RELATION_TYPES.get(relation)
    return rtype is not None and rtype.allows(head_label, tail_label)


def allowed_relations(head_label: str, tail_label: str) -> tuple[str, ...]:
    """Relation labels whose row admits this ordered pair of span labels."""
    return tuple(name for name, r in RELATION_TYPES.items() if r.allows(head_label, tail_label))


# ACLED event types (ACLED codebook 2023) for the record-forming triggers. The
# sub-event type given here is the default; the record builder refines it from
# the weapon and the targets (e.g. air/drone strike vs shelling).
ACLED_EVENT_TYPE: Mapping[str, str | None] = MappingProxyType({
    "BATTLE": "Battles",
    "REMOTE_VIOLENCE": "Explosions/Remote violence",
    "VIOLENCE_AGAINST_CIVILIANS": "Violence against civilians",
    "PROTEST": "Protests",
    "RIOT": "Riots",
    "ARREST": "Strategic developments",
    "TERRITORY_CHANGE": "Battles",
    "DEPLOYMENT": "Strategic developments",
    "AGREEMENT": "Strategic developments",
    "DIPLOMACY": None,
    "DEATH": None,
    "INJURY": None,
    "DISPLACEMENT": None,
})

ACLED_SUB_EVENT_TYPE: Mapping[str, str | None] = MappingProxyType({
    "BATTLE": "Armed clash",
    "REMOTE_VIOLENCE": "Shelling/artillery/missile attack",
    "VIOLENCE_AGAINST_CIVILIANS": "Attack",
    "PROTEST": "Peaceful protest",
    "RIOT": "Violent demonstration",
    "ARREST": "Arrests",
    "TERRITORY_CHANGE": "Non-state actor overtakes territory",
    "DEPLOYMENT": "Change to group/activity",
    "AGREEMENT": "Agreement",
    "DIPLOMACY": None,
    "DEATH": None,
    "INJURY": None,
    "DISPLACEMENT": None,
})

SOURCE_STYLES: tuple[str, ...] = (
    "wire", "local_press", "translated_wire", "un_release", "ngo_release",
    "military_statement", "ministry_statement", "analysis", "breaking", "update",
)
SPLITS: tuple[str, ...] = ("train", "dev", "test")
