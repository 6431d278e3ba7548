"""Event extraction on sentences written for the tests, with a small stand-in entity finder so the
rules are tested on their own (the pipeline tests run them with the real registry)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from pantau.model import DateValue, Quantity
from pantau.nlp.events import extract_events
from pantau.nlp.events_lexicon import load_lexicon, stems_of
from pantau.nlp.segment import segment

# surface form -> (id, type, affiliation)
GAZ = {
    "Korea Utara": ("PRK", "country", None), "Korut": ("PRK", "country", None),
    "North Korea": ("PRK", "country", None), "Pyongyang": ("PRK", "country", None),
    "Korea Selatan": ("KOR", "country", None), "South Korea": ("KOR", "country", None),
    "Seoul": ("KOR", "country", None), "Rusia": ("RUS", "country", None), "Russia": ("RUS", "country", None),
    "Jepang": ("JPN", "country", None), "Japan": ("JPN", "country", None), "China": ("CHN", "country", None),
    "Amerika Serikat": ("USA", "country", None), "the United States": ("USA", "country", None),
    "Washington": ("USA", "country", None), "Ukraina": ("UKR", "country", None),
    "Filipina": ("PHL", "country", None), "Uni Eropa": ("EU", "organization", None),
    "NATO": ("NATO", "organization", None), "Dewan Keamanan PBB": ("UNSC", "organization", None),
    "UN": ("UN", "organization", None),
    "Security Council": ("UNSC", "organization", None),
    "Menteri Luar Negeri Jepang": ("org:mofa-jpn", "organization", "JPN"),
    "Budi Hartono": ("person:budi-hartono", "person", "IDN"), "Park Min-jae": ("person:park-min-jae", "person", "KOR"),
    "Anna Berg": ("person:anna-berg", "person", "NATO"), "Ivan Petrov": ("person:ivan-petrov", "person", "RUS"),
    "Manila": ("place:manila", "place", None), "Laut Jepang": ("place:sea-of-japan", "place", None),
}


@dataclass
class Hit:
    start: int
    end: int
    text: str
    entity_id: str
    type: str
    metonym: bool = False


@dataclass
class Ent:
    id: str
    type: str
    affiliation: str | None


def run(text: str, language: str = "id", published: str | None = "2024-05-10", quantities=(), dates=()):
    rx = re.compile("|".join(rf"\b{re.escape(k)}\b" for k in sorted(GAZ, key=len, reverse=True)))
    hits = [Hit(m.start(), m.end(), m.group(0), *GAZ[m.group(0)][:2],
                metonym=m.group(0) in ("Seoul", "Washington", "Pyongyang"))
            for m in rx.finditer(text)]
    ents = {v[0]: Ent(*v) for v in GAZ.values()}
    pub = DateValue(published, published, "day", "text") if published else None
    return extract_events(text, segment(text), hits, language=language, published=pub,
                          entity=ents.get, quantities=list(quantities), dates=list(dates), names=hits)


def one(events, typ: str):
    found = [e for e in events if e.type == typ]
    assert len(found) == 1, [(e.type, e.source, e.target) for e in events]
    return found[0]


def test_stems_cover_indonesian_morphology() -> None:
    for w in ("mengunjungi", "kunjungan", "berkunjung", "dikunjungi"):
        assert "kunjung" in stems_of(w, "id")
    assert "meet" in stems_of("met", "en") and "deploy" in stems_of("deployed", "en")
    lex = load_lexicon("en")
    assert "on" in lex.cue("prep.target")  # YAML booleans must stay words


def test_visit_with_coordinated_source_and_location() -> None:
    evs = run("Menteri Luar Negeri Jepang mengunjungi Filipina dan bertemu Budi Hartono di Manila.")
    ev = evs[0]
    assert ev.type == "CONSULT" and ev.mode == "visit"
    assert ev.source == ["org:mofa-jpn"] and "PHL" in ev.target
    assert ev.location == "place:manila"


def test_accusation_yields_alleged_aid_with_object_control() -> None:
    evs = run("Pejabat Seoul dan Washington menuduh Korea Utara memasok rudal ke Rusia.")
    acc = one(evs, "ACCUSE")
    assert set(acc.source) == {"KOR", "USA"} and acc.target == ["PRK"]
    aid = one(evs, "AID")
    assert aid.source == ["PRK"] and aid.target == ["RUS"] and aid.factuality == "alleged"


def test_passive_voice_swaps_roles() -> None:
    ev = one(run("Korea Utara dikecam oleh Jepang dan Uni Eropa."), "ACCUSE")
    assert set(ev.source) == {"JPN", "EU"} and ev.target == ["PRK"]


def test_between_x_and_y_and_symmetric_split() -> None:
    ev = one(run("Pembicaraan antara Park Min-jae dan Anna Berg berlangsung hangat."), "CONSULT")
    assert ev.source == ["person:park-min-jae"] and ev.target == ["person:anna-berg"]


def test_reported_speech_and_pronoun() -> None:
    evs = run("Anna Berg tiba di Manila. Ia menyatakan dukungan terhadap Filipina, kata juru bicara.")
    ev = one(evs, "SUPPORT")
    assert ev.source == ["person:anna-berg"] and ev.target == ["PHL"] and ev.factuality == "reported"


@pytest.mark.parametrize("sentence, factuality", [
    ("Rusia akan mengirim pasukan ke Korea Utara.", "planned"),
    ("Rusia tidak mengirim pasukan ke Korea Utara.", "negated"),
    ("Jika situasi memburuk, Rusia mungkin mengirim pasukan ke Korea Utara.", "hypothetical"),
    ("Rusia diduga mengirim pasukan ke Korea Utara.", "alleged"),
    ("Rusia mengirim pasukan ke Korea Utara.", "asserted"),
])
def test_factuality(sentence: str, factuality: str) -> None:
    ev = one(run(sentence), "AID")
    assert ev.factuality == factuality and ev.source == ["RUS"] and ev.target == ["PRK"]


def test_troops_at_home_are_mobilize_abroad_are_aid() -> None:
    assert one(run("Korea Utara mengerahkan pasukan di perbatasan."), "MOBILIZE").mode == "troops"
    t = "Pengerahan sekitar 5.000 tentara Korea Utara ke Rusia memicu kecaman."
    q = Quantity(5000, "troops", True, "sekitar 5.000 tentara", t.index("sekitar"), t.index(" Korea"))
    ev = one(run(t, quantities=[q]), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"] and ev.quantities[0].value == 5000


def test_request_content_is_not_an_event_and_complements_are_suppressed() -> None:
    evs = run("Jepang mendesak Rusia menarik pasukan dari Ukraina dan menyerukan kerja sama NATO.")
    assert {e.type for e in evs} == {"REQUEST"}  # the withdrawal asked for is no event
    # two statements of Japan: urging Russia, and calling for NATO cooperation (not part of the first)
    assert sorted((tuple(e.source), tuple(e.target)) for e in evs) == [(("JPN",), ("NATO",)), (("JPN",), ("RUS",))]


def test_no_target_no_event_for_directed_types() -> None:
    # the only actor after the verb is far inside another clause: no AGREE with North Korea
    assert run("Jepang menyetujui perlunya upaya bersama komunitas internasional menghadapi Korea Utara.") == []
    assert run("Jepang menyetujui usulan itu.") == []


def test_veto_with_votes_targets_the_security_council() -> None:
    t = ("Rusia memveto rancangan resolusi itu pada Kamis (28/3/2024). "
         "Sebanyak 13 negara memberikan suara mendukung, sementara China abstain.")
    q = Quantity(13, "votes_for", False, "13 negara memberikan suara mendukung", t.index("13"), t.index(", sem"))
    d0 = t.index("Kamis")
    from pantau.nlp.dates import DateMention
    dm = DateMention(d0, d0 + 16, t[d0:d0 + 16], DateValue("2024-03-28", "2024-03-28", "day", "explicit"), "point")
    ev = one(run(t, quantities=[q], dates=[dm]), "REJECT")
    assert ev.mode == "veto" and ev.source == ["RUS"] and "UNSC" in ev.target
    units = {x.unit: x.value for x in ev.quantities}
    assert units["votes_for"] == 13 and units["votes_against"] == 1
    assert ev.date is not None and ev.date.start == "2024-03-28"


def test_repeats_merge_with_all_evidence_and_publication_week() -> None:
    t = ("Park Min-jae bertemu Anna Berg di Manila. Pertemuan Park Min-jae dengan NATO membahas keamanan. "
         "Rusia mengecam Jepang.")
    evs = run(t)
    ev = one(evs, "CONSULT")
    assert len(ev.evidence) == 2
    for e in ev.evidence:
        assert t[e.start:e.end] == e.text
    assert ev.date is not None and (ev.date.start, ev.date.end, ev.date.basis) == ("2024-05-04", "2024-05-10",
                                                                                   "publication")


def test_condemning_an_earlier_event_targets_its_actor() -> None:
    evs = run("Korea Utara meluncurkan rudal balistik ke Laut Jepang. Jepang mengecam peluncuran tersebut.")
    assert one(evs, "MOBILIZE").source == ["PRK"]
    acc = one(evs, "ACCUSE")
    assert acc.source == ["JPN"] and acc.target == ["PRK"]


def test_english_through_the_same_machinery() -> None:
    t = ("North Korea fired a ballistic missile on Tuesday. The launch was condemned by Japan and South Korea. "
         "Russia has sent troops to North Korea, officials said. Japan urged Russia to withdraw its troops.")
    evs = run(t, language="en")
    assert one(evs, "MOBILIZE").mode == "weapons"
    acc = one(evs, "ACCUSE")
    assert set(acc.source) == {"JPN", "KOR"} and acc.target == ["PRK"]
    aid = one(evs, "AID")
    assert aid.source == ["RUS"] and aid.target == ["PRK"] and aid.factuality == "reported"
    assert one(evs, "REQUEST").target == ["RUS"]
    assert not [e for e in evs if e.type == "RETREAT"]


def test_condemning_a_shipment_keeps_the_shipment_and_hyphenated_pairs_split() -> None:
    evs = run("Uni Eropa mengecam pengiriman senjata Korea Utara ke Rusia.")
    assert one(evs, "ACCUSE").target == ["PRK"]
    aid = one(evs, "AID")
    assert aid.source == ["PRK"] and aid.target == ["RUS"]
    acc = one(run("Jepang Kecam Kerja Sama Militer Rusia-Korut"), "ACCUSE")
    assert set(acc.target) == {"RUS", "PRK"}


def test_direct_object_beats_a_later_between_phrase() -> None:
    t = "Russia accused Washington of trying to undermine ties between Japan and North Korea."
    acc = one(run(t, language="en"), "ACCUSE")
    assert acc.source == ["RUS"] and acc.target == ["USA"]


def test_words_inside_names_are_not_triggers() -> None:
    from pantau.nlp.events_sentence import _Sent
    from pantau.nlp.events_triggers import _find_triggers
    from pantau.nlp.segment import Sentence

    t = "Pakta Pertahanan Atlantik Utara menyambut Filipina."
    name = Hit(0, 31, t[:31], "NATO", "organization")
    lex = load_lexicon("id")
    bare = _Sent(t, Sentence(0, len(t), t, 1), lex, [], str, lambda _: None)
    named = _Sent(t, Sentence(0, len(t), t, 1), lex, [name], str, lambda _: None, names=[name])
    assert [tr.spec.type for tr in _find_triggers(bare)] == ["AGREE"]  # "pakta" alone is a trigger
    assert _find_triggers(named) == []


def test_meetings_of_international_bodies_and_intended_meetings() -> None:
    ev = one(run("Dewan Keamanan PBB membahas uji coba rudal terbaru dalam sidang darurat."), "CONSULT")
    assert ev.source == ["UNSC"] and ev.target == [] and ev.mode == "multilateral"
    # a meeting someone sets out to hold has not happened: no target, no event
    assert run("Jepang berupaya untuk mengadakan pertemuan Dewan Keamanan PBB.") == []


# ---------------------------------------------------------------- round 2: reactions, designations, obstruction

def test_reaction_to_an_act_named_by_a_general_noun_targets_its_author() -> None:
    evs = run("Japan imposed sanctions on North Korea on Monday. South Korea welcomed the move.", language="en")
    sup = one(evs, "SUPPORT")
    assert sup.source == ["KOR"] and sup.target == ["JPN"]
    evs = run("Uni Eropa menjatuhkan sanksi terhadap Rusia. Filipina menyambut baik langkah tersebut.")
    sup = one(evs, "SUPPORT")
    assert sup.source == ["PHL"] and sup.target == ["EU"]


def test_rejecting_a_report_targets_whoever_issued_it() -> None:
    evs = run("Uni Eropa dalam laporannya menuduh Rusia membeli rudal dari Korea Utara. "
              "Ivan Petrov menolak laporan tersebut.")
    rej = one(evs, "REJECT")
    assert rej.source == ["person:ivan-petrov"] and rej.target == ["EU"]
    # without a report or act to refer back to there is no target, hence no event
    assert not [e for e in run("Ivan Petrov menolak laporan tersebut.") if e.type == "REJECT"]


def test_rejecting_an_accusation_named_with_its_author() -> None:
    rej = one(run("Ivan Petrov menolak tuduhan Jepang bahwa Rusia membeli rudal."), "REJECT")
    assert rej.source == ["person:ivan-petrov"] and rej.target == ["JPN"]


def test_english_designations_and_sanctions_lists() -> None:
    ev = one(run("Japan added four North Korea shipping firms to its sanctions list.", language="en"), "SANCTION")
    assert ev.source == ["JPN"] and ev.target == ["PRK"]
    ev = one(run("Korea Selatan memasukkan tiga kapal Korea Utara ke dalam daftar hitam."), "SANCTION")
    assert ev.source == ["KOR"] and ev.target == ["PRK"] and ev.factuality == "asserted"
    # "added" as a reporting verb is no designation
    assert not [e for e in run("Japan added that North Korea must stop.", language="en") if e.type == "SANCTION"]


def test_blocking_a_draft_is_a_rejection_of_the_body() -> None:
    evs = run("Russia blocked a draft Security Council statement condemning North Korea.", language="en")
    rej = one(evs, "REJECT")
    assert rej.source == ["RUS"] and rej.target == ["UNSC"]
    acc = one(evs, "ACCUSE")  # the statement condemns, not Russia
    assert acc.source == ["UNSC"] and acc.target == ["PRK"]
    # a headline verb after its subject ("Russia blocks …") is no noun
    rej = one(run("Russia blocks Security Council statement", language="en"), "REJECT")
    assert rej.source == ["RUS"]


def test_call_on_all_parties_is_a_request_without_an_actor_target() -> None:
    ev = one(run("China called on all parties to exercise restraint.", language="en"), "REQUEST")
    assert ev.source == ["CHN"] and ev.target == []
    ev = one(run("Jepang meminta semua pihak menahan diri."), "REQUEST")
    assert ev.source == ["JPN"]
    assert not run("China called for calm.", language="en")


def test_speaker_is_not_the_actor_of_a_clause_with_its_own_subject() -> None:
    evs = run("Japan said the tankers delivered oil to North Korea.", language="en")
    assert not [e for e in evs if e.type == "AID" and e.source == ["JPN"]]
    ev = one(run("Japan said it delivered oil to North Korea.", language="en"), "AID")
    assert ev.source == ["JPN"]


def test_coordinated_condemnation_after_a_complement_belongs_to_the_accuser() -> None:
    evs = run("Jepang menuduh Korea Utara memasok rudal ke Rusia dan mengecam pengiriman tersebut.")
    acc = [e for e in evs if e.type == "ACCUSE"]
    assert acc and all(e.source == ["JPN"] and e.target == ["PRK"] for e in acc)


def test_captures_are_coercion() -> None:
    ev = one(run("Ukraina captured two North Korea soldiers near Kursk.", language="en"), "COERCE")
    assert ev.source == ["UKR"] and ev.target == ["PRK"]


def test_diplomatic_protest_to_a_state_is_an_accusation() -> None:
    ev = one(run("Jepang menyampaikan protes keras kepada Korea Utara atas uji coba itu."), "ACCUSE")
    assert ev.source == ["JPN"] and ev.target == ["PRK"] and ev.mode == "disapprove"
    ev = one(run("Ribuan warga Seoul berunjuk rasa di depan kedutaan."), "PROTEST")
    assert ev.mode == "demo"


def test_indonesian_agent_nouns_are_no_happenings() -> None:
    evs = run("Korea Utara memasok rudal dan peluncurnya kepada Rusia.")
    assert [e.type for e in evs] == ["AID"]
    assert [e.type for e in run("Korea Utara melakukan peluncuran rudal balistik.")] == ["MOBILIZE"]


def test_english_reduced_relative_accused_of_is_no_accusation() -> None:
    evs = run("Japan froze the assets of three traders accused of selling oil to North Korea.", language="en")
    assert not [e for e in evs if e.type == "ACCUSE"]
    ev = one(run("Japan accused North Korea of selling oil.", language="en"), "ACCUSE")
    assert ev.source == ["JPN"] and ev.target == ["PRK"]


def test_sanctions_on_unnamed_firms_target_the_state_they_serve() -> None:
    ev = one(run("Japan imposed sanctions on two trading firms that shipped oil to North Korea.", language="en"),
             "SANCTION")
    assert ev.source == ["JPN"] and ev.target == ["PRK"]


def test_a_denial_answers_the_latest_accusation_against_the_speaker() -> None:
    evs = run("Jepang menuduh Rusia membeli rudal dari Korea Utara. Rusia membantah telah membeli senjata.")
    rej = one(evs, "REJECT")
    assert rej.source == ["RUS"] and rej.target == ["JPN"]
    assert not [e for e in run("Rusia membantah telah membeli senjata.") if e.type == "REJECT"]


def test_the_vote_stays_the_act_of_the_body() -> None:
    evs = run("The Security Council adopted a resolution condemning North Korea in a vote on Friday. "
              "Russia and China voted against it. Japan welcomed the vote.", language="en")
    sup = one(evs, "SUPPORT")
    assert sup.source == ["JPN"] and sup.target == ["UNSC"]


def test_a_report_named_with_its_author_is_rejected_as_the_authors() -> None:
    evs = run("Uni Eropa dalam laporan terbarunya menyatakan Korea Utara mengirim rudal ke Rusia. "
              "Menurut laporan itu, Rusia membayar dengan minyak. Ivan Petrov menolak laporan tersebut.")
    rej = one(evs, "REJECT")
    assert rej.target == ["EU"]


def test_arriving_for_a_visit_is_a_visit_under_way() -> None:
    ev = one(run("Ivan Petrov tiba di Manila untuk kunjungan resmi ke Filipina."), "CONSULT")
    assert ev.factuality == "asserted" and ev.target == ["PHL"]
    ev = one(run("Ivan Petrov akan terbang ke Manila untuk kunjungan resmi ke Filipina."), "CONSULT")
    assert ev.factuality == "planned"


def test_an_act_noun_as_subject_speaks_for_its_issuer() -> None:
    evs = run("The Security Council adopted a resolution condemning North Korea. "
              "The resolution, drafted by Japan and backed by the United States, urges Russia to stop.",
              language="en")
    req = one(evs, "REQUEST")
    assert req.source == ["UNSC"] and req.target == ["RUS"]
    evs = run("Dewan Keamanan PBB mengesahkan resolusi yang mengecam Korea Utara. "
              "Resolusi tersebut mendesak Rusia menghentikan kerja sama.")
    req = one(evs, "REQUEST")
    assert req.source == ["UNSC"] and req.target == ["RUS"]


def test_a_street_protest_against_an_act_targets_its_actors() -> None:
    ev = one(run("Ribuan warga Seoul berunjuk rasa menentang kerja sama militer Rusia dan Korea Utara."), "PROTEST")
    assert set(ev.target) == {"RUS", "PRK"}


def test_fronted_adverbial_clause_takes_the_main_subject() -> None:
    ev = one(run("Dengan mengirim ribuan tentara ke Rusia, Korea Utara mempertaruhkan hubungannya dengan China."), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"]
    ev = one(run("After shipping artillery shells to Russia, North Korea asked Moscow for oil.", language="en"), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"]


def test_receiving_goods_from_a_state_is_aid_from_that_state() -> None:
    ev = one(run("Korea Utara menerima pasokan minyak dari Rusia lewat transfer antarkapal."), "AID")
    assert ev.source == ["RUS"] and ev.target == ["PRK"]
    ev = one(run("North Korea received refined oil from Russia.", language="en"), "AID")
    assert ev.source == ["RUS"] and ev.target == ["PRK"]
    assert not run("Japan received a letter from China.", language="en")


def test_ship_to_ship_transfers_to_a_state_are_aid() -> None:
    ev = one(run("Rusia melakukan transfer antarkapal ke kapal tanker Korea Utara di Laut Jepang."), "AID")
    assert ev.source == ["RUS"] and ev.target == ["PRK"]
    ev = one(run("Russia conducted ship-to-ship transfers of oil to North Korea.", language="en"), "AID")
    assert ev.source == ["RUS"] and ev.target == ["PRK"]


def test_sanction_target_fallback_stops_at_the_speaker() -> None:
    evs = run("Japan imposed sanctions on two trading firms, officials said, after talks with Russia.", language="en")
    assert not [e for e in evs if e.type == "SANCTION"]
    ev = one(run("China's talks with Russia ended on Friday.", language="en"), "CONSULT")
    assert set(ev.source + ev.target) == {"CHN", "RUS"}


def test_sanctions_after_a_modified_noun_phrase_and_arms_transfers_are_nouns() -> None:
    evs = run("Uni Eropa imposed a fresh round of sanctions on North Korea officials involved in arms transfers "
              "to Russia.", language="en")
    assert [(e.type, e.source, e.target) for e in evs] == [("SANCTION", ["EU"], ["PRK"])]
    ev = one(run("Uni Eropa menjatuhkan paket sanksi baru terhadap Rusia."), "SANCTION")
    assert ev.source == ["EU"] and ev.target == ["RUS"]


def test_a_lodged_protest_is_an_accusation_but_a_bare_protest_noun_is_not() -> None:
    ev = one(run("Japan lodged a formal protest with China over the incident.", language="en"), "ACCUSE")
    assert ev.source == ["JPN"] and ev.target == ["CHN"]
    assert not [e for e in run("Japan saw a protest near China's embassy.", language="en") if e.type == "ACCUSE"]


def test_thanks_and_overseen_launches() -> None:
    ev = one(run("Ivan Petrov thanked North Korea for its support.", language="en"), "SUPPORT")
    assert ev.source == ["person:ivan-petrov"] and ev.target == ["PRK"]
    ev = one(run("Ivan Petrov mengucapkan terima kasih kepada Korea Utara."), "SUPPORT")
    assert ev.target == ["PRK"]
    ev = one(run("Park Min-jae oversaw the test-firing of a new cruise missile.", language="en"), "MOBILIZE")
    assert ev.source == ["person:park-min-jae"]


def test_a_vetoed_or_blocked_text_targets_its_proposers_too() -> None:
    ev = one(run("Rusia memveto rancangan resolusi yang diajukan Jepang dan Korea Selatan."), "REJECT")
    assert set(ev.target) == {"JPN", "KOR", "UNSC"}
    ev = one(run("Russia blocked a Security Council statement proposed by Japan.", language="en"), "REJECT")
    assert set(ev.target) == {"UNSC", "JPN"}


def test_a_designation_of_unnamed_ships_takes_the_state_served_from_the_next_sentence() -> None:
    evs = run("Jepang memasukkan tiga kapal tanker ke dalam daftar hitam. "
              "Kapal-kapal tersebut mengangkut batu bara ke Korea Utara.")
    ev = one(evs, "SANCTION")
    assert ev.source == ["JPN"] and ev.target == ["PRK"]
    evs = run("Japan added three tankers to its sanctions list. The vessels carried coal to North Korea.",
              language="en")
    assert one(evs, "SANCTION").target == ["PRK"]
    # a next sentence that does not refer back to them gives no target
    evs = run("Jepang memasukkan tiga kapal ke dalam daftar hitam. Pasar menuju Korea Utara ramai.")
    assert not [e for e in evs if e.type == "SANCTION"]


def test_english_subject_of_a_light_verb_is_no_possessor() -> None:
    ev = one(run("Japan and South Korea held talks in Manila.", language="en"), "CONSULT")
    assert {ev.source[0], *ev.target} == {"JPN", "KOR"}


def test_a_summoned_ambassador_is_the_target_of_the_protest() -> None:
    ev = one(run("South Korea summoned the Russia ambassador over the treaty.", language="en"), "ACCUSE")
    assert ev.source == ["KOR"] and ev.target == ["RUS"]


def test_a_denial_of_an_act_does_not_target_the_acts_recipient() -> None:
    assert not [e for e in run("North Korea denied supplying weapons to Russia.", language="en")
                if e.type == "REJECT"]
    evs = run("Japan accused North Korea of supplying weapons to Russia. North Korea denied supplying weapons.",
              language="en")
    rej = one(evs, "REJECT")
    assert rej.source == ["PRK"] and rej.target == ["JPN"]



def test_a_rejection_in_the_un_and_in_its_security_council_is_one_happening() -> None:
    evs = run("Russia blocks UN statement on launch. Russia on Friday blocked a Security Council statement "
              "proposed by Japan.", language="en")
    assert len([e for e in evs if e.type == "REJECT"]) == 1


def test_coordinated_statements_are_two_requests() -> None:
    evs = run("China called for restraint and urged all parties to return to talks.", language="en")
    assert [(e.type, e.source) for e in evs] == [("REQUEST", ["CHN"])]


def test_soldiers_of_a_state_sent_somewhere_are_sent_by_that_state() -> None:
    ev = one(run("Some 5,000 North Korea soldiers had been sent to Russia.", language="en"), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"]
    ev = one(run("Sekitar 5.000 tentara Korea Utara telah dikirim ke Rusia."), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"]
    # a country that is not the owner of the materiel stays the target of a passive
    ev = one(run("Korea Utara dikecam oleh Jepang."), "ACCUSE")
    assert ev.source == ["JPN"] and ev.target == ["PRK"]


def test_buying_materiel_from_a_state_is_aid_from_it() -> None:
    ev = one(run("Rusia membeli jutaan peluru artileri dari Korea Utara."), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"]
    ev = one(run("Russia bought North Korea ballistic missiles.", language="en"), "AID")
    assert ev.source == ["PRK"] and ev.target == ["RUS"]


def test_a_by_ing_means_clause_is_done_by_the_accused() -> None:
    evs = run("Japan accused Russia of breaking UN sanctions by buying North Korea missiles.", language="en")
    aid = one(evs, "AID")
    assert aid.source == ["PRK"] and aid.target == ["RUS"] and aid.factuality == "alleged"


def test_a_rejected_claim_is_the_accusation_against_the_speaker() -> None:
    evs = run("Japan accused Russia of buying missiles. North Korea sent missiles to Russia. "
              "Ivan Petrov dismissed the claims.", language="en")
    assert one(evs, "REJECT").target == ["JPN"]


def test_coordinated_threat_shares_the_condemned_target() -> None:
    evs = run("Korea Utara mengecam Jepang dan mengancam akan mengambil tindakan balasan.")
    thr = one(evs, "THREATEN")
    assert thr.source == ["PRK"] and thr.target == ["JPN"]


def test_rejecting_an_offer_targets_who_made_it() -> None:
    ev = one(run("Korea Utara menolak tawaran dialog dari Korea Selatan."), "REJECT")
    assert ev.source == ["PRK"] and ev.target == ["KOR"]
    ev = one(run("North Korea rejected an offer of talks from South Korea.", language="en"), "REJECT")
    assert ev.target == ["KOR"]
    # a denial of using weapons "from" a state does not target that state
    assert not [e for e in run("Rusia membantah memakai rudal dari Korea Utara.") if e.type == "REJECT"]


def test_starting_joint_drills_is_cooperation() -> None:
    ev = one(run("Korea Selatan dan Amerika Serikat memulai latihan militer gabungan di Laut Kuning."), "COOPERATE")
    assert {ev.source[0], *ev.target} == {"KOR", "USA"}


def test_arriving_for_talks_with_someone_is_a_meeting() -> None:
    ev = one(run("Ivan Petrov arrived in Manila on Friday for talks with Park Min-jae.", language="en"), "CONSULT")
    assert ev.source == ["person:ivan-petrov"] and ev.target == ["person:park-min-jae"]


def test_killing_soldiers_of_a_state_is_an_assault_on_it() -> None:
    ev = one(run("Ukraina said its forces had killed dozens of North Korea soldiers near Kursk.", language="en"),
             "ASSAULT")
    assert ev.source == ["UKR"] and ev.target == ["PRK"]
    ev = one(run("Pasukan Ukraina menewaskan puluhan tentara Korea Utara."), "ASSAULT")
    assert ev.source == ["UKR"] and ev.target == ["PRK"]
