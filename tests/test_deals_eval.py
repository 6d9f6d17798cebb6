"""Deal extraction on 100 hand-labelled BBC stories, against the baseline's floors.

The labels (tests/eval/deals_labels.yaml) and their rule were written before the
extractor. Floors and the digests of the stories and labels they were measured on are in
tests/eval/baseline.json (``python -m tests.eval.gate --update`` writes it). Run
``python -m tests.eval.deals -v`` for every miss and extra event.
"""

from __future__ import annotations

import pytest
from conftest import needs_shared
from eval import gate

pytestmark = needs_shared
BASELINE = gate.load(gate.BASELINE)


@pytest.fixture(scope="module")
def measured() -> dict[str, gate.Count]:
    """The deals evaluation, run once, and only on the corpus and labels the baseline was measured on."""
    evaluation = gate.EVALUATIONS["deals"]
    problems = gate.input_problems(evaluation, BASELINE)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    return evaluation.run()


@pytest.mark.parametrize("metric", sorted(BASELINE["evaluations"]["deals"]["metrics"]))
def test_deals_meet_their_floor(measured: dict[str, gate.Count], metric: str) -> None:
    print(f"deals.{metric}", measured[metric])
    problems = gate.below_floor("deals", {metric: measured[metric]}, BASELINE)
    assert not problems, problems[0]


def test_no_trigger_lacks_its_stems() -> None:
    """A rule is tried on a sentence only when the sentence holds one of the rule's stems:
    on the evaluation stories and every BBC story, no rule matches a sentence without them
    (the stems only save time)."""
    from eval.deals import BBC

    from newsarchive.core.models import Article
    from newsarchive.gazetteer import deals
    from newsarchive.gazetteer.entities import load_gazetteer
    from newsarchive.gazetteer.tagging import tag
    from newsarchive.ingest.importer import read_article

    rules, gazetteer = deals.load_deal_rules(), load_gazetteer()
    for path in sorted(BBC.rglob("*.txt")):
        article = read_article(path, 1 << 20)
        if not isinstance(article, Article):
            continue
        for sentence in deals.story_sentences(tag(article, gazetteer)):
            tried = deals.candidate_rules(sentence, rules)
            missed = [
                rule.pattern.pattern
                for rule in rules.events
                if rule not in tried and rule.pattern.search(sentence)
            ]
            assert not missed, (path.name, sentence, missed)
