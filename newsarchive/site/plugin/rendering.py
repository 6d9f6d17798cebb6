"""Pages rendered in parallel and only when changed, during a newsarchive build (see
`newsarchive.site.render`); in a plain Pelican run, Pelican's own writer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pelican.writers import Writer

from newsarchive.site.incremental import remove_stale
from newsarchive.site.pelican_compat import supported
from newsarchive.site.render import DeferredWriter, plan_of, render_recorded


def deferred_writer(pelican: Any) -> type[Writer] | None:
    """The writer that records pages, when a build's plan is attached."""
    return DeferredWriter if plan_of(pelican.settings) is not None and supported() else None


def render_pages(pelican: Any) -> None:
    """Render the recorded pages, then drop the kept ones this build no longer made."""
    plan = plan_of(pelican.settings)
    if plan is None or not plan.writers:
        return
    render_recorded(plan)
    if plan.kept is None:  # a delta build removes them from the last site when it commits
        remove_stale(Path(pelican.output_path), plan.previous, plan.pages)
