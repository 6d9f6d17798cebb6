"""One exception family. The CLI catches :class:`NewsarchiveError` in one place."""


class NewsarchiveError(Exception):
    """Base of every error newsarchive raises on purpose."""

    exit_code = 2


class ConfigError(NewsarchiveError):
    """Settings or data files are invalid: a usage or configuration error."""


class GazetteerError(ConfigError):
    """The companies or technologies data does not pass validation."""


class BuildError(NewsarchiveError):
    """Pelican could not build the site."""

    exit_code = 1
