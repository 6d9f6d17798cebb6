"""The bundled gazetteer data passes its schema and has the breadth we promise."""

from __future__ import annotations

from newsarchive.core.models import Kind
from newsarchive.gazetteer.entities import load_gazetteer


def test_bundled_data_loads_and_is_broad() -> None:
    gazetteer = load_gazetteer()  # raises GazetteerError on any schema problem
    assert len(gazetteer.of_kind(Kind.COMPANY)) >= 100
    assert len(gazetteer.of_kind(Kind.TECHNOLOGY)) >= 50


def test_seed_terms_have_their_fixed_slugs() -> None:
    gazetteer = load_gazetteer()
    for slug in ("ntt", "nec", "ntt-docomo", "toyota"):
        assert gazetteer.get(Kind.COMPANY, slug) is not None
    for slug in ("5g", "o-ran", "iown"):
        assert gazetteer.get(Kind.TECHNOLOGY, slug) is not None
    docomo = gazetteer.get(Kind.COMPANY, "ntt-docomo")
    assert docomo is not None and docomo.parent == "ntt"
