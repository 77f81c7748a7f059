"""Transforms of a note's title, for CRMs whose notes have a title and a body but no channel
or time field (Zoho Notes): the title carries the follow-up's channel and time."""

from __future__ import annotations

import re
from datetime import datetime

from canonical import CanonicalRecord, FeedbackChannel
from canonical.text import clean_whitespace
from mapping.context import JsonValue, TransformContext
from mapping.transform_registry import as_text, register

__all__: list[str] = []  # registers its transforms; nothing to import by name


# A follow-up's channel and time as a note title, for CRMs whose notes have a title and a
# body but no channel or time field (Zoho Notes): "电话 · 2025-05-12 09:00:00", or either part.
_NOTE_SEPARATOR = " · "
_NOTE_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?")


def _note_heading(record: CanonicalRecord, ctx: TransformContext) -> JsonValue:
    subject = getattr(record, "subject", None)
    if subject:
        return str(subject)
    parts: list[str] = []
    channel = getattr(record, "channel", None)
    if channel is not None:
        parts.append(channel.label_zh)
    received = getattr(record, "received_at", None)
    if received is not None:
        local = received.astimezone(ctx.timezone).replace(tzinfo=None)
        spec = "milliseconds" if local.microsecond else "seconds"
        parts.append(local.isoformat(sep=" ", timespec=spec))
    return _NOTE_SEPARATOR.join(parts) or None


@register(
    "note_title",
    produces=(str,),
    reverse_record=_note_heading,
    uses=("subject", "channel", "received_at"),
    on_invalid="keep_raw",
)
def _note_title(value: JsonValue, ctx: TransformContext) -> str | None:
    """A note's title; written from the subject, else from the channel and time."""
    return clean_whitespace(as_text(value)) or None


def _note_parts(value: JsonValue) -> tuple[FeedbackChannel | None, str | None]:
    """The channel and time of a title ``note_title`` wrote; (None, None) for other titles."""
    parts = clean_whitespace(as_text(value)).split(_NOTE_SEPARATOR.strip())
    parts = [part.strip() for part in parts]
    channel: FeedbackChannel | None = None
    moment: str | None = None
    for part in parts:
        if _NOTE_TIME.fullmatch(part) and moment is None:
            moment = part
            continue
        try:
            found = FeedbackChannel.parse(part)
        except ValueError:
            return None, None  # a title of a person's own words
        if channel is not None:
            return None, None
        channel = found
    return channel, moment


@register("note_channel", produces=(FeedbackChannel,))
def _note_channel(value: JsonValue, ctx: TransformContext) -> FeedbackChannel | None:
    """The channel of a title written by ``note_title`` ("电话 · ..."); None for others."""
    return _note_parts(value)[0]


@register("note_time", produces=(datetime,))
def _note_time(value: JsonValue, ctx: TransformContext) -> datetime | None:
    """The time of a title written by ``note_title`` (in the job's timezone); None for others."""
    moment = _note_parts(value)[1]
    return None if moment is None else datetime.fromisoformat(moment).replace(tzinfo=ctx.timezone)
