"""ACLED event and sub-event types from a trigger label, its words and its weapons."""

from __future__ import annotations

import re

from conflict_ie import schema

# (pattern over trigger + instrument + sentence words, sub-event type), first match wins.
_REMOTE = [
    (re.compile(r"\bsuicide\b"), "Suicide bomb"),
    (re.compile(r"\b(air ?strikes?|airstrikes?|air raids?|drones?|warplanes?|jets?|aircraft|helicopters?|bombers?|aerial)\b"), "Air/drone strike"),
    (re.compile(r"\b(ied|ieds|roadside|landmines?|mines?|car bombs?|explosive|booby|improvised)\b"), "Remote explosive/landmine/IED"),
    (re.compile(r"\bgrenades?\b"), "Grenade"),
]
_VAC = [
    (re.compile(r"\b(abduct\w*|kidnap\w*|hostages?|disappear\w*|seized? (?:\w+ )?(?:women|girls|children|students))\b"), "Abduction/forced disappearance"),
    (re.compile(r"\b(rap(e|ed|es|ing)|sexual)\b"), "Sexual violence"),
]
_STATE = re.compile(r"\b(army|armed forces|military|government|troops|soldiers|police|security forces|national guard|"
                    r"defen[cs]e forces|forces of order|junta|regime|tatmadaw|fardc|saf|idf)\b")
_NONVIOLENT = re.compile(r"\b(withdr[ae]w\w*|ceded?|handed over|pulled out|hand(?:ed)? back|evacuated)\b")


def acled_types(label: str, words: str, actor_words: str = "") -> tuple[str | None, str | None]:
    """(event type, sub-event type) for a record; words are lower-case trigger, weapon and sentence text."""
    event = schema.ACLED_EVENT_TYPE.get(label)
    sub = schema.ACLED_SUB_EVENT_TYPE.get(label)
    if label == "REMOTE_VIOLENCE":
        sub = next((s for rx, s in _REMOTE if rx.search(words)), sub)
    elif label == "VIOLENCE_AGAINST_CIVILIANS":
        sub = next((s for rx, s in _VAC if rx.search(words)), sub)
    elif label == "PROTEST":
        if re.search(r"\b(tear ?gas|dispers\w*|water cannon|rubber bullets|baton|arrest\w*|detain\w*)\b", words):
            sub = "Protest with intervention"
        if re.search(r"\b(live (?:ammunition|rounds|fire)|shot dead|opened fire|killed)\b", words):
            sub = "Excessive force against protesters"
    elif label == "RIOT":
        if re.search(r"\bmob\b|\blynch\w*", words):
            sub = "Mob violence"
    elif label == "TERRITORY_CHANGE":
        if _NONVIOLENT.search(words):
            event, sub = "Strategic developments", "Non-violent transfer of territory"
        elif _STATE.search(actor_words):
            sub = "Government regains territory"
    elif label == "DEPLOYMENT":
        if re.search(r"\bbases?\b|\bheadquarters\b|\boutposts?\b", words):
            sub = "Headquarters or base established"
    return event, sub
