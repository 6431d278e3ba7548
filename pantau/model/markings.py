"""TLP 2.0 markings and their STIX 2.1 marking-definition ids (ontology.md)."""

from __future__ import annotations

from enum import StrEnum


class TLP(StrEnum):
    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER+STRICT"
    RED = "RED"

    @classmethod
    def parse(cls, value: str) -> TLP:
        v = value.strip().upper().replace("TLP:", "").replace("_", "+")
        if v == "WHITE":  # TLP 1.0 name still seen in feeds
            v = "CLEAR"
        for m in cls:
            if m.value == v:
                return m
        raise ValueError(f"unknown TLP marking {value!r}; expected one of {', '.join(m.value for m in cls)}")


TLP_IDS: dict[TLP, str] = {
    TLP.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    TLP.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    TLP.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    TLP.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    TLP.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
