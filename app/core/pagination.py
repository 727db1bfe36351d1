"""Reading numbers from URLs and forms safely, paging, and links that keep the filters."""
from flask import request, url_for

MAX_ID = 2**31 - 1  # the largest key an INTEGER column holds on every database


def parse_id(value) -> int | None:
    """A database id from user input, or None: never a value the database would choke on."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 10 and 0 < int(value) <= MAX_ID:
        return int(value)
    return None


def page_number() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), 100_000)


def url_with(**changes) -> str:
    """This page's URL with some query arguments changed (a pager keeps the filters)."""
    args = request.args.to_dict()
    args.update({key: value for key, value in changes.items() if value is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)
