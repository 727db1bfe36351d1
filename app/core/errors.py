"""Domain errors (services raise them, views turn them into messages) and the error pages."""
from flask import render_template
from flask_babel import lazy_gettext as _l

ERROR_PAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back, reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your account does not have access to this page.")),
    404: (_l("Page not found"), _l("There is no page at this address. Check the link or start from the home page.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    429: (_l("Too many attempts"), _l("You have tried too many times in a short while. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("An error on our side stopped this page. It has been logged; please try again in a moment.")),
}


def render_error(code: int, detail=None):
    """The friendly error page, with a specific explanation when the caller has one."""
    title, text = ERROR_PAGES[code]
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


class DomainError(Exception):
    """A broken business rule. `message` is already translated (a lazy string is fine).

    `field` names the form field the message belongs under, when the rule concerns one
    ("slug", "ends_at"); otherwise the message is flashed above the page.
    """

    field: str | None = None

    def __init__(self, message=None, *, field: str | None = None):
        super().__init__(message)
        self.message = message if message is not None else self.default_message()
        if field is not None:
            self.field = field

    def default_message(self):
        return str(self.__class__.__name__)

    def __str__(self) -> str:
        return str(self.message)
