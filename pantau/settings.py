"""Typed settings from PANTAU_* environment variables, passed explicitly (no globals)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def default_db_url() -> str:
    path = Path(user_data_dir("pantau", appauthor=False)) / "pantau.db"
    return f"sqlite:///{path}"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str = field(default_factory=default_db_url)
    max_bytes: int = 10 * 1024 * 1024
    http_timeout: float = 20.0
    user_agent: str = "pantau/0.1 (+open-source sanctions monitoring)"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict[str, object] = {}
        if env.get("PANTAU_DB_URL"):
            values["db_url"] = env["PANTAU_DB_URL"]
        if env.get("PANTAU_MAX_BYTES"):
            values["max_bytes"] = int(env["PANTAU_MAX_BYTES"])
        if env.get("PANTAU_HTTP_TIMEOUT"):
            values["http_timeout"] = float(env["PANTAU_HTTP_TIMEOUT"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
