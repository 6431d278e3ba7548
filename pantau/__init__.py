"""pantau: open-source monitoring of sanctions and military cooperation.

Public API:
    pantau.extract(text, published=None, language=None) -> Extraction
    pantau.Store(url)  -- the store, with the same queries as the CLI
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pantau.model import Extraction

__version__ = "0.1.0"
__all__ = ["Extraction", "Store", "__version__", "extract"]

if TYPE_CHECKING:
    from pantau.services.store import Store


def extract(text: str, published: Any = None, language: str | None = None, **kw: Any) -> Extraction:
    """Read one document's text and return its actors, dates, quantities and events."""
    from pantau.nlp.pipeline import extract as _extract

    return _extract(text, published=published, language=language, **kw)


def __getattr__(name: str) -> Any:
    if name == "Store":
        from pantau.services.store import Store

        return Store
    raise AttributeError(name)
