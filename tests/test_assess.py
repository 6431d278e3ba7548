"""Sanctions assessment: fused events against the UN provisions on the DPRK."""

from pantau.services.assess import Subject, assess, provisions


def ids(matches) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.provision.id for m in matches}


def test_provisions_are_well_formed() -> None:
    provs = provisions()
    assert len({p.id for p in provs}) == len(provs)
    by_id = {p.id: p for p in provs}
    assert by_id["unscr-1874-9"].paragraph == "9"
    assert by_id["unscr-1718-8a"].paragraph == "8(a)"
    assert by_id["unscr-2397-5"].title == "possible violation of UNSCR 2397 para 5"
    for p in provs:
        assert p.patterns, p.id
        assert p.paragraph == "?" or p.paragraph[0].isdigit()


def test_troops_sent_to_russia_match_arms_export_provisions() -> None:
    s = Subject(types=frozenset({"AID"}), source_roots=frozenset({"PRK"}), target_roots=frozenset({"RUS"}),
                contexts=frozenset({"military"}), units=frozenset({"troops"}),
                texts=["Korea Utara mengirim sekitar 10.000 tentara untuk membantu Rusia."])
    found = assess(s)
    assert {"unscr-1874-9", "unscr-2270-9"} <= ids(found)
    m = next(m for m in found if m.provision.id == "unscr-1874-9")
    assert "source PRK" in m.reasons and "quantity in troops" in m.reasons


def test_arms_to_the_dprk_match_the_other_direction() -> None:
    s = Subject(types=frozenset({"AID"}), source_roots=frozenset({"RUS"}), target_roots=frozenset({"PRK"}),
                texts=["Russia reportedly supplied air defense systems to Pyongyang."])
    found = ids(assess(s))
    assert "unscr-1874-10" in found and "unscr-1718-8a" in found
    assert "unscr-1874-9" not in found


def test_ship_to_ship_transfer_and_petroleum() -> None:
    sts = Subject(types=frozenset({"COOPERATE"}), source_roots=frozenset({"CHN"}), target_roots=frozenset({"PRK"}),
                  texts=["Dua kapal tanker terlihat melakukan transfer antarkapal di Laut Kuning."])
    assert "unscr-2375-11" in ids(assess(sts))
    oil = Subject(types=frozenset({"AID"}), source_roots=frozenset({"RUS"}), target_roots=frozenset({"PRK"}),
                  units=frozenset({"barrels"}), texts=["Moscow shipped over a million barrels of oil."])
    assert {"unscr-2397-5"} <= ids(assess(oil))


def test_missile_launch_matches_test_ban() -> None:
    s = Subject(types=frozenset({"MOBILIZE"}), source_roots=frozenset({"PRK"}), target_roots=frozenset(),
                mode="weapons", contexts=frozenset({"cbrn"}),
                texts=["Pyongyang meluncurkan rudal balistik antarbenua ke Laut Jepang."])
    assert {"unscr-1718-2", "unscr-1874-2"} <= ids(assess(s))


def test_look_alikes_do_not_match() -> None:
    meeting = Subject(types=frozenset({"CONSULT"}), source_roots=frozenset({"KOR"}), target_roots=frozenset({"NATO"}),
                      texts=["Menteri luar negeri Korea Selatan bertemu Sekjen NATO membahas ancaman rudal."])
    assert assess(meeting) == []
    other_pair = Subject(types=frozenset({"AID"}), source_roots=frozenset({"USA"}), target_roots=frozenset({"UKR"}),
                         units=frozenset({"shells"}), texts=["Washington sent artillery shells to Kyiv."])
    assert assess(other_pair) == []
    denied = Subject(types=frozenset({"AID"}), source_roots=frozenset({"PRK"}), target_roots=frozenset({"RUS"}),
                     units=frozenset({"troops"}), factualities=frozenset({"negated"}))
    assert assess(denied) == []


def test_keywords_need_word_starts() -> None:
    s = Subject(types=frozenset({"AID"}), source_roots=frozenset({"PRK"}), target_roots=frozenset({"RUS"}),
                texts=["The harmsworth foundation donated books."])
    assert "unscr-1874-9" not in ids(assess(s))
