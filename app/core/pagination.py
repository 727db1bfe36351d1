"""Paging for long lists: a page number from the query string that never errors."""
from flask import request


def page_number() -> int:
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        return 1
    return min(max(page, 1), 100_000)
