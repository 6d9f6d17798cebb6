"""The import side: source files -> RawDocument -> Article -> TaggedArticle -> post files in
content/. Sources and decoding, layouts, dates, furniture, duplicates, the journal, the
store and the report. Imports ``core`` and ``gazetteer``, never ``site``."""
