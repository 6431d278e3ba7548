"""The pantau error tree. No HTTP codes here: the web layer maps them."""


class PantauError(Exception):
    """Base of every error pantau raises on purpose."""


class InputError(PantauError):
    """An input (file, URL, feed, record) could not be read. The message names the input and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class ConfigError(PantauError):
    """Settings are missing or inconsistent."""


class StoreError(PantauError):
    """The store could not do what was asked."""


class NotFound(PantauError):
    """The object does not exist, or the caller may not see it (the two are never told apart)."""


class AccessDenied(PantauError):
    """The caller may see the object but not do this to it."""


class ModelError(PantauError):
    """A shipped model is missing or cannot be loaded."""
