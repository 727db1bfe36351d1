"""Reading numbers from URLs and forms safely, paging, and links that keep the filters."""
import re
from urllib.parse import urlencode

from flask import request, url_for
from flask_sqlalchemy.pagination import SelectPagination

MAX_ID = 2**31 - 1  # the largest key an INTEGER column holds on every database
MAX_PAGE = 100_000
# ASCII digits only: str.isdigit() also accepts "²" (which int() refuses: a 500) and "١٢" (which int()
# reads as 12, so one record would answer to many spellings). A URL's `<int:…>` uses the same rule.
DIGITS = r"[0-9]+"
_DIGITS = re.compile(DIGITS)


def parse_id(value) -> int | None:
    """A database id from user input, or None: never a value the database would choke on."""
    if isinstance(value, str) and len(value) <= 10 and _DIGITS.fullmatch(value) and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def page_number() -> int:
    """`?page=`: 1 unless it is a whole number in ASCII digits; at most MAX_PAGE, however long the number."""
    value = request.args.get("page", "")
    if not _DIGITS.fullmatch(value):
        return 1
    return MAX_PAGE if len(value) > 6 else min(max(int(value), 1), MAX_PAGE)


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (a pager keeps the filters).

    The query is written as text after the route's own URL, never handed to url_for as keywords:
    a visitor's `?endpoint=`, `?_method=`, `?_external=` or `?slug=` would otherwise reach url_for's
    own parameters or the route's, and the page would fail or link elsewhere.
    """
    args = request.args.copy()
    for key, value in changes.items():
        if value is not None:
            args[key] = str(value)
    query = urlencode(list(args.items(multi=True)))
    base = url_for(request.endpoint, **(request.view_args or {}))
    return f"{base}?{query}" if query else base


class LinePagination(SelectPagination):
    """db.paginate for a select() of columns: each row of the page becomes `line(*row)`, a NamedTuple whose
    fields are the columns' names in order (SelectPagination keeps only each row's first column)."""

    def _query_items(self) -> list:
        select, line = self._query_args["select"], self._query_args["line"]
        # Checked once per page, not per row (by name, `line(**row._mapping)`, costs 0.3 ms per 100 rows):
        # a column missing, renamed or moved fails at once instead of landing in another field.
        columns = tuple(select.selected_columns.keys())
        if columns != line._fields:
            raise TypeError(f"{line.__name__} has the fields {line._fields}, the select {columns}")
        rows = self._query_args["session"].execute(select.limit(self.per_page).offset(self._query_offset))
        return [line(*row) for row in rows]
