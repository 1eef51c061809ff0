"""Languages of the web app: Dutch first (the message ids are Dutch), English from a catalog.

The English catalog is a ``.po`` file in the package, compiled in memory at start-up with
Babel, so no compiled ``.mo`` file is kept in the repository. Extract new messages with
``make messages`` (see the Makefile) and translate them in ``locale/en/LC_MESSAGES``.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
LANG_COOKIE = "sw_lang"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The translations for ``lang``; Dutch needs none because the message ids are Dutch."""
    if lang == DEFAULT_LANGUAGE or lang not in LANGUAGES:
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def pick_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE
