"""Paging for long lists: a page number from the query string that never errors."""
from flask import request, url_for


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
