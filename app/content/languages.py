"""A file's translated texts compared once it is read: each language it uses, in every text, with the same figures."""
from dataclasses import dataclass

from app.content.checks import SourceFile
from app.content.figures import difference


@dataclass
class TranslatedText:
    """One translated text, remembered with its line to compare its languages once the whole file is read."""

    line: int
    name: str  # "question 'who-pays': text"
    values: dict


def check_languages(file: SourceFile, texts: list[TranslatedText], what: str) -> None:
    """A language used by one text is used by all (a half-translated `what` would mix languages on one
    page; an untranslated one falls back to English as a whole), saying the same figures as English."""
    used = {lang for text in texts for lang in text.values} - {"en"}
    for text in texts:
        if "en" not in text.values:
            continue  # already reported: English is required
        for lang in sorted(used):
            if lang not in text.values:
                file.error(text.line, f"{text.name} has no {lang} text, though other texts of this {what} have one")
            elif problem := difference(text.values["en"], text.values[lang]):
                file.error(text.line, f"{text.name}.{lang} does not say the figures of the English ({problem})")
