"""Interface translations: gettext catalogs (Babel) per language, chosen per user.

Templates call `_("...")`; `pybabel extract -F babel.cfg` collects the strings, the Indonesian
catalog is `locale/id/LC_MESSAGES/messages.po` and its compiled `.mo` is committed."""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from pathlib import Path

from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "id": "Bahasa Indonesia"}


@cache
def translations(language: str) -> NullTranslations:
    if language == "en" or language not in LANGUAGES:
        return NullTranslations()
    got = Translations.load(str(LOCALE_DIR), [language], domain="messages")
    if not isinstance(got, Translations):
        raise RuntimeError(f"the {language} interface catalog is missing: run `make i18n`")
    return got
