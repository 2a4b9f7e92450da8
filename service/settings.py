"""Settings of the shell, read from the environment (``RENGGANG_*`` and ``REDIS_URL``).

Read them through :func:`get_settings`, never at import time; the core receives plain values.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

import platformdirs
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("renggang"))


class Settings(BaseSettings):
    """Every setting of the service; defaults follow DESIGN.md and the policy."""

    model_config = SettingsConfigDict(env_prefix="RENGGANG_", extra="ignore")

    # An external Redis; unset starts an embedded server with its data under data_dir.
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "RENGGANG_REDIS_URL")
    )
    data_dir: Path = Field(default_factory=_default_data_dir)
    # Key of the keyed hash that turns an ID number into a laborer_id; generated when unset.
    secret: str | None = None
    # Prefix of every Redis key, so that several deployments or tests can share one server.
    key_prefix: str = "rg"

    # 京人社 policy §一(一): working age is men 16–60, women 16–50, whole final year included.
    min_age: int = 16
    max_age_men: int = 60
    max_age_women: int = 50
    # A TOML file of tier rules; unset uses the one shipped in features/data/tiers.toml.
    tier_rules: Path | None = None

    # DESIGN §6: pushes a month by tier, and the floor for difficulty persons.
    quota_general: int = 1
    quota_key: int = 2
    quota_special: int = 3
    difficulty_floor: int = 2
    repeat_window_months: int = 3
    # A post takes at most this multiple of its places left in pushes per month.
    cap_multiple: float = 3.0
    batch_day: int = 1
    batch_hour: int = 2
    batch_timezone: str = "Asia/Shanghai"
    batch_chunk: int = 2000
    # The batch lock's time to live; renewed every third of it while a batch runs.
    batch_lock_ttl_ms: int = 30_000

    # Overrides of the matcher's soft-signal weights (matcher.weights.Weights), e.g. as JSON
    # in RENGGANG_MATCH_WEIGHTS='{"commute": 0.3}'; unnamed weights keep their defaults.
    match_weights: dict[str, float] = Field(default_factory=dict)

    upload_max_bytes: int = 20 * 1024 * 1024
    host: str = "127.0.0.1"
    port: int = 8000

    def resolved_secret(self) -> str:
        """The laborer-id key: the setting, else one kept in the data folder (made once)."""
        if self.secret:
            return self.secret
        path = self.data_dir / "secret.key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
        return value


@cache
def get_settings() -> Settings:
    """The process's settings, read once from the environment."""
    return Settings()
