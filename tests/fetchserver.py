"""A small threaded web site on 127.0.0.1 for the fetching tests: one route per case
(articles, redirects, 404, a 500 that heals, a slow page, robots.txt, a PDF, a feed), and a
record of every request it was sent (path, arrival time, User-Agent)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def article(title: str, day: str, topic: str) -> bytes:
    """A news page with metadata and a body of its own (so no two are duplicates)."""
    sentences = [
        f"{topic} was the subject of the announcement made by the operator on {day}.",
        f"Engineers said the {topic} work took eighteen months and involved three suppliers.",
        f"The company expects the {topic} project to cut its costs by a fifth within two years.",
        f"Analysts said other regional carriers are weighing similar {topic} plans this year.",
        f"The regulator has not commented on the {topic} programme, the statement said.",
    ]
    body = "".join(f"<p>{sentence}</p>\n" for sentence in sentences)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Test Wire</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Test Wire">
<meta name="author" content="Kari Nordmann">
<meta property="article:published_time" content="{day}T09:30:00+00:00">
</head><body><header><nav><a href="/">Home</a></nav></header>
<main><article><h1>{title}</h1>
{body}</article></main><footer><p>Copyright Test Wire</p></footer></body></html>
""".encode()


@dataclass
class Request:
    path: str
    at: float  # time.monotonic() on arrival
    agent: str
    host: str = ""


@dataclass
class Site:
    """The routes and what the server was asked; tests change ``slow_seconds`` or
    ``failures_left`` between runs."""

    robots: str = "User-agent: *\nDisallow: /private/\n"
    failures_left: int = 1  # /flaky answers 500 this many times, then the page
    slow_seconds: float = 2.5  # /slow waits this long before answering
    requests: list[Request] = field(default_factory=list)
    extra: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def answer(self, path: str) -> tuple[int, dict[str, str], bytes]:
        html = {"Content-Type": "text/html; charset=utf-8"}
        if path in self.extra:
            return self.extra[path]
        if path == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, self.robots.encode()
        if path == "/news/fiber.html":
            return 200, html, article("Fjordnet lights up a fiber ring", "2023-03-14", "fiber ring")
        if path == "/old":
            return 301, {"Location": "/moved"}, b""
        if path == "/moved":
            return 302, {"Location": "http://%(host)s/news/ring.html"}, b""
        if path == "/news/ring.html":
            return 200, html, article("Nordlink opens a radio access lab", "2023-04-02", "radio lab")
        if path == "/flaky":
            with self.lock:
                self.failures_left -= 1
                failing = self.failures_left >= 0
            if failing:
                return 500, {"Content-Type": "text/plain"}, b"try later"
            return 200, html, article("Westnet wins a backhaul contract", "2023-05-09", "backhaul")
        if path == "/slow":
            time.sleep(self.slow_seconds)
            return 200, html, article("Eastcom trials satellite links", "2023-06-21", "satellite")
        if path.startswith("/private/"):
            return 200, html, article("A page robots.txt forbids", "2023-07-01", "forbidden")
        if path == "/report.pdf":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 not a story"
        return 404, {"Content-Type": "text/plain"}, b"not found"


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site.lock:
                agent, host = self.headers.get("User-Agent", ""), self.headers.get("Host", "")
                site.requests.append(Request(self.path, time.monotonic(), agent, host.split(":")[0]))
            if self.path == "/trickle":
                self._trickle()
                return
            status, headers, body = site.answer(self.path)
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value % {"host": self.headers.get("Host", "")})
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (the slow page)

        def _trickle(self) -> None:
            """A page sent a few bytes at a time, each in time, the whole far too slowly."""
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(60):
                    self.wfile.write(b"<p>more</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def running(site: Site) -> Iterator[str]:
    """Serve ``site`` at http://127.0.0.1:PORT for the duration of the block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
