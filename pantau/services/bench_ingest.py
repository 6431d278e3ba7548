"""Ingest benchmarks (`pantau bench ingest`), each with its baseline measured in the same run.

1. Throughput: the same generated corpus (`bench.generate_corpus`, written as text files)
   ingested end to end (read, extract, write, fuse) into a fresh SQLite store with 1 worker
   (the baseline), with N workers (a process pool) and on a Dask `LocalCluster` of 2 worker
   processes. Wall-clock documents/s, since the point is using more cores; the machine's load
   from other processes distorts it, so the figures say how many cores were free.
2. Store size: the same 10 new documents ingested into an empty store (the baseline) and into a
   store of `large` generated events (`bench_kb.generate`, fused first), each in a fresh process,
   with that process's CPU time and peak resident memory.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

__all__ = ["IngestBench", "SizeBench", "run_throughput", "run_store_size"]


@dataclass(slots=True)
class Run:
    label: str
    documents: int
    wall_s: float
    cpu_s: float  # this process and its finished children (pool workers); not Dask's workers

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.wall_s if self.wall_s else 0.0


@dataclass(slots=True)
class IngestBench:
    documents: int
    cores: int
    runs: list[Run] = field(default_factory=list)
    load: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after the runs

    def speedup(self, run: Run) -> float:
        base = self.runs[0].docs_per_s
        return run.docs_per_s / base if base else 0.0


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _write_corpus(folder: Path, n: int, *, seed: int, offset: int = 0) -> None:
    from pantau.services.bench import generate_corpus

    for i, text in enumerate(generate_corpus(n + offset, seed=seed)[offset:]):
        (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")


def _ingest_run(label: str, folder: Path, db: Path, **kw: Any) -> Run:
    from pantau.services.store import Store

    with Store(f"sqlite:///{db}") as store:
        c0, w0 = _cpu(), time.perf_counter()
        report = store.ingest([str(folder)], **kw)
        wall, cpu = time.perf_counter() - w0, _cpu() - c0
    if not report.ok or not report.added:
        raise RuntimeError(f"{label}: ingest failed: {report.summary()}")
    return Run(label, len(report.added), wall, cpu)


def run_throughput(n: int = 200, *, workers: int = 2, dask: bool = True, seed: int = 11,
                   progress: Callable[[str], None] | None = None) -> IngestBench:
    from pantau.nlp.pipeline import extract
    from pantau.services.bench import generate_corpus
    from pantau.services.parallel import dask_executor, default_workers, extract_job

    say = progress or (lambda _m: None)
    for text in generate_corpus(5, seed=seed + 1):  # load models here; pool workers fork from this process
        extract(text)
    out = IngestBench(documents=n, cores=default_workers())
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="pantau-bench-ingest-") as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        _write_corpus(folder, n, seed=seed)
        plans: list[tuple[str, dict[str, Any]]] = [("1 worker", {"workers": 1})]
        plans += [(f"{w} workers", {"workers": w}) for w in sorted({2, workers}) if w > 1]
        for i, (label, kw) in enumerate(plans):
            say(f"ingest, {label}")
            out.runs.append(_ingest_run(label, folder, Path(tmp) / f"run{i}.db", **kw))
        if dask:
            say("ingest, Dask LocalCluster of 2 workers (starting)")
            with dask_executor(None, workers=2) as ex:
                warm = [ex.submit(extract_job, t, None, None, None, None) for t in generate_corpus(4, seed=seed + 1)]
                for f in warm:  # each worker loads its models before the clock starts
                    f.result()
                say("ingest, Dask LocalCluster of 2 workers")
                out.runs.append(_ingest_run("Dask, 2 local workers", folder, Path(tmp) / "dask.db", executor=ex))
    out.load = (load0, os.getloadavg()[0])
    return out


# -- ingest of 10 documents into an empty and a large store -----------------------------------------

@dataclass(slots=True)
class SizeRun:
    label: str
    events_before: int
    documents: int
    cpu_s: float
    wall_s: float
    peak_rss_mb: float


@dataclass(slots=True)
class SizeBench:
    setup_s: float
    runs: list[SizeRun] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.runs[1].cpu_s / self.runs[0].cpu_s if self.runs[0].cpu_s else 0.0


def _measure_ingest(db: str, folder: str, label: str) -> dict[str, Any]:
    """In a fresh process: ingest `folder` into `db`, return CPU, wall and this process's peak RSS."""
    from pantau.nlp.pipeline import extract
    from pantau.services.store import Store

    extract("Korea Utara mengirim pasukan ke Rusia pada Senin.")  # models loaded outside the clock
    with Store(db) as store:
        before = store.counts()["events"]
        c0, w0 = time.process_time(), time.perf_counter()
        report = store.ingest([folder], workers=1)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {"label": label, "events_before": before, "documents": len(report.added), "cpu_s": cpu, "wall_s": wall,
            "peak_rss_mb": rss}


def _in_fresh_process(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as ex:
        return ex.submit(fn, *args).result()


def run_store_size(large: int = 100_000, *, docs: int = 10, seed: int = 11, db_dir: str | None = None,
                   progress: Callable[[str], None] | None = None) -> SizeBench:
    from pantau.services import kb
    from pantau.services.bench_kb import generate
    from pantau.services.store import Store

    say = progress or (lambda _m: None)
    with tempfile.TemporaryDirectory(prefix="pantau-bench-size-", dir=db_dir) as tmp:
        base = Path(tmp)
        for name in ("empty", "large"):
            (base / name).mkdir()
            _write_corpus(base / name, docs, seed=seed, offset=0)
        w0 = time.perf_counter()
        say(f"generating a store of {large} events")
        with Store(f"sqlite:///{base / 'large.db'}") as store:
            generate(store.engine, large, seed=seed)
            say(f"fusing {large} events (setup, not timed)")
            kb.fuse(store)
        Store(f"sqlite:///{base / 'empty.db'}").close()
        out = SizeBench(setup_s=time.perf_counter() - w0)
        for name in ("empty", "large"):
            say(f"ingest {docs} documents into the {name} store")
            r = _in_fresh_process(_measure_ingest, f"sqlite:///{base / (name + '.db')}", str(base / name), name)
            out.runs.append(SizeRun(**r))
    return out
