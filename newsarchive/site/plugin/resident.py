"""The dev server's model: the generators of the run kept for it (see `newsarchive.site.resident`)."""

from __future__ import annotations

from typing import Any

from newsarchive.site.render import plan_of


def keep_generators(generators: list[Any]) -> None:
    """Keep the run's generators on its plan when the dev server asked for the model."""
    for generator in generators:
        plan = plan_of(getattr(generator, "settings", None))
        if plan is not None and plan.keep_model:
            plan.generators = list(generators)
            return
