"""What every command shares: the settings, a lazily opened Redis client, output helpers."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import redis

from service.settings import Settings, get_settings
from service.store import connect


class CliError(Exception):
    """A refusal the user should read (in Chinese); ``status`` is the exit code."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Context:
    """The settings and a Redis client opened on first use."""

    settings: Settings
    _redis: redis.Redis | None = field(default=None, repr=False)

    @classmethod
    def from_environment(cls) -> Context:
        """A context from the process's environment."""
        return cls(get_settings())

    @property
    def redis(self) -> redis.Redis:
        """The store's client (connects, or starts the embedded server, on first use)."""
        if self._redis is None:
            self._redis = connect(self.settings)
        return self._redis

    def close(self) -> None:
        """Close the client if one was opened."""
        if self._redis is not None:
            self._redis.close()
            self._redis = None


def print_json(obj: Any) -> None:
    """One JSON object on stdout, UTF-8, Chinese as is."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")


def add_json_flag(parser: Any) -> None:
    """The ``--json`` flag every reporting command takes."""
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（供脚本和其他系统使用）")
