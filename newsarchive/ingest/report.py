"""The import accounting: every input's outcome, as a table and as JSON."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from newsarchive.core.models import Outcome, Status


@dataclass(frozen=True)
class ImportReport:
    """The outcome of every input of one import, in input order."""

    outcomes: tuple[Outcome, ...]

    def counts(self) -> dict[Status, int]:
        counted = Counter(outcome.status for outcome in self.outcomes)
        return {status: counted[status] for status in Status}

    @property
    def rejected(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status is Status.REJECTED)

    @property
    def exit_code(self) -> int:
        """0 when every input was accounted for without rejection, else 1."""
        return 1 if self.rejected else 0

    def summary(self) -> str:
        parts = [f"{n} {status.value}" for status, n in self.counts().items() if n]
        warned = sum(1 for outcome in self.outcomes if outcome.warnings)
        notes = f"; {warned} with warnings" if warned else ""
        return f"{len(self.outcomes)} input(s): " + (", ".join(parts) or "nothing to do") + notes

    def table(self) -> str:
        """The accounting as an aligned table: one row per state, then the total."""
        rows = [(status.value, n) for status, n in self.counts().items() if n]
        rows.append(("total", len(self.outcomes)))
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"  {name:<{width}}  {n:>6,}" for name, n in rows)

    def to_json(self) -> str:
        rows = [
            {
                "source": outcome.source.as_posix(),
                "status": outcome.status.value,
                "detail": outcome.detail,
                "post": outcome.post.as_posix() if outcome.post else None,
                "warnings": list(outcome.warnings),
            }
            for outcome in self.outcomes
        ]
        counts = {status.value: n for status, n in self.counts().items()}
        return json.dumps({"counts": counts, "outcomes": rows}, ensure_ascii=False, indent=2) + "\n"


def outcome_line(outcome: Outcome) -> str:
    """One line per input, as the CLI prints it."""
    line = f"{outcome.status.value:<11} {outcome.source.as_posix()}"
    if outcome.post:
        line += f" -> {outcome.post.as_posix()}"
    if outcome.detail:
        line += f" ({outcome.detail})"
    return line
