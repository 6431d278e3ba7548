"""Fusion rules: same happening or not, with reasons; tightest date; numbers side by side."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from pantau.model import DateValue, Entity, Event, Evidence, Quantity
from pantau.nlp.fusion import actor_root, compare, fused_date, merge_views, tightest, view_of

ENTITIES = {
    "person:cho-tae-yul": Entity("person:cho-tae-yul", "person", "Cho Tae-yul", affiliation="KOR"),
    "person:jens-stoltenberg": Entity("person:jens-stoltenberg", "person", "Jens Stoltenberg", affiliation="NATO"),
    "place:brussels": Entity("place:brussels", "place", "Brussels", country="BEL"),
    "place:antwerp": Entity("place:antwerp", "place", "Antwerp", country="BEL"),
    "place:seoul": Entity("place:seoul", "place", "Seoul", country="KOR"),
}


def ev(eid: str, typ: str, src: list[str], tgt: list[str], start: str | None, end: str | None, **kw) -> Event:
    dv = DateValue(start, end, "day", "explicit") if start and end else None
    return Event(eid, typ, src, tgt, [Evidence(0, 10, "kalimat bukti")], date=dv, **kw)


def troops(value: int, approx: bool = True) -> Quantity:
    return Quantity(value, "troops", approx, f"sekitar {value} tentara")


def test_actor_roots_resolve_people_to_their_affiliation() -> None:
    assert actor_root("PRK") == "PRK"
    assert actor_root("person:cho-tae-yul", ENTITIES) == "KOR"
    assert actor_root("person:unknown", ENTITIES) == "person:unknown"


def test_troop_deployment_reported_twice_fuses() -> None:
    a = view_of("d1:e1", ev("e1", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", contexts=["military"],
                             quantities=[troops(10000)]), ENTITIES)
    b = view_of("d2:e1", ev("e1", "AID", ["PRK"], ["RUS"], "2024-10-14", "2024-10-20", contexts=["military"],
                             quantities=[troops(10000)]), ENTITIES)
    d = compare(a, b)
    assert d.same, d.reasons
    assert any("same actors" in r for r in d.reasons)
    assert any("2024-10-14..2024-10-20" in r for r in d.reasons)
    assert any("numbers agree" in r for r in d.reasons)


def test_compatible_types_fuse_with_lower_score_than_identical() -> None:
    base = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", contexts=["military"])
    other = ev("e", "COOPERATE", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", contexts=["military"])
    same = compare(view_of("a", base), view_of("b", base))
    compat = compare(view_of("a", base), view_of("b", other))
    assert compat.same and same.same
    assert compat.score < same.score
    assert "compatible types AID/COOPERATE" in compat.reasons


def test_two_meetings_of_the_same_pair_in_different_months_do_not_fuse() -> None:
    april = ev("e", "CONSULT", ["person:cho-tae-yul"], ["person:jens-stoltenberg"], "2024-04-01", "2024-04-05",
               mode="visit", location="place:brussels")
    june = ev("e", "CONSULT", ["person:cho-tae-yul"], ["person:jens-stoltenberg"], "2024-06-10", "2024-06-12",
              mode="visit", location="place:brussels")
    d = compare(view_of("a", april, ENTITIES), view_of("b", june, ENTITIES))
    assert not d.same
    assert d.reasons[-1].startswith("dates do not overlap")


def test_meeting_reported_with_swapped_sides_fuses_for_symmetric_types() -> None:
    a = ev("e", "CONSULT", ["KOR"], ["NATO"], "2024-04-01", "2024-04-05")
    b = ev("e", "CONSULT", ["person:jens-stoltenberg"], ["person:cho-tae-yul"], "2024-04-03", "2024-04-03")
    d = compare(view_of("a", a, ENTITIES), view_of("b", b, ENTITIES))
    assert d.same, d.reasons
    assert any("swapped" in r for r in d.reasons)


def test_one_way_types_do_not_fuse_when_sides_are_swapped() -> None:
    a = ev("e", "AID", ["RUS"], ["PRK"], "2024-10-01", "2024-10-31")
    b = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31")
    assert not compare(view_of("a", a), view_of("b", b)).same


def test_different_actors_or_types_or_places_do_not_fuse() -> None:
    base = ev("e", "CONSULT", ["KOR"], ["NATO"], "2024-04-01", "2024-04-05", location="place:brussels")
    other_pair = ev("e", "CONSULT", ["KOR"], ["JPN"], "2024-04-01", "2024-04-05")
    other_type = ev("e", "ACCUSE", ["KOR"], ["NATO"], "2024-04-01", "2024-04-05")
    other_place = ev("e", "CONSULT", ["KOR"], ["NATO"], "2024-04-01", "2024-04-05", location="place:seoul")
    same_country = ev("e", "CONSULT", ["KOR"], ["NATO"], "2024-04-01", "2024-04-05", location="place:antwerp")
    v = view_of("a", base, ENTITIES)
    assert "different actors" in compare(v, view_of("b", other_pair, ENTITIES)).reasons[-1]
    assert "types differ" in compare(v, view_of("b", other_type, ENTITIES)).reasons[-1]
    assert "different places" in compare(v, view_of("b", other_place, ENTITIES)).reasons[-1]
    assert compare(v, view_of("b", same_country, ENTITIES)).same


def test_conflicting_numbers_are_kept_but_wild_ones_block() -> None:
    a = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", quantities=[troops(10000, False)])
    b = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", quantities=[troops(12000, False)])
    c = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", quantities=[troops(300, False)])
    d = compare(view_of("a", a), view_of("b", b))
    assert d.same
    assert "numbers differ, kept side by side: 10,000 vs 12,000 troops" in d.reasons
    merged = merge_views(view_of("a", a), view_of("b", b))
    assert sorted(q.value for q in merged.quantities) == [10000, 12000]
    assert not compare(view_of("a", a), view_of("c", c)).same


def test_fused_date_is_the_tightest_interval() -> None:
    a = view_of("a", ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31"))
    b = view_of("b", ev("e", "AID", ["PRK"], ["RUS"], "2024-10-14", "2024-10-20"))
    c = view_of("c", ev("e", "AID", ["PRK"], ["RUS"], None, None))
    merged = merge_views(merge_views(a, c), b)
    assert (merged.start, merged.end) == (date(2024, 10, 14), date(2024, 10, 20))
    dv = fused_date([a, b, c])
    assert dv is not None and (dv.start, dv.end, dv.precision) == ("2024-10-14", "2024-10-20", "week")
    assert tightest([(date(2024, 1, 1), date(2024, 1, 2)), (date(2024, 2, 1), date(2024, 2, 2))]) is None


def test_undated_report_can_join_but_scores_lower() -> None:
    a = view_of("a", ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", contexts=["military"]))
    b = view_of("b", ev("e", "AID", ["PRK"], ["RUS"], None, None, contexts=["military"]))
    d = compare(a, b)
    assert "at least one report is undated" in d.reasons
    assert d.score < compare(a, a).score


def test_transfers_of_different_kinds_between_the_same_actors_stay_apart() -> None:
    shells = ev("e", "AID", ["PRK"], ["RUS"], "2024-09-01", "2024-10-31",
                quantities=[Quantity(1000000, "shells", True, "lebih dari satu juta peluru artileri")])
    soldiers = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31", quantities=[troops(10000)])
    undated_count = ev("e", "AID", ["PRK"], ["RUS"], "2024-10-01", "2024-10-31")
    d = compare(view_of("a", shells), view_of("b", soldiers))
    assert not d.same and d.reasons[-1] == "they count different things: materiel vs people"
    assert compare(view_of("a", shells), view_of("c", undated_count)).same  # no number: cannot tell apart


def test_undated_report_is_bounded_by_its_publication_date() -> None:
    april = view_of("a", ev("e", "ACCUSE", ["KOR"], ["RUS"], None, None, mode="disapprove"),
                    published=date(2024, 4, 6))
    october = view_of("b", ev("e", "ACCUSE", ["KOR"], ["RUS"], "2024-10-14", "2024-10-18", mode="disapprove"))
    october_undated = view_of("c", ev("e", "ACCUSE", ["KOR"], ["RUS"], None, None, mode="disapprove"),
                              published=date(2024, 10, 18))
    d = compare(april, october)
    assert not d.same and d.reasons[-1].startswith("an undated report cannot be about the other's dates")
    assert not compare(april, october_undated).same
    late_april = view_of("d", ev("e", "ACCUSE", ["KOR"], ["RUS"], "2024-04-02", "2024-04-02", mode="disapprove"))
    d = compare(april, late_april)
    assert d.same and "at least one report is undated (publication dates agree)" in d.reasons



_ROOTS = ["PRK", "RUS", "KOR", "USA"]
_TYPES = ["AID", "COOPERATE", "MOBILIZE", "CONSULT", "ACCUSE"]
_QTY = [(1500, "troops"), (10000, "troops"), (3000000, "shells")]


@st.composite
def _view(draw):  # type: ignore[no-untyped-def]
    s = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)))
    e = s + timedelta(days=draw(st.integers(0, 40)))
    dated = draw(st.booleans())
    qty = draw(st.lists(st.sampled_from(_QTY), max_size=1))
    event = ev("e", draw(st.sampled_from(_TYPES)), [draw(st.sampled_from(_ROOTS))], [draw(st.sampled_from(_ROOTS))],
               s.isoformat() if dated else None, e.isoformat() if dated else None,
               quantities=[Quantity(v, u) for v, u in qty])
    return view_of(draw(st.text(min_size=1, max_size=3)), event, published=e)


@settings(max_examples=300, deadline=None)
@given(_view(), _view())
def test_fusion_decisions_are_symmetric_and_dates_only_tighten(a, b) -> None:  # type: ignore[no-untyped-def]
    ab, ba = compare(a, b), compare(b, a)
    assert ab.same == ba.same and abs(ab.score - ba.score) < 1e-9
    if ab.same:
        m = merge_views(a, b)
        for v in (a, b):
            if v.start and m.start:
                assert v.start <= m.start and m.end <= v.end
