"""The word forms a technology's name also matches, so the data lists each name once.

Rules (technologies only: a company's name is never inflected):

* hyphen, space and joined spellings are one name: "e-mail" also matches "e mail" and
  "email", "Wi-Fi" matches "Wi Fi" and "WiFi", "open source" matches "open-source"; in a
  form of three words or more each separator is also spelt the other way on its own ("open
  source software" also matches "open-source software");
* the last word of a lowercase form is put in the other grammatical number by the
  English rules below: "smartphone" matches "smartphones", "laptop computers" matches
  "laptop computer", "battery" "batteries", "switch" "switches", "virus" "viruses";
  irregular nouns come from a short table ("mouse"/"mice"); "media" in a name is a mass
  noun ("new media" is not "new medium");
* British news writes "net" for "internet": a lowercase form that begins with "internet"
  also matches with "net" ("internet censorship" is also "net censorship", "internet fraud"
  "net fraud"), unless "net" would read as the finance word ("net sales", "net payment");
* an all-capital abbreviation takes or drops a lowercase "s": "GPU" and "GPUs" (not one
  that ends in "S": "SMS");
* a word ending in "us", "is" or "ss" is a singular ("virus", "analysis", "wireless");
* case follows the form as written (see `newsarchive.gazetteer.matching`): a form
  with capitals keeps them, a lowercase form matches in any case;
* weak words are not inflected (they are generic on purpose: "cloud" is not "clouds").

The forms are made once, when the gazetteer is indexed, so matching stays one pass over
the text; a form another entry names outright stays that entry's. A rule that makes a
wrong form ("caches" -> "cach") costs nothing: the form never occurs in text.
"""

from __future__ import annotations

import re
from functools import cache

_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]*[A-Z]$")
_ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9]*[A-Z]s$")
_LOWER_WORD = re.compile(r"^[a-z]{3,}$")
_SEPARATORS = re.compile(r"[- ]")
_NEVER_PLURAL = ("us", "is", "ss")  # virus, analysis, wireless: singulars that end in s
# "media" in a name is the mass noun ("social media", "new media"), not the plural of "medium"
_SAME_IN_BOTH = frozenset({"series", "species", "news", "means", "software", "hardware", "aircraft", "media"})
_IRREGULAR = {
    "datum": "data",
    "mouse": "mice",
    "analysis": "analyses",
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "index": "indices",
}
_IRREGULAR_SINGULAR = {plural: singular for singular, plural in _IRREGULAR.items()}
_SIBILANT = ("s", "x", "z", "ch", "sh")
_VOWELS = "aeiou"


def spellings(form: str) -> set[str]:
    """The form with all its hyphens, then all its spaces, written each other way, and with each
    one separator written the other way on its own ("open source software" is also "open-source
    software"; a hyphen is also a space or nothing, a space also a hyphen)."""
    found = {form}
    if "-" in form:
        found |= {form.replace("-", " "), form.replace("-", "")}
    if " " in form:
        found.add(form.replace(" ", "-"))
    separators = list(_SEPARATORS.finditer(form))
    if len(separators) > 1:
        for separator in separators:
            ways = ("-", " ", "") if separator.group() == "-" else ("-",)
            found |= {form[: separator.start()] + way + form[separator.end() :] for way in ways}
    return found


def numbers(form: str) -> set[str]:
    """The form with its last word in the other grammatical number, where there is one."""
    head, last = _split_last(form)
    if _ACRONYM.match(last) and not last.endswith("S"):
        return {head + last + "s"}
    if _ACRONYM_PLURAL.match(last):
        return {head + last[:-1]}
    if not _LOWER_WORD.match(last) or last in _SAME_IN_BOTH:
        return set()
    return {head + _other_number(last)}


@cache
def _other_number(word: str) -> str:
    """A plural's singular, or a singular's plural."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[word]
    if word.endswith("s") and not word.endswith(_NEVER_PLURAL):
        return _singular(word)
    return _plural(word)


def _plural(word: str) -> str:
    if word.endswith(_SIBILANT):
        return word + "es"
    if word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("uses", "sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _split_last(form: str) -> tuple[str, str]:
    """(everything up to and including the last separator, the last word)."""
    cut = max((m.end() for m in _SEPARATORS.finditer(form)), default=0)
    return form[:cut], form[cut:]


_INTERNET = "internet "
# after "net" these read as finance ("net sales", "net advertising revenue", "net exchange gain")
_FINANCE_AFTER_NET = frozenset(
    {"sale", "sales", "payment", "payments", "advertising", "ad", "exchange", "marketing"}
)


def net_forms(form: str) -> set[str]:
    """The "net" spelling of a lowercase form that begins with "internet" (see the module
    docstring)."""
    if not form.startswith(_INTERNET) or form != form.lower():
        return set()
    rest = form[len(_INTERNET) :]
    if rest.split(" ")[0] in _FINANCE_AFTER_NET:
        return set()
    return {"net " + rest}


def word_forms(form: str, weak: bool) -> set[str]:
    """Every other way ``form`` is written in running text (not ``form`` itself)."""
    found = spellings(form) | net_forms(form)
    if not weak:
        for spelling in list(found):
            found |= numbers(spelling)
    found.discard(form)
    return {variant for variant in found if variant.strip()}
