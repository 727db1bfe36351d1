"""Language choice and localized reference lists (countries) for forms and pages."""
import unicodedata
from functools import lru_cache

import pycountry
from babel import Locale
from flask import current_app, g, has_request_context, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

# Each language is named in itself, so a lost reader still finds theirs.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
SESSION_KEY = "lang"
LANGUAGE_PARAMETER = "lang"  # `?lang=xx` shows one page in that language


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def is_supported(code: str | None) -> bool:
    return bool(code) and code in supported_languages()


def select_locale() -> str:
    """?lang= on this page, then this visit's explicit choice, then the saved preference, then the browser."""
    if not has_request_context():  # CLI and background work: messages are forced per recipient
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    requested = request.args.get(LANGUAGE_PARAMETER)
    if is_supported(requested):
        return requested
    if is_supported(session.get(SESSION_KEY)):
        return session[SESSION_KEY]
    if current_user and current_user.is_authenticated and is_supported(current_user.preferred_language):
        return current_user.preferred_language
    return request.accept_languages.best_match(supported_languages()) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _translations():
    """The current language's catalogue, looked up once per language per request.

    A page calls gettext 20 to 200 times; Flask-Babel finds the catalogue again on every call (its
    context, the domain, the locale's name: about 50 µs each). This keeps the answer next to the
    locale object it was for, so `force_locale` (an e-mail in its recipient's language) still switches.
    """
    locale = get_locale()
    cached = g.get("_catalogue")
    if cached is None or cached[0] is not locale:
        cached = g._catalogue = (locale, get_translations())
    return cached[1]


def install_template_gettext(app) -> None:
    """Templates' _() and ngettext() through the per-request catalogue (what Flask-Babel installs, faster)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda string: _translations().ugettext(string),
        ngettext=lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        pgettext=lambda context, string: _translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n),
        newstyle=True,
    )


def current_language() -> str:
    """The page's language code ("fr"); a page asks a hundred times, so its name is kept per locale object
    (naming a babel Locale rebuilds the string each time; `force_locale` brings another object)."""
    locale = get_locale()
    cached = g.get("_language")
    if cached is None or cached[0] is not locale:
        cached = g._language = (locale, str(locale or "en"))
    return cached[1]


def language_name(code: str) -> str:
    """A language named in the reader's language: "French", "français", "francés"."""
    return Locale.parse(current_language()).languages.get(code, code)


@lru_cache(maxsize=8)
def _countries(locale_code: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale_code).territories
    names = [(c.alpha_2, territories.get(c.alpha_2, c.name)) for c in pycountry.countries]
    return tuple(sorted(names, key=lambda pair: sort_key(pair[1])))


def sort_key(name: str) -> str:
    """Alphabetical order for people: accents must not push "Égypte" after "Zambie"."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def country_choices() -> list[tuple[str, str]]:
    return list(_countries(current_language()))


COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)


@lru_cache(maxsize=8)
def _country_names(locale_code: str) -> dict[str, str]:
    return dict(_countries(locale_code))


def country_name(code: str | None) -> str:
    if not code:
        return ""
    return _country_names(current_language()).get(code, code)


def country_names() -> dict[str, str]:
    """{code: name} in the reader's language, for a list that names a country on every row."""
    return _country_names(current_language())
