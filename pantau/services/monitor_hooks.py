"""What the watcher does after it ingests: match the new documents against the sanctions lists
(raising or strengthening incidents), then deliver the alerts the changes trigger."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pantau.services.store import Store

log = logging.getLogger("pantau.monitor")


def after_ingest(store: Store, document_ids: list[int]) -> None:
    """Designation matching for new documents (after fusion). A failure is logged, never fatal."""
    from pantau.services.designations import link_documents

    try:
        link_documents(store, document_ids)
    except Exception as exc:  # noqa: BLE001 - the documents are stored; matching can be rerun
        log.warning("designation matching failed (run `pantau lists match`): %s", exc)


def dispatch_alerts(store: Store) -> None:
    from pantau.services.alerts import Dispatcher

    try:
        Dispatcher(store).run_once()
    except Exception as exc:  # noqa: BLE001 - deliveries stay pending and are retried
        log.warning("alert dispatch failed: %s", exc)


def start_background(store: Store, *, polite: float = 1.0, alert_every: float = 1.0) -> Callable[[], None]:
    """Run the watcher and the alert dispatcher in daemon threads (for `pantau serve --watch`).
    Returns a function that stops them."""
    import threading

    from pantau.services.alerts import Dispatcher
    from pantau.services.watch import Watcher

    stop = threading.Event()
    watcher = Watcher(store, min_interval=polite, after_ingest=after_ingest)
    threads = [threading.Thread(target=watcher.run, kwargs={"stop": stop}, name="pantau-watch", daemon=True),
               threading.Thread(target=Dispatcher(store).run, args=(stop, alert_every), name="pantau-alerts",
                                daemon=True)]
    for t in threads:
        t.start()

    def halt() -> None:
        stop.set()
        for t in threads:
            t.join(10)
        watcher.close()

    return halt
