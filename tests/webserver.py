"""A static file server for the built site, optionally under a URL prefix (as GitHub
Pages serves project sites under /REPO/), and a same-site link checker over HTTP."""

from __future__ import annotations

import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

from newsarchive.site.linkcheck import LinkParser


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Handler(SimpleHTTPRequestHandler):
    prefix = ""

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix + "/"):
            return str(Path(self.directory) / "__outside_the_prefix__")
        return super().translate_path(path[len(self.prefix) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path, prefix: str = "", port: int = 0) -> Iterator[str]:
    """Serve ``directory`` at http://127.0.0.1:PORT{prefix}/ for the duration of the block."""
    handler = type("Handler", (_Handler,), {"prefix": prefix.rstrip("/")})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}/"
    finally:
        server.shutdown()
        server.server_close()


def check_links(start: str) -> tuple[set[str], list[str]]:
    """Crawl every page reachable from ``start`` on the same site; return (visited, broken)."""
    origin = urlparse(start)
    queue, seen, broken = [start], {start}, []
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                kind = response.headers.get_content_type()
                body = response.read().decode("utf-8", errors="replace") if kind == "text/html" else ""
        except urllib.error.HTTPError as error:
            broken.append(f"{url}: HTTP {error.code}")
            continue
        parser = LinkParser()
        parser.feed(body)
        for link in parser.links:
            target = urldefrag(urljoin(url, link))[0]
            parsed = urlparse(target)
            if parsed.netloc == origin.netloc and parsed.path.startswith(origin.path) and target not in seen:
                seen.add(target)
                queue.append(target)
            elif parsed.netloc == origin.netloc and not parsed.path.startswith(origin.path):
                broken.append(f"{url}: {link} leaves the site's base path")
    return seen, broken
