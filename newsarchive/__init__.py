"""newsarchive: turn a folder of collected news articles into a static archive site."""

__version__ = "0.1.0"
