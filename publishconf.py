"""Production settings: absolute URLs from the SITEURL environment variable.

CNAME (optional, e.g. news.example.org) is a custom domain: SITEURL defaults to
https://CNAME, and `make publish` writes it to output/CNAME for branch-based hosting
(`make github`). Pelican never sees that file: the Makefile writes it after the build.
"""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

CNAME = os.environ.get("CNAME", "").strip()
SITEURL = (os.environ.get("SITEURL") or (f"https://{CNAME}" if CNAME else "")).rstrip("/")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

DELETE_OUTPUT_DIRECTORY = True
