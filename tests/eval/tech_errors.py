"""Technology false hits and misses by kind, per label set and half (figures only, no floor).

    python -m tests.eval.tech_errors

Reads both label sets as ``tests.eval.tagging`` does (tags plus "also mentioned", names used
in passing neutral) and sorts every error into one mechanical category, so a change can be
judged by which kind of error it removes, on the half it was developed on (odd-numbered
stories) and on the half that checks it (even-numbered):

* false hits: a broader or narrower technology (by the taxonomy's ``broader`` links) of a
  labelled one; else one named once in the body (a clause); once in the headline, deck or lead;
  or more than once;
* misses: a label the taxonomy has no name for; one the story names but that scores below
  listing; or one the taxonomy knows but the story does not name in any of its words.

The categories are mechanical on purpose: which false hits are a word in another sense, a
loose alias or a label short of its own rule takes reading the story.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from newsarchive.core.models import Kind, TaggedArticle
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import tag, term_key
from tests.eval.tagging import BBC_TECH, GENERAL, LabelSet, read


def story_errors(gazetteer: Gazetteer, gold: dict[str, Any], tagged: TaggedArticle) -> Iterator[str]:
    """The category of each technology false hit and miss in one story."""

    def labels(field: str) -> set[str]:
        return {term_key(gazetteer, Kind.TECHNOLOGY, name) for name in gold.get(field) or []}

    wanted, passing = labels("technologies"), labels("technologies_in_passing")
    listed = {term.slug for term in tagged.technologies}
    mentions = [m for m in tagged.mentions if m.kind is Kind.TECHNOLOGY]
    for slug in sorted(listed - wanted - passing):
        named = [m for m in mentions if m.slug == slug]
        above = gazetteer.ancestors(Kind.TECHNOLOGY, slug)
        if any(w in above or slug in gazetteer.ancestors(Kind.TECHNOLOGY, w) for w in wanted):
            yield "false hit: broader or narrower than a labelled technology"
        elif len(named) == 1 and named[0].zone.value == "body":
            yield "false hit: named once in the body"
        elif len(named) == 1:
            yield "false hit: named once in the headline, deck or lead"
        else:
            yield "false hit: named more than once"
    known = {
        term_key(gazetteer, Kind.TECHNOLOGY, name)
        for name in gold.get("technologies") or []
        if gazetteer.resolve(Kind.TECHNOLOGY, name)
    }
    for slug in sorted(wanted - listed):
        if slug not in known:
            yield "miss: no name in the taxonomy"
        elif any(m.slug == slug for m in mentions):
            yield "miss: named, scored below listing"
        else:
            yield "miss: not named by any of its forms"


def categories(label_set: LabelSet, gazetteer: Gazetteer) -> dict[str, Counter[str]]:
    """Error counts by category for the odd- and even-numbered stories of one set."""
    halves: dict[str, Counter[str]] = {"odd": Counter(), "even": Counter()}
    for number, (name, gold) in enumerate(label_set.stories().items(), 1):
        tagged = tag(read(label_set.root / name), gazetteer)
        halves["odd" if number % 2 else "even"].update(story_errors(gazetteer, gold, tagged))
    return halves


def main() -> None:
    gazetteer = load_gazetteer()
    for label_set in (BBC_TECH, GENERAL):
        print(label_set.title)
        halves = categories(label_set, gazetteer)
        for category in sorted(set(halves["odd"]) | set(halves["even"])):
            print(f"  {category:60} odd {halves['odd'][category]:3}  even {halves['even'][category]:3}")


if __name__ == "__main__":
    main()
