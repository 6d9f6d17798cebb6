"""The curated companies and technologies (``data/``), matching them in text, scoring how
much a story is about each (tagging), re-applying them to posts (retag) and finding the
names they lack (suggest). Used by both sides; imports only ``core``."""
