"""Pelican settings for the archive (development build). See publishconf.py for production."""

AUTHOR = "newsarchive"
SITENAME = "Telecom & Tech News Archive"
SITESUBTITLE = "Collected industry stories, tagged by company and technology"
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGINS = ["newsarchive"]

TIMEZONE = "UTC"
# The interface's language: the theme's strings (theme/translations/LANG), dates (Babel's
# CLDR data) and the search index's word rules. japaneseconf.py builds it in Japanese.
DEFAULT_LANG = "en"
# Story dates as Babel writes them in DEFAULT_LANG: short, medium, long or full, or a CLDR
# pattern ("long": June 25, 2020; 2020年6月25日).
NEWSARCHIVE_DATE_FORMAT = "long"
DEFAULT_CATEGORY = "News"
USE_FOLDER_AS_CATEGORY = False

# Posts are escaped Markdown written by the importer: no extensions that could turn
# scraped text into markup (attribute lists, tables, footnotes).
MARKDOWN = {"extensions": [], "output_format": "html5"}

# Fixed URLs (see README): /YYYY/MM/DD/slug/, /companies/slug/, /technologies/slug/ ...
ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{date:%d}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"
# No category or tag pages: companies and technologies replace them.
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"
DIRECT_TEMPLATES = ["index", "authors", "archives", "search", "404"]

DEFAULT_PAGINATION = 10
PAGINATED_TEMPLATES = {"index": None, "author": None, "company": None, "technology": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Feeds: one full-content Atom feed for the site, and per company and technology an
# Atom feed of summaries (written by the plugin). No duplicate per-category/author feeds.
# Feed entries need absolute links: the development server's address here.
FEED_DOMAIN = "http://localhost:8000"
# Feeds carry the newest stories only (readers poll them); the archive pages hold the rest.
FEED_MAX_ITEMS = 30
FEED_ALL_ATOM = "feeds/all.atom.xml"
COMPANY_FEED_ATOM = "feeds/companies/{slug}.atom.xml"
TECHNOLOGY_FEED_ATOM = "feeds/technologies/{slug}.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Jinja: escape everything by default; the theme marks rendered content |safe.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
# Pelican rewrites its cache at every build; compressing it cost about 2.5 s at 10,000
# stories (it is about 25 MB uncompressed then).
GZIP_CACHE = False
