"""Settings for the archive with a Japanese interface: the development settings, in Japanese.

    newsarchive build --settings japaneseconf.py --output output-ja

The theme's strings come from theme/translations/ja/LC_MESSAGES/messages.po, dates and
months are written the Japanese way (Babel: 2020年6月25日), pages say lang="ja" (so the
search index uses Pagefind's Japanese word segmentation, and the stylesheet Japanese fonts).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: F403

DEFAULT_LANG = "ja"
SITENAME = "通信・テクノロジー ニュースアーカイブ"
SITESUBTITLE = "企業と技術で分類した業界ニュースの記録"
