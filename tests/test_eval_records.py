"""Event record matching and scoring on hand-built records."""

from __future__ import annotations

import pytest

from conflict_ie.eval.records_score import (counts_exact, counts_within_range, match_records, score_records)
from conflict_ie.extract.types import Argument, CasualtyClaim, Count, DateInfo, EventRecord, Location, Mention


def mention(start, end, label="BATTLE"):
    return Mention(text="x" * (end - start), label=label, start=start, end=end)


def arg(start, end, label="ARMED"):
    return Argument(text="x" * (end - start), label=label, start=start, end=end)


def count(mn, mx, best=None, exact=False):
    return Count(text="n", start=0, end=1, min=mn, max=mx, exact=exact, best=best)


def claim(c: Count, start=60):
    return CasualtyClaim(trigger=mention(start, start + 6, "DEATH"), count=c)


def record(event_type="BATTLE", triggers=((10, 17),), **fields):
    return EventRecord(event_id=f"e{triggers[0][0]}", event_type=event_type, acled_event_type=None,
                       acled_sub_event_type=None, triggers=[mention(a, b, event_type) for a, b in triggers], **fields)


GOLD = record(
    actors=[arg(0, 8)], targets=[arg(30, 37)],
    locations=[Location(text="Jermuk", label="GPE", start=40, end=46)],
    date=DateInfo(text="Tuesday", start=50, end=57, iso="2022-09-13", precision="day"),
    fatalities=[claim(count(30, 40, best=30))],  # "between 30 and 40"
    sources=[arg(100, 110, "ORG")],
)


def test_perfect_records():
    s = score_records([[GOLD]], [[GOLD]])
    assert (s.detection.micro.f1, s.detection.micro.correct) == (1.0, 1)
    assert all(p.f1 == 1.0 for p in s.fields.values()), s.fields
    assert s.documents == 1


def test_claim_within_range_but_not_exact_and_partial_arguments():
    pred = record(
        triggers=((12, 17),),  # overlaps the gold trigger
        actors=[arg(0, 8)], targets=[arg(30, 37), arg(70, 75)],  # one right, one extra
        locations=[],  # missed
        date=DateInfo(text="Tuesday", start=50, end=57, iso="2022-09-13", precision="day"),
        fatalities=[claim(count(35, 35, best=35, exact=True))],  # "35": inside 30..40, not equal
        sources=[arg(100, 104, "ORG")],  # boundary error
    )
    protest = record("PROTEST", triggers=((200, 207),), actors=[arg(190, 198, "CIV")])  # not in gold
    s = score_records([[GOLD]], [[pred, protest]])
    det = s.detection.micro
    assert (det.gold, det.predicted, det.correct) == (1, 2, 1)
    assert det.f1 == pytest.approx(2 / 3)
    assert s.detection.per_label["BATTLE"].f1 == 1.0
    assert s.detection.per_label["PROTEST"].predicted == 1
    f = s.fields

    def counts(name):
        return f[name].gold, f[name].predicted, f[name].correct

    assert counts("actors") == (1, 2, 1)  # the unmatched protest's actor is a false alarm
    assert counts("targets") == (1, 2, 1)
    assert counts("locations") == (1, 0, 0)
    assert counts("date") == (1, 1, 1)
    assert counts("fatalities_exact") == (1, 1, 0)
    assert counts("fatalities_range") == (1, 1, 1)
    assert counts("sources") == (1, 1, 0)
    assert f["targets"].precision == pytest.approx(0.5)
    assert f["fatalities_range"].f1 == 1.0 and f["fatalities_exact"].f1 == 0.0


def test_arguments_of_an_unmatched_record_count_as_missed():
    wrong_type = record("REMOTE_VIOLENCE", actors=[arg(0, 8)])  # same trigger offsets, other type
    s = score_records([[GOLD]], [[wrong_type]])
    assert s.detection.micro.correct == 0
    assert (s.fields["actors"].gold, s.fields["actors"].predicted, s.fields["actors"].correct) == (1, 1, 0)
    assert s.fields["fatalities_range"].gold == 1 and s.fields["fatalities_range"].correct == 0


def test_matching_is_one_to_one_and_greedy_by_overlap():
    gold = [record(triggers=((0, 10),)), record(triggers=((20, 30),))]
    pred = [record(triggers=((5, 10),)),  # overlaps gold 0 by 5
            record(triggers=((0, 10),)),  # overlaps gold 0 by 10: wins it
            record(triggers=((40, 45),))]  # overlaps nothing
    assert match_records(gold, pred) == [(0, 1)]
    # A record with several mentions overlaps by their sum.
    merged = record(triggers=((0, 4), (20, 30)))
    assert match_records(gold, [merged]) == [(1, 0)]


def test_count_comparisons():
    at_least_50 = count(50, None, best=50)
    assert counts_within_range(at_least_50, count(80, 80, best=80))  # 80 lies in [50, inf)
    assert not counts_within_range(at_least_50, count(40, 40, best=40))
    assert counts_within_range(count(35, 35, best=35), count(30, 40, best=30))
    assert not counts_exact(count(35, 35), count(30, 40))
    assert counts_exact(count(50, None), count(50, None))
    assert not counts_exact(count(None, None), count(None, None))  # states nothing: nothing to match
    # "more than 6,500" parses to min 6501 with best 6500: equal counts are within range all the same.
    more_than = count(6501, None, best=6500)
    assert counts_exact(more_than, more_than) and counts_within_range(more_than, more_than)


def test_claims_without_a_count_are_not_scored_and_lists_must_align():
    no_count = record(fatalities=[CasualtyClaim(trigger=mention(60, 66, "DEATH"))])
    s = score_records([[no_count]], [[no_count]])
    assert s.fields["fatalities_exact"].gold == 0
    with pytest.raises(ValueError, match="not aligned"):
        score_records([[GOLD]], [])
