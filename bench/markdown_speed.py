"""CPU time to convert posts: Python-Markdown (as Pelican's reader does) against the fast
converter for the importer's Markdown subset (newsarchive.site.fast_markdown).

    python bench/markdown_speed.py CONTENT_DIR

Process CPU time, so the ratio holds on a busy machine too.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from markdown import Markdown  # type: ignore[import-untyped]

from newsarchive.site.fast_markdown import convert_post

SETTINGS = {"extensions": ["markdown.extensions.meta"], "output_format": "html5"}


def main() -> int:
    texts = [path.read_text(encoding="utf-8") for path in sorted(Path(sys.argv[1]).rglob("*.md"))]
    started = time.process_time()
    for text in texts:
        markdown = Markdown(**SETTINGS)
        markdown.convert(text)
        markdown.preprocessors.deregister("meta")
        for value in markdown.Meta.get("summary", []):
            markdown.reset()
            markdown.convert(value)
    slow = time.process_time() - started
    started = time.process_time()
    taken = sum(convert_post(text, ["summary"]) is not None for text in texts)
    fast = time.process_time() - started
    print(f"{len(texts):,} posts, {taken:,} in the subset")
    each = 1000 / len(texts)
    print(f"Python-Markdown: {slow * each:.3f} ms a post; fast: {fast * each:.3f} ms a post")
    print(f"ratio fast / Python-Markdown: {fast / slow:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
