"""Admiralty grading: reliability from the registry, credibility from independent corroboration."""

import pytest

from pantau.model.kb import EvidenceLink, FusedEvent
from pantau.services.grading import PublisherRegistry, grade, stix_confidence


def link(doc: str, publisher: str | None, fact: str = "asserted", dup: str | None = None) -> EvidenceLink:
    return EvidenceLink(doc_id=doc, event_id="e1", publisher=publisher, factuality=fact, near_duplicate_of=dup)


@pytest.fixture(scope="module")
def reg() -> PublisherRegistry:
    return PublisherRegistry()


def test_registry_resolves_names_aliases_and_domains(reg: PublisherRegistry) -> None:
    assert reg.resolve("REPUBLIKA.CO.ID").id == "republika"
    assert reg.resolve("Yonhap-OANA").id == "yonhap"
    assert reg.resolve("https://www.antaranews.com/berita/123").id == "antara"
    assert reg.resolve("https://internasional.kompas.com/read/2024").id == "kompas"
    assert reg.resolve("Harian Tak Dikenal") is None
    assert reg.reliability("Harian Tak Dikenal") == "F"
    assert reg.reliability("KCNA") == "D"


def test_registry_is_editable(reg: PublisherRegistry) -> None:
    local = PublisherRegistry(overrides={"detik": "B"})
    assert local.reliability("detik.com") == "B"
    local.set_reliability("Harian Baru", "C")
    assert local.reliability("Harian Baru") == "C"
    with pytest.raises(ValueError):
        local.set_reliability("detik", "G")
    assert reg.reliability("detik.com") == "C"  # the shared default is untouched


def test_three_independent_outlets_confirm(reg: PublisherRegistry) -> None:
    g = grade([link("d1", "Yonhap"), link("d2", "Reuters"), link("d3", "Kompas")], reg)
    assert str(g) == "B1" and g.confidence == 90 and g.independent_sources == 3


def test_near_duplicates_and_same_outlet_do_not_corroborate(reg: PublisherRegistry) -> None:
    links = [link("d1", "Yonhap"), link("d2", "Detik", dup="d1"), link("d3", "Okezone", dup="d1"),
             link("d4", "Yonhap")]
    g = grade(links, reg)
    assert g.independent_sources == 1
    assert g.credibility == 3
    assert g.reliability == "B"


def test_two_independent_reports_are_probably_true(reg: PublisherRegistry) -> None:
    assert grade([link("d1", "Tempo"), link("d2", "BeritaNasional.com")], reg).credibility == 2


def test_contradiction_lowers_credibility(reg: PublisherRegistry) -> None:
    assert grade([link("d1", "Tempo"), link("d2", "Kompas"), link("d3", "KCNA", "negated")], reg).credibility == 4
    assert grade([link("d1", "Sindonews"), link("d2", "KCNA", "negated"), link("d3", "TASS", "negated")],
                 reg).credibility == 5


def test_allegation_only_is_doubtful_and_nothing_is_unjudgeable(reg: PublisherRegistry) -> None:
    assert grade([link("d1", "Okezone", "alleged")], reg).credibility == 4
    assert grade([], reg).credibility == 6
    assert grade([], reg).confidence is None


def test_unknown_publishers_count_per_document_and_grade_f(reg: PublisherRegistry) -> None:
    g = grade([link("d1", None), link("d2", None)], reg)
    assert str(g) == "F2"


@pytest.mark.parametrize(("cred", "conf"), [(1, 90), (2, 70), (3, 50), (4, 30), (5, 10), (6, None)])
def test_stix_confidence_mapping(cred: int, conf: int | None) -> None:
    assert stix_confidence(cred) == conf
    assert FusedEvent("f", "AID", [], [], credibility=cred).confidence == conf
