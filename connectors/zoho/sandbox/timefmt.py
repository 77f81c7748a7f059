"""Zoho's datetime wire format: ``yyyy-MM-ddTHH:mm:ss±HH:mm`` in the org's offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

__all__ = ["format_zoho_datetime", "parse_offset", "parse_zoho_datetime"]


def parse_offset(offset: str) -> timezone:
    """Turn ``+05:30`` into a timezone; the org offset is configurable to catch naive compares."""
    sign = -1 if offset.startswith("-") else 1
    hours, _, minutes = offset.lstrip("+-").partition(":")
    return timezone(sign * timedelta(hours=int(hours), minutes=int(minutes or 0)))


def format_zoho_datetime(epoch: float, tz: timezone) -> str:
    return datetime.fromtimestamp(int(epoch), tz).isoformat(timespec="seconds")


def parse_zoho_datetime(text: str) -> float | None:
    """ISO 8601 with offset (documented) or RFC 1123 (seen in some clients); None if neither."""
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
