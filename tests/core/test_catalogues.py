"""Every string the app shows has its French and Spanish translation, and the catalogue is current."""
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"


def untranslated(language: str) -> list:
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalogue = read_po(file)
    return [message.id for message in catalogue if message.id and (
        not message.string or (isinstance(message.string, tuple) and not all(message.string))
        or message.fuzzy)]


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_string_is_translated(language):
    assert untranslated(language) == []


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """`make messages` was run after the last new string (templates/_macros included)."""
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                                "-o", str(extracted), "--ignore-dirs=.* __pycache__ instance node_modules", str(ROOT)])
    with open(extracted, "rb") as file:
        in_code = {message.id for message in read_po(file) if message.id}
    with open(TRANSLATIONS / "messages.pot", "rb") as file:
        in_catalogue = {message.id for message in read_po(file) if message.id}
    assert in_code - in_catalogue == set(), "run `make messages` and translate the new strings"


# French typography: a narrow no-break space (U+202F) before : ; ! ? and inside « ». A colon
# counts only before a space or the end (so "https://" and "10:00" stay as they are).
NNBSP = "\u202f"
FRENCH_SPACING = re.compile(r"(?:[^\u202f](?:[;!?]|:(?=\s|$)))|«[^\u202f]|[^\u202f]»")


def french_texts():
    with open(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po", "rb") as file:
        catalogue = read_po(file)
    for message in catalogue:
        if message.id:  # not the header
            yield from message.string if isinstance(message.string, tuple) else (message.string,)


def french_spacing_faults() -> list[str]:
    faults = []
    for text in french_texts():
        # Placeholders like %(name)s and HTML entities like &amp; are not prose.
        prose = re.sub(r"%\([a-z_]+\)[sd]|&[a-z]+;|&#\d+;", "x", text or "")
        if FRENCH_SPACING.search(prose):
            faults.append(text)
    return faults


def test_french_punctuation_has_its_narrow_no_break_spaces():
    assert french_spacing_faults() == []


def test_french_elisions_take_the_typographic_apostrophe():
    # « l’atelier », « d’attente »: the same apostrophe everywhere, as in the rest of the catalogue.
    assert [text for text in french_texts() if re.search(r"\w'\w", text or "")] == []
