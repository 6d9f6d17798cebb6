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


def test_the_prefilter_changes_no_result() -> None:
    """Sentences the prefilter passes over hold no trigger (the prefilter only saves time)."""
    from eval.deals import article, labels

    from newsarchive.gazetteer import deals
    from newsarchive.gazetteer.tagging import tag

    rules = deals.load_deal_rules()
    for name in labels():
        for sentence in deals.story_sentences(tag(article(name))):
            if not deals._could_hold_deal(sentence, rules):
                assert not any(rule.pattern.search(sentence) for rule in rules.events), (name, sentence)
