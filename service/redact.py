"""Keeping personal data out of logs: a filter that masks ID numbers and phones in records.

:func:`install_redaction` puts :class:`RedactingFilter` on the root logger's handlers and on the
uvicorn loggers (their access log prints request lines, which carry query strings). Anything
shaped like an 18-character ID number or an 11-digit mobile number is masked the way the pages
mask them (``110112********1234``, ``138****5678``), using the helpers of ``features.idcard``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from features.idcard import mask_id_number, mask_phone

# 17 digits and a digit or X, not inside a longer run of digits; and Chinese mobiles 1[3-9]x.
_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def redact_text(text: str) -> str:
    """``text`` with every ID number and mobile number masked."""
    if not text:
        return text
    text = _ID.sub(lambda m: mask_id_number(m.group(0).upper()), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def _redact_arg(value: Any) -> Any:
    # Keep each argument's type when it holds nothing to mask, so formatters that unpack the
    # arguments (uvicorn's access log does) and ``%d`` keep working.
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (bool, float)) or value is None:
        return value
    text = str(value)
    masked = redact_text(text)
    return value if masked == text else masked


class RedactingFilter(logging.Filter):
    """Masks ID numbers and phones in a record's message, arguments and exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops it."""
        if getattr(record, "_renggang_redacted", False):
            return True
        record._renggang_redacted = True
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        elif record.msg is not None:
            record.msg = redact_text(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(_redact_arg(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _redact_arg(v) for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
            # Handlers re-render exc_info when present: keep only the redacted text.
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


_LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "fastapi", "renggang", "httpx")


def _wrap_factory() -> None:
    # Records of any logger, caught by any handler added later (a test's capture, a library's
    # own handler), are masked at creation: filters on loggers do not see propagated records.
    factory = logging.getLogRecordFactory()
    if getattr(factory, "_renggang_redacts", False):
        return

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        _INSTALLED.filter(record)
        return record

    make_record._renggang_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(make_record)


def install_redaction() -> RedactingFilter:
    """Mask every log record at creation, and filter the root and uvicorn loggers' handlers."""
    flt = _INSTALLED
    _wrap_factory()
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        if flt not in logger.filters:
            logger.addFilter(flt)
        for handler in logger.handlers:
            if flt not in handler.filters:
                handler.addFilter(flt)
    return flt


_INSTALLED = RedactingFilter()

__all__ = ["RedactingFilter", "install_redaction", "redact_text"]
