"""Extraction on many cores (a process pool) or many machines (a Dask cluster), one writer.

Extraction is pure and most of ingest's CPU, so it runs in workers while the calling process
reads inputs and writes each document in its own transaction (`ingest.write_item`), in input
order: the store, its document ids and its audit chain are the same as a one-process ingest.
At most `window` documents are in flight, so memory stays flat on any corpus size.

Any `concurrent.futures.Executor` works: a `ProcessPoolExecutor` for `--workers N`, the
executor of a `dask.distributed.Client` for `--dask ADDRESS` (see `dask_executor`).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pantau.model.extraction import Extraction
from pantau.services.records import Item

__all__ = ["DocRate", "Extracted", "default_workers", "extract_job", "extract_all", "pool", "dask_executor"]

T = TypeVar("T")


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_job(text: str, published: str | None, language: str | None, title: str | None,
                url: str | None) -> Extraction | str:
    """Extract one document in a worker; a failure comes back as its message (never raised, so
    one bad document does not stop the run)."""
    from pantau.nlp import pipeline

    try:
        return pipeline.extract(text, published=published, language=language, title=title, url=url)
    except Exception as exc:  # noqa: BLE001 - reported per document by the writer
        return f"extraction failed ({type(exc).__name__}: {exc})"


@dataclass(slots=True)
class Extracted(Generic[T]):
    """One input passed through: `item` was extracted (`extraction` or `error`) unless it is None."""

    tag: T
    item: Item | None
    extraction: Extraction | None = None
    error: str | None = None


def extract_all(stream: Iterable[tuple[T, Item | None]], executor: Executor | None, *,
                window: int = 64) -> Iterator[Extracted[T]]:
    """Extract the items of `stream` on `executor` (None: here, one at a time) and yield them in
    the order they came, with their tags; a None item passes through (a tag-only marker). At
    most `window` extractions are in flight."""
    pending: deque[tuple[T, Item | None, Future[Any] | None]] = deque()

    def done(tag: T, item: Item | None, fut: Future[Any] | None) -> Extracted[T]:
        if fut is None:
            return Extracted(tag, item)
        try:
            got = fut.result()
        except Exception as exc:  # noqa: BLE001 - a worker died or the cluster went away
            got = f"extraction failed ({type(exc).__name__}: {exc})"
        if isinstance(got, str):
            return Extracted(tag, item, error=got)
        return Extracted(tag, item, extraction=got)

    for tag, item in stream:
        if item is None:
            if not pending:
                yield Extracted(tag, item)
            else:
                pending.append((tag, item, None))
            continue
        args = (item.text, item.published, item.language, item.title, item.url)
        if executor is None:
            got = extract_job(*args)
            yield Extracted(tag, item, error=got) if isinstance(got, str) else Extracted(tag, item, extraction=got)
            continue
        pending.append((tag, item, executor.submit(extract_job, *args)))
        while len(pending) >= window or (pending and pending[0][2] is None):
            yield done(*pending.popleft())
    while pending:
        yield done(*pending.popleft())


class DocRate:
    """Documents done and documents per second since the first, for a progress line."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.done = 0

    def tick(self) -> str:
        self.done += 1
        return f"{self.done} documents, {self.rate():.1f} documents/s"

    def rate(self) -> float:
        secs = time.perf_counter() - self.start
        return self.done / secs if secs > 0 else 0.0


@contextmanager
def pool(workers: int) -> Iterator[Executor | None]:
    """A process pool of `workers` (None for one: extraction in this process)."""
    if workers <= 1:
        yield None
        return
    ex = ProcessPoolExecutor(max_workers=workers)
    try:
        yield ex
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def dask_executor(address: str | None = None, *, workers: int = 2) -> AbstractContextManager[Executor]:
    """An executor on a Dask distributed cluster: the scheduler at `address` (e.g.
    tcp://scheduler:8786; its workers must have pantau installed), or a `LocalCluster` of
    `workers` processes when None."""
    return _dask(address, workers)


@contextmanager
def _dask(address: str | None, workers: int) -> Iterator[Executor]:
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a dependency of pantau
        raise RuntimeError("Dask backfills need the 'distributed' package") from exc

    cluster = None
    if address is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(address, timeout=30)
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
