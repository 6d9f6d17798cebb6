"""Saved pages wrapped in the containers collectors use: WARC, RSS, Atom, JSON Feed,
news-please JSON Lines, MHTML and mbox (for tests and benchmarks)."""

from __future__ import annotations

import json
import mailbox
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

CAPTURED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Page:
    """A saved page and what a collector's tool would state of it."""

    name: str
    url: str
    data: bytes  # the page as saved
    html: str  # the page decoded
    title: str = ""
    author: str = ""
    published: datetime | None = None
    text: str = ""  # the story as text (one paragraph a line), as a scraper exports it


def _attr(text: str) -> str:
    return escape(_XML_INVALID.sub("", text), {'"': "&quot;"})


def _cdata(text: str) -> str:
    return "<![CDATA[" + _XML_INVALID.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def warc(pages: Iterable[Page], path: Path, extra: Iterable[tuple[str, str, bytes, str]] = ()) -> Path:
    """A gzipped WARC of every page as an HTTP response; ``extra`` adds (url, status,
    payload, content type) responses such as stylesheets and redirects."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stamp = CAPTURED.strftime("%Y-%m-%dT%H:%M:%SZ")
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.suffix == ".gz")
        records = [(p.url, "200 OK", p.data, "text/html") for p in pages] + list(extra)
        for url, status, payload, media in records:
            headers = [("Content-Type", media)]
            if status.startswith("3"):
                headers.append(("Location", url + "moved/"))
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(payload),
                http_headers=http,
                warc_headers_dict={"WARC-Date": stamp},
            )
            writer.write_record(record)
    return path


def rss(pages: Iterable[Page], path: Path) -> Path:
    items = []
    for page in pages:
        fields = [
            f"<title>{_attr(page.title)}</title>",
            f"<link>{_attr(page.url)}</link>",
            f"<guid>{_attr(page.url)}</guid>",
        ]
        if page.author:
            fields.append(f"<dc:creator>{_attr(page.author)}</dc:creator>")
        if page.published:
            fields.append(f"<pubDate>{format_datetime(_aware(page.published))}</pubDate>")
        fields.append(f"<content:encoded>{_cdata(page.html)}</content:encoded>")
        items.append("<item>" + "".join(fields) + "</item>")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<channel><title>Wrapped</title><link>https://example.org/</link>{''.join(items)}</channel></rss>",
        encoding="utf-8",
    )
    return path


def atom(pages: Iterable[Page], path: Path) -> Path:
    entries = []
    for page in pages:
        fields = [
            f"<title>{_attr(page.title)}</title>",
            f'<link href="{_attr(page.url)}"/>',
            f"<id>{_attr(page.url)}</id>",
        ]
        if page.author:
            fields.append(f"<author><name>{_attr(page.author)}</name></author>")
        when = (page.published or CAPTURED).isoformat()
        fields.append(f"<published>{when}</published><updated>{when}</updated>")
        fields.append(f'<content type="html">{_attr(page.html)}</content>')
        entries.append("<entry>" + "".join(fields) + "</entry>")
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Wrapped</title><id>urn:wrapped</id><updated>{CAPTURED.isoformat()}</updated>"
        f"{''.join(entries)}</feed>",
        encoding="utf-8",
    )
    return path


def json_feed(pages: Iterable[Page], path: Path) -> Path:
    items = []
    for page in pages:
        item: dict[str, object] = {
            "id": page.url,
            "url": page.url,
            "title": page.title,
            "content_html": page.html,
        }
        if page.author:
            item["authors"] = [{"name": page.author}]
        if page.published:
            item["date_published"] = page.published.isoformat()
        items.append(item)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Wrapped", "items": items}
    path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
    return path


def news_please(pages: Iterable[Page], path: Path) -> Path:
    """One news-please record a line (its field names; the body is text, "maintext")."""
    with path.open("w", encoding="utf-8") as handle:
        for page in pages:
            record = {
                "url": page.url,
                "title": page.title,
                "authors": [page.author] if page.author else [],
                "date_publish": page.published.isoformat() if page.published else None,
                "date_download": CAPTURED.strftime("%Y-%m-%d %H:%M:%S"),
                "maintext": page.text,
                "source_domain": "example.org",
                "language": "en",
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def mhtml(page: Page, path: Path) -> Path:
    """A page as Chromium's "Save as single file" writes it (multipart/related)."""
    message = EmailMessage()
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = page.url
    message["Subject"] = page.title
    message["Date"] = format_datetime(CAPTURED)
    message.make_related()
    message.add_related(page.data, maintype="text", subtype="html", cte="quoted-printable")
    for part in message.iter_parts():
        part["Content-Location"] = page.url
    message.add_related(b"body{}", maintype="text", subtype="css", cte="quoted-printable")
    path.write_bytes(bytes(message))
    return path


def mbox(pages: Iterable[Page], path: Path) -> Path:
    """Each page as one newsletter message (its HTML part)."""
    box = mailbox.mbox(path)
    for page in pages:
        message = EmailMessage()
        message["Subject"] = page.title
        message["From"] = formataddr((page.author, "news@example.org"))
        message["Message-ID"] = f"<{page.name}@example.org>"
        if page.published:
            message["Date"] = format_datetime(_aware(page.published))
        message.set_content(page.data, maintype="text", subtype="html", cte="base64")
        box.add(message)
    box.flush()
    box.close()
    return path


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)
