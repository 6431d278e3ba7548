"""Scale: parallel ingest (process pool and Dask), fusion that reads only what it needs by key,
and the fusion indexes of revision scale001."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from kb_corpus import ALL, MEETING_APRIL, MEETING_JULY, TROOPS_EN, TROOPS_ID, TROOPS_ID_COPY, save

from pantau.services import kb
from pantau.services.bench import generate_corpus
from pantau.services.bench_kb import generate
from pantau.services.store import Store
from pantau.storage.kb_tables import fused_event_evidence, fusion_keys, kb_bands

SAMPLES = str(Path(__file__).resolve().parents[1] / "pantau" / "samples")


def snapshot(store: Store) -> dict[str, object]:
    """What two stores must agree on: documents (id, hash, source), events, and the fused events as
    sets of (document hash, event local id) with their grade and dates."""
    q = sa.text("SELECT d.id, d.content_hash, d.source, count(e.id) FROM documents d "
                "LEFT JOIN events e ON e.document_id = d.id GROUP BY d.id, d.content_hash, d.source ORDER BY d.id")
    fq = sa.text("SELECT f.id, f.grade, f.date_start, f.date_end, d.content_hash, e.local_id FROM fused_events f "
                 "JOIN fused_event_evidence x ON x.fused_event_id = f.id JOIN events e ON e.id = x.event_id "
                 "JOIN documents d ON d.id = e.document_id")
    with store.engine.connect() as conn:
        docs = [tuple(r) for r in conn.execute(q)]
        fused: dict[int, tuple[str, object, object, set[tuple[str, str]]]] = {}
        for fid, grade, lo, hi, h, local in conn.execute(fq):
            fused.setdefault(fid, (grade, lo, hi, set()))[3].add((h, local))
        events = conn.execute(sa.text("SELECT type, date_start, date_end, local_id FROM events ORDER BY id")).all()
    return {"documents": docs, "events": [tuple(e) for e in events],
            "fused": sorted((g, str(lo), str(hi), sorted(ks)) for g, lo, hi, ks in fused.values())}


def corpus(tmp_path: Path, n: int = 12) -> str:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for i, text in enumerate(generate_corpus(n, seed=3, size=1200)):
        (folder / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    return str(folder)


def test_pool_ingest_yields_the_same_store_as_one_process(tmp_path: Path) -> None:
    folder = corpus(tmp_path)
    with Store(f"sqlite:///{tmp_path / 'one.db'}") as one, Store(f"sqlite:///{tmp_path / 'two.db'}") as two:
        a = one.ingest([folder, SAMPLES], workers=1)
        b = two.ingest([folder, SAMPLES], workers=2)
        assert [(r.source, r.status, r.document_id) for r in a.results] == \
               [(r.source, r.status, r.document_id) for r in b.results]
        assert len(a.added) >= 17 and a.ok
        assert snapshot(one) == snapshot(two)
        assert snapshot(one)["fused"]  # fusion ran after the ingest
        again = two.ingest([folder], workers=2)  # idempotent: every text is a duplicate
        assert {r.status for r in again.results} == {"duplicate"}


def test_a_failing_extraction_in_a_worker_fails_that_document_only(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import pantau.nlp.pipeline as pipeline

    real = pipeline.extract

    def flaky(text: str, **kw: object):  # type: ignore[no-untyped-def]
        if "Vladivostok" in text:
            raise RuntimeError("model exploded")
        return real(text, **kw)

    monkeypatch.setattr(pipeline, "extract", flaky)  # pool workers are forked: they see the patch
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Rusia dan Korea Utara berlatih di lepas pantai Vladivostok pada Selasa.\n")
    (folder / "b.txt").write_text("Foreign ministers met in Jakarta on Thursday to discuss sanctions.\n")
    (folder / "c.txt").write_text("   \n")
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        rep = store.ingest([str(folder)], workers=2)
        got = {Path(r.source).name: (r.status, r.reason) for r in rep.results}
        assert got["a.txt"] == ("failed", "extraction failed (RuntimeError: model exploded)")
        assert got["b.txt"][0] == "added"
        assert got["c.txt"] == ("failed", "empty input")
        assert store.counts()["documents"] == 1


def test_dask_local_cluster_ingest_yields_the_same_store(tmp_path: Path) -> None:
    from distributed import LocalCluster

    from pantau.services.parallel import dask_executor

    folder = corpus(tmp_path, 8)
    with Store(f"sqlite:///{tmp_path / 'local.db'}") as local:
        local.ingest([folder, SAMPLES], workers=1)
        expected = snapshot(local)
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            dask_executor(cluster.scheduler_address) as ex, Store(f"sqlite:///{tmp_path / 'dask.db'}") as store:
        rep = store.ingest([folder, SAMPLES], executor=ex)
        assert rep.ok and len(rep.added) == len(expected["documents"])  # type: ignore[arg-type]
        assert snapshot(store) == expected


def test_backfill_command_on_a_local_cluster(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pantau.cli.main import build_app

    db = f"sqlite:///{tmp_path / 'b.db'}"
    res = CliRunner().invoke(build_app(), ["--db", db, "backfill", "--workers", "2", SAMPLES])
    assert res.exit_code == 0, res.output
    assert "backfilled 8 input(s): 8 added, 0 duplicate(s), 0 failed" in res.output
    with Store(db) as store:
        assert store.counts()["documents"] >= 7
    bad = CliRunner().invoke(build_app(), ["--db", db, "backfill", "--dask", "tcp://127.0.0.1:9", SAMPLES])
    assert bad.exit_code == 2 and "cannot reach the Dask scheduler 'tcp://127.0.0.1:9'" in bad.output


def _partition(store: Store) -> list[list[int]]:
    with store.engine.connect() as conn:
        groups: dict[int, list[int]] = {}
        for eid, fid in conn.execute(sa.select(fused_event_evidence.c.event_id, fused_event_evidence.c.fused_event_id)):
            groups.setdefault(fid, []).append(eid)
    return sorted(sorted(g) for g in groups.values())


def test_small_batches_fuse_exactly_as_one_big_batch(tmp_path: Path) -> None:
    """Fused events written and read back by key (batches of 25 documents) compare exactly as those
    held in memory (one batch): same groups, same near-duplicates, same incidents."""
    stores = [Store(f"sqlite:///{tmp_path / f'{n}.db'}") for n in ("big", "small")]
    try:
        for s in stores:
            generate(s.engine, 1200, seed=5)
        big = kb.fuse(stores[0], batch=10_000)
        small = kb.fuse(stores[1], batch=25)
        assert big.summary() == small.summary()
        assert big.joined > 100 and big.near_duplicates > 5
        assert _partition(stores[0]) == _partition(stores[1])
    finally:
        for s in stores:
            s.close()


def test_fusing_a_few_documents_reads_only_their_candidates(store_url: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(store_url) as store:
        generate(store.engine, 4000, seed=9)
        kb.fuse(store)
        with store.engine.connect() as conn:
            n_fused = conn.execute(sa.text("SELECT count(*) FROM fused_events")).scalar_one()
        loaded: list[int] = []
        real = kb.FusionState.load

        def counting(self, ids):  # type: ignore[no-untyped-def]
            todo = {i for i in ids if i not in self.clusters}
            loaded.extend(todo)
            return real(self, todo)

        monkeypatch.setattr(kb.FusionState, "load", counting)
        ids = [save(store, r) for r in ALL]
        rep = kb.fuse(store, documents=ids)
        assert rep.documents == 5 and rep.events == 5
        assert n_fused > 1500 and len(loaded) < n_fused / 20  # a handful of candidates, not the store


def test_migration_fills_the_indexes_of_an_existing_store(store_url: str) -> None:
    """Downgrading below scale001 drops the indexes; upgrading again fills them from the fused
    events and signatures there are, and fusion goes on from them."""
    from pantau.storage import migrate

    with Store(store_url) as store:
        for r in (TROOPS_EN, TROOPS_ID, MEETING_APRIL):
            save(store, r)
        kb.fuse(store)
        with store.engine.connect() as conn:
            keys = sorted(tuple(r) for r in conn.execute(sa.select(fusion_keys)))
            bands = sorted(tuple(r) for r in conn.execute(sa.select(kb_bands)))
        assert keys and bands
        migrate.downgrade(store.engine, "fed001")
        migrate.upgrade(store.engine)
        with store.engine.connect() as conn:
            assert sorted(tuple(r) for r in conn.execute(sa.select(fusion_keys))) == keys
            assert sorted(tuple(r) for r in conn.execute(sa.select(kb_bands))) == bands
        for r in (TROOPS_ID_COPY, MEETING_JULY):  # a copy of TROOPS_ID, found by the filled bands
            save(store, r)
        rep = kb.fuse(store)
        assert (rep.documents, rep.near_duplicates, rep.joined, rep.new_fused) == (2, 1, 1, 1)
