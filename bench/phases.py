"""Where a build's time goes: run `newsarchive` with wall-clock timers around its phases.

Usage (in a project folder): python bench/phases.py build --no-import [-j N]
Prints the total, then each timed function's wall time (summed over calls), largest
first: the functions named below, and every handler of the plugin's EVENTS (as
"plugin: NAME"). Phases overlap (Pagefind runs beside rendering, the plugin's handlers run
inside Pelican's generators), so the lines do not add up.
"""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from typing import Any

import pelican.generators

import newsarchive.site.build
import newsarchive.site.plugin
import newsarchive.site.plugin.related
import newsarchive.site.plugin.rendering
import newsarchive.site.plugin.sitemaps
import newsarchive.site.plugin.terms
import newsarchive.site.render
import newsarchive.site.search
from newsarchive.cli import main

TIMED: list[tuple[Any, list[str]]] = [
    (
        newsarchive.site.build,
        ["_run_pelican", "site_files", "_pages_to_check", "unresolved_links", "measure"],
    ),
    (
        newsarchive.site.build,
        ["swap_in", "save_manifest", "inputs_signature", "build_digest", "write_sitemaps"],
    ),
    (newsarchive.site.plugin.terms, ["load_gazetteer", "describe"]),
    (newsarchive.site.render.RenderPlan, ["await_previous"]),
    (newsarchive.site.plugin.related, ["link_neighbours"]),
    (newsarchive.site.plugin.rendering, ["render_recorded"]),
    (newsarchive.site.plugin.sitemaps, ["write_sitemaps"]),
    (newsarchive.site.search.SearchIndex, ["update", "finish"]),
    (pelican.generators.ArticlesGenerator, ["generate_context", "generate_output", "_build_period_archives"]),
    (pelican.generators.ArticlesGenerator, ["__init__"]),  # with the content cache's loading
]
totals: dict[str, float] = {}


def timed(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.perf_counter() - started

    return run


if __name__ == "__main__":
    for owner, names in TIMED:
        for name in names:
            label = f"{owner.__name__}.{name}" if name == "__init__" else name
            setattr(owner, name, timed(getattr(owner, name), label))
    events = newsarchive.site.plugin.EVENTS
    events[:] = [(signal, timed(handler, f"plugin: {handler.__name__}")) for signal, handler in events]
    started = time.perf_counter()
    try:
        status = main(sys.argv[1:])
    finally:
        print(f"{'total':<28}{time.perf_counter() - started:8.2f} s")
        for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
            print(f"{name:<28}{seconds:8.2f} s")
    sys.exit(status)
