"""newsarchive: turn a folder of collected news articles into a static archive site.

Also a Pelican plugin: ``PLUGINS = ["newsarchive"]`` in a Pelican settings file.
"""

__version__ = "0.1.0"


def register() -> None:
    """Pelican's plugin entry point (imported only when Pelican loads the plugin)."""
    from newsarchive.site.plugin import register as register_plugin

    register_plugin()
