"""``renggang serve [--host 127.0.0.1] [--port 8000]``: the HTTP service under uvicorn."""

from __future__ import annotations

import argparse
from typing import Any

from service.cli.base import Context
from service.settings import Settings


def serve(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve the app of ``settings`` with uvicorn until interrupted."""
    import uvicorn

    from service.app import create_app
    from service.redact import install_redaction

    install_redaction()
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=False,
    )


def _run(ctx: Context, args: argparse.Namespace) -> int:
    serve(ctx.settings, args.host, args.port)
    return 0


def register(sub: Any) -> None:
    """Add ``serve``."""
    p = sub.add_parser("serve", help="启动 HTTP 服务")
    p.add_argument("--host", default=None, help="监听地址（默认 127.0.0.1）")
    p.add_argument("--port", type=int, default=None, help="端口（默认 8000）")
    p.set_defaults(run=_run)
