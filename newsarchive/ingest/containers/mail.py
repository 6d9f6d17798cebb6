"""Newsletters (``.eml`` messages and ``.mbox`` mailboxes) and MHTML single-file pages.

A message is one story: its HTML part (else its text part), with the subject as the
headline, the sender as the byline and the Date header as the date. A digest (a
``multipart/digest``, or a message carrying forwarded ``message/rfc822`` parts) is one
story per enclosed message. Parsing is Python's ``email`` package.

An mbox is split into messages while it streams, line by line; a message is kept only up
to the size limit of one story (a 50 MB attachment is cut off, with a warning: the text
parts come first), so memory stays bounded whatever the mailbox holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import IO

from newsarchive.ingest.containers import HTML, TEXT, Broken, Entry, Fields, Item, Limits, Skipped, read_whole

_FROM_LINE = re.compile(rb"^From (?:\S+|\"[^\"]*\")\s")


def read_mail(path: Path, limits: Limits) -> Iterator[Entry]:
    """Every story of an ``.eml`` file or an mbox (a file whose first line is "From ...")."""
    with path.open("rb") as handle:
        first = handle.readline()
        handle.seek(0)
        if _FROM_LINE.match(first):
            yield from _mailbox(handle, limits)
            return
    data = read_whole(path, limits)
    if isinstance(data, Broken):
        yield data
        return
    yield from stories_of(data, "", limits, truncated=False)


def _mailbox(handle: IO[bytes], limits: Limits) -> Iterator[Entry]:
    for number, (data, truncated) in enumerate(split_mbox(handle, limits.item_bytes), start=1):
        yield from stories_of(data, str(number), limits, truncated)


def split_mbox(handle: IO[bytes], limit: int) -> Iterator[tuple[bytes, bool]]:
    """Each message of an mbox (at most ``limit`` bytes of it) and whether it was cut off."""
    lines: list[bytes] = []
    size, truncated, previous_blank = 0, False, True
    for line in handle:
        if previous_blank and _FROM_LINE.match(line):
            if lines:
                yield b"".join(lines), truncated
            lines, size, truncated = [], 0, False
        elif size + len(line) <= limit:
            lines.append(line[1:] if line.startswith(b">From ") else line)
            size += len(line)
        else:
            truncated = True
        previous_blank = not line.strip()
    if lines:
        yield b"".join(lines), truncated


def stories_of(data: bytes, number: str, limits: Limits, truncated: bool) -> Iterator[Entry]:
    """The story or stories of one message."""
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    name = _message_name(message, number)
    enclosed = list(enclosed_messages(message))
    if enclosed:
        for index, inner in enumerate(enclosed, start=1):
            yield story_of(inner, f"{name}/{index}", truncated)
        return
    yield story_of(message, name, truncated)


def _message_name(message: Message, number: str) -> str:
    return str(message.get("Message-ID") or "").strip("<> ") or number


def enclosed_messages(message: EmailMessage) -> Iterator[EmailMessage]:
    """The messages a digest holds (``message/rfc822`` parts)."""
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            for inner in part.iter_parts() if isinstance(part, EmailMessage) else ():
                if isinstance(inner, EmailMessage):
                    yield inner


def story_of(message: EmailMessage, name: str, truncated: bool) -> Entry:
    fields = Fields(
        title=header(message, "Subject"),
        author=sender(message),
        published=header_time(message),
        url=header(message, "Archived-At").strip("<>"),
    )
    warnings = ("the message was cut off at the size limit (an attachment?)",) if truncated else ()
    for kind, subtype in ((HTML, "html"), (TEXT, "plain")):
        body = message.get_body(preferencelist=(subtype,))
        if body is not None and body.get_content_type() == f"text/{subtype}":
            payload = body.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                charset = body.get_content_charset() or ""
                return Item(name, payload, kind, fields, charset=charset, warnings=warnings)
    return Skipped(name, "the message has no text or HTML part")


def header(message: Message, name: str) -> str:
    """A header's value unfolded (a long value is written over several lines)."""
    return " ".join(str(message.get(name) or "").split())


def sender(message: Message) -> str:
    addresses = getaddresses([str(message.get("From") or "")])
    return ", ".join(display for display, _ in addresses if display)


def header_time(message: Message) -> datetime | None:
    value = str(message.get("Date") or "")
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None


def read_mhtml(path: Path, limits: Limits) -> Iterator[Entry]:
    """A page saved as one file (MHTML): its HTML part, with the page's URL and save time."""
    data = read_whole(path, limits)
    if isinstance(data, Broken):
        yield data
        return
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    location = header(message, "Snapshot-Content-Location")
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        url = location or header(part, "Content-Location")
        fields = Fields(
            url=url if url.startswith(("http://", "https://")) else "", captured=header_time(message)
        )
        yield Item(url or path.stem, payload, HTML, fields, charset=part.get_content_charset() or "")
        return
    yield Broken("", "not an MHTML page: no HTML part")
