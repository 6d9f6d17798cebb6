"""The site side: posts in content/ -> Pelican with the newsarchive plugin -> output/.
The build (staging, swap, warnings), incremental state, parallel rendering and reading,
the search index, sitemaps, the link check and the dev server. Imports ``core`` and
``gazetteer``, never ``ingest``."""
