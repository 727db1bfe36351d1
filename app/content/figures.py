"""The figures of a text, compared across languages: a translation says the same numbers as English."""
import re

# A number, with its thousands or decimal separators in any of our languages:
# 167.7 / 167,7 and 1,234 / 1 234 / 1.234 all become the same digits.
NUMBER_RE = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d{1,3}(?!\d))*")
SEPARATORS_RE = re.compile(r"[.,\u00a0\u202f ]")
LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")  # URLs may differ per language (NORMLEX /en/, /fr/)


def figures(text: str) -> frozenset[str]:
    return frozenset(SEPARATORS_RE.sub("", number) for number in NUMBER_RE.findall(LINK_TARGET_RE.sub("]", text)))


def difference(english: str, translation: str) -> str | None:
    """How the figures of a translation differ from the English, or None when they agree."""
    ours, theirs = figures(english), figures(translation)
    if ours == theirs:
        return None
    parts = []
    if ours - theirs:
        parts.append(f"only in English: {', '.join(sorted(ours - theirs))}")
    if theirs - ours:
        parts.append(f"only here: {', '.join(sorted(theirs - ours))}")
    return "; ".join(parts)
