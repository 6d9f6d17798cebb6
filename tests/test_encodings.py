"""Any encoding and line ending a collector's files come in decodes to the same story."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.core.models import Article, RawDocument, Rejection
from newsarchive.ingest.layouts import parse_document
from newsarchive.ingest.sources import decode, read_document

ENGLISH = "Operators’ “open” RAN push — café talk\n\nJune 25, 2020\n\nNEC’s unit costs £15.8m, not €20m.\n"
JAPANESE = (
    "NTTとNECが光技術で提携\n\n2020年6月25日\n\n"
    "日本電信電話（NTT）と日本電気（NEC）は、次世代の光通信と無線技術を共同で開発すると発表した。"
    "両社は海外の通信事業者にも製品を販売する計画だ。\n"
)


def decoded(data: bytes) -> RawDocument:
    raw = decode(Path("story.txt"), data)
    assert isinstance(raw, RawDocument), raw
    return raw


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", ENGLISH),
        ("utf-8-sig", ENGLISH),
        ("utf-16", ENGLISH),
        ("cp1252", ENGLISH.replace("€", "EUR")),
        ("latin-1", "Caf\u00e9 owners r\u00e9ponse\n\nJune 1, 2020\n\nPrices rose to \u00a315.\n"),
        ("shift_jis", JAPANESE),
        ("euc_jp", JAPANESE),
    ],
)
def test_encodings_decode_exactly(encoding: str, text: str) -> None:
    assert decoded(text.encode(encoding)).text == text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    article = parse_document(decoded(ENGLISH.replace("\n", newline).encode("utf-8")))
    assert isinstance(article, Article)
    assert article.title == "Operators’ “open” RAN push — café talk"
    assert article.body_paragraphs == ("NEC’s unit costs £15.8m, not €20m.",)


def test_japanese_story_parses_with_its_date() -> None:
    article = parse_document(decoded(JAPANESE.encode("shift_jis")))
    assert isinstance(article, Article)
    assert article.title == "NTTとNECが光技術で提携"
    assert article.published is not None and article.published.date().isoformat() == "2020-06-25"


def test_binary_with_text_extension_is_rejected() -> None:
    result = decode(Path("image.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert isinstance(result, Rejection)
    assert result.reason.startswith("not text")


def test_oversized_file_is_rejected_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)  # sparse: no 6 MB written or read
    result = read_document(big, 5 * 1024 * 1024)
    assert isinstance(result, Rejection)
    assert result.reason == "file is 6,291,456 bytes, over the 5,242,880-byte limit"


def test_unreadable_file_is_rejected(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    result = read_document(link, 10**6)
    assert isinstance(result, Rejection)
    assert result.reason.startswith("cannot read file")
