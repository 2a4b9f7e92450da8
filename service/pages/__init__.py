"""Server-rendered pages in Chinese for counselors, district bureaus and partner areas.

``router`` is included by :func:`service.app.create_app`; the pages use the same stores,
matcher and audit stream as the API routes, and the same API keys (entered once on ``/login``
and kept as a session; see :mod:`service.pages.session`).
"""

from __future__ import annotations

from service.pages.routes import router

__all__ = ["router"]
