"""Once every story is read and linked, the run's model (tens of thousands of objects per
10,000 stories) does not change until the pages are rendered: `gc.freeze` takes it out of
the garbage collector's reach, so its collections stop walking it again and again (about a
sixth of the CPU time of a build after one change, measured), and the forked renderers do
not copy the pages the collector would touch. It stays frozen while the build checks links
and saves its manifest and caches (walking the model then cost another third of a second at
10,000 stories, measured), and the build unfreezes it when it ends (`newsarchive.site.build`),
so a process that builds again (the dev server) frees the last model.

Loading Pelican's content cache (the story objects of the last build, unpickled) makes
objects and no garbage: the collector is off from the first generator's start until the
stories are to be read (`collector_off`, `collector_on`), since each of its passes would
walk every object unpickled so far (a quarter of the load's time at 10,000 stories, four
fifths at 40,000, measured), and what was loaded is frozen at once, so the collections of
the rest of the build never walk it either. Only in a newsarchive build: a plain Pelican
run is left as it is."""

from __future__ import annotations

import gc
from typing import Any

from newsarchive.site.render import plan_of


def _in_a_build(generator: Any) -> bool:
    return plan_of(getattr(generator, "settings", None)) is not None


def collector_off(generator: Any) -> None:
    """The collector off while the generators load their caches (in a newsarchive build)."""
    if _in_a_build(generator):
        gc.disable()


def collector_on(generator: Any) -> None:
    """The collector on again once the generators are made and the stories are to be read,
    with everything loaded so far out of its reach."""
    if _in_a_build(generator):
        gc.freeze()
        gc.enable()


def freeze_model(generators: list[Any]) -> None:
    """Move everything alive now to the collector's permanent generation (in a newsarchive build)."""
    if any(_in_a_build(generator) for generator in generators):
        gc.freeze()
