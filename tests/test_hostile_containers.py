"""Bad containers: each gets one clear reason, the rest of the batch goes on, and reading
them keeps memory bounded (measured with tracemalloc on the reader alone)."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from eval import wrap
from test_containers import page

from newsarchive.core.config import Config
from newsarchive.core.models import Status
from newsarchive.ingest.containers import Limits, read_items
from newsarchive.ingest.importer import import_sources

GOOD = "Good story\n\nJune 1, 2021\n\nIt is fine and stays fine.\n"


def truncated_warc(folder: Path) -> Path:
    whole = wrap.warc([page(), page("b", "https://news.example.org/b.html")], folder / "whole.warc.gz")
    data = whole.read_bytes()
    whole.unlink()
    cut = folder / "cut.warc.gz"
    cut.write_bytes(data[: len(data) - 200])
    return cut


def bomb_record_warc(folder: Path) -> Path:
    """A WARC.gz whose second record inflates to 150 MB of zeros (about 150 KB on disk)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = folder / "bomb.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        size = 150 * 1024 * 1024

        class Zeros:
            left = size

            def read(self, n: int = -1) -> bytes:
                n = self.left if n < 0 else min(n, self.left)
                self.left -= n
                return bytes(n)

        record = writer.create_warc_record(
            "https://news.example.org/zeros.html", "response", payload=Zeros(), length=size, http_headers=http
        )
        writer.write_record(record)
    return path


def bomb_encoding_warc(folder: Path) -> Path:
    """A response whose gzip Content-Encoding inflates a small payload to 50 MB."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    packed = gzip.compress(bytes(50 * 1024 * 1024), compresslevel=9)
    path = folder / "encoded-bomb.warc"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        headers = [("Content-Type", "text/html"), ("Content-Encoding", "gzip")]
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "https://news.example.org/inflates.html", "response", payload=BytesIO(packed), http_headers=http
        )
        writer.write_record(record)
    wrap_more = wrap.warc([page()], folder / "more.warc")
    path.write_bytes(path.read_bytes() + wrap_more.read_bytes())
    wrap_more.unlink()
    return path


def billion_laughs(folder: Path) -> Path:
    levels = ['<!ENTITY a0 "ha">'] + [f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)]
    path = folder / "laughs.rss"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(levels)}]><rss version="2.0"><channel><title>t</title>'
        "<item><title>&a9;</title><description>&a9;</description></item></channel></rss>",
        encoding="utf-8",
    )
    return path


def huge_feed(folder: Path) -> Path:
    path = folder / "huge.rss"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>')
        for n in range(100_000):
            handle.write(f"<item><title>Story {n}</title><guid>g{n}</guid></item>")
        handle.write("</channel></rss>")
    return path


def mbox_with_attachment(folder: Path) -> Path:
    """An mbox: a newsletter with a 50 MB attachment, then an ordinary one."""
    import base64

    path = folder / "letters.mbox"
    attachment = base64.encodebytes(bytes(range(256)) * (50 * 4096))  # 50 MiB before encoding
    with path.open("wb") as handle:
        handle.write(
            b"From news@example.org Mon Mar  1 10:00:00 2021\nSubject: Big letter\n"
            b"From: News <news@example.org>\nMIME-Version: 1.0\n"
            b'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n'
            b"This newsletter's own text comes first, before the attachment.\n--B\n"
            b"Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        )
        handle.write(attachment)
        handle.write(b"--B--\n\nFrom news@example.org Tue Mar  2 10:00:00 2021\nSubject: Small letter\n\n")
        handle.write(b"A small letter's text.\n")
    return path


def wrong_json(folder: Path) -> list[Path]:
    shapes = {"number.json": "42", "strings.json": '["a", "b"]', "unknown.json": '{"foo": 1, "bar": [2]}'}
    for name, text in shapes.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.json").write_text('{"title": "x", ', encoding="utf-8")
    (folder / "lines.jsonl").write_text(
        '{"title": "T", "text": "Body text."}\nnot json\n[1]\n', encoding="utf-8"
    )
    return [folder / name for name in (*shapes, "broken.json", "lines.jsonl")]


CASES: dict[str, tuple[Callable[[Path], object], str]] = {
    "truncated WARC": (truncated_warc, "the archive is truncated"),
    "gzip bomb record": (bomb_record_warc, "gzip bomb"),
    "gzip bomb encoding": (bomb_encoding_warc, "over the 5,242,880-byte limit (once decompressed)"),
    "billion laughs": (billion_laughs, "declares XML entities"),
    "100,000 items": (huge_feed, "holds 100,000 items, more than the 10,000"),
    "50 MB attachment": (mbox_with_attachment, "cut off at the size limit"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_container_gets_a_reason_and_the_batch_goes_on(project: Config, case: str) -> None:
    make, reason = CASES[case]
    make(project.sources)
    (project.sources / "zz-good.txt").write_text(GOOD, encoding="utf-8")
    report = import_sources(project)
    by_key = {o.source.as_posix(): o for o in report.outcomes}
    assert by_key["sources/zz-good.txt"].status is Status.IMPORTED
    said = [o.detail for o in report.outcomes] + [w for o in report.outcomes for w in o.warnings]
    assert any(reason in line for line in said), report.outcomes


def test_wrong_json_shapes_are_rejected_item_by_item(project: Config) -> None:
    wrong_json(project.sources)
    rows = {o.source.as_posix(): (o.status.value, o.detail) for o in import_sources(project).outcomes}
    assert rows["sources/number.json"] == (
        "rejected",
        "read: wrong shape: expected an article object or a list of them, found a number",
    )
    assert rows["sources/strings.json#1"] == ("rejected", "read: record 1 is a string, not an article object")
    assert rows["sources/unknown.json#1"][1].startswith("read: record 1 has no body field of a known tool")
    assert rows["sources/broken.json"][1].startswith("read: not valid JSON")
    assert rows["sources/lines.jsonl#1"][0] == "imported"
    assert rows["sources/lines.jsonl#2"][1].startswith("read: line 2 is not valid JSON")
    assert rows["sources/lines.jsonl#3"][1] == "read: record 3 is a list, not an article object"


@pytest.mark.parametrize(
    "case", ["gzip bomb record", "gzip bomb encoding", "50 MB attachment", "truncated WARC"]
)
def test_reading_a_bad_container_keeps_memory_bounded(tmp_path: Path, case: str) -> None:
    """With a 1 MiB limit per story, reading archives that inflate to 50 or 150 MB, or a
    mailbox with a 50 MB attachment, peaks well below their size (warcio inflates a
    compressed block of at most 16 KiB at a time: about 16 MiB of zeros)."""
    path = CASES[case][0](tmp_path)
    assert isinstance(path, Path)
    limit = 1024 * 1024
    list(read_items(path, Limits(limit)))  # the readers' modules imported outside the measure
    tracemalloc.start()
    try:
        for _ in read_items(path, Limits(limit)):
            pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 48 * limit, f"{case}: peak {peak:,} bytes"


def test_sizes_of_the_generated_bombs_are_what_they_claim(tmp_path: Path) -> None:
    """The bombs are small on disk and large inflated (so the tests above test something)."""
    bomb = bomb_record_warc(tmp_path)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    inflated = zlib.decompressobj(31).decompress(bomb.read_bytes(), 200 * 1024 * 1024)
    assert len(inflated) > 150 * 1024 * 1024
    laughs = billion_laughs(tmp_path)
    assert laughs.stat().st_size < 2048
    assert json.loads(json.dumps(str(laughs)))  # a path, for the reader
