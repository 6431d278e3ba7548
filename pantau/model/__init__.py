"""Plain data classes shared by every layer. Imports nothing else from pantau."""

from pantau.model.extraction import (
    SCHEMA,
    DateValue,
    DocumentMeta,
    Entity,
    Event,
    Evidence,
    Extraction,
    Mention,
    Quantity,
)
from pantau.model.markings import TLP, TLP_IDS

__all__ = [
    "SCHEMA",
    "TLP",
    "TLP_IDS",
    "DateValue",
    "DocumentMeta",
    "Entity",
    "Event",
    "Evidence",
    "Extraction",
    "Mention",
    "Quantity",
]
