"""The site header, rendered once per language and kind of visitor, then kept in process memory.

Every page has it: about twenty links and labels, a fifth of a small page's rendering. Nothing in it
belongs to one person except the form token (the logout and language forms) and the page the
language form comes back to; those two are filled into the kept HTML on each request. The key holds
everything else the header shows, so a participant never sees an administrator's links: the language
and whether the visitor is signed in, an administrator, a trainer. The URL prefix the app is served
under is in the key too. At most 3 languages × 4 kinds of visitor × the prefixes: a dozen strings per
prefix, of 1.0 KB (a visitor) to 1.4 KB (an administrator), measured.
"""
from urllib.parse import urlencode

from flask import current_app, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.core.i18n import LANGUAGE_NAMES, LANGUAGE_PARAMETER, current_language

TEMPLATE = "_layout/header.html"
# Placeholders the template prints where the per-request values go; no page text can contain them.
CSRF_SLOT = "\x1fcsrf-token\x1f"
NEXT_SLOT = "\x1fnext-path\x1f"
EXTENSION = "site_headers"


def site_header() -> Markup:
    """The header for this request: the kept one for this kind of visitor, with its token and return path."""
    signed_in = bool(current_user and current_user.is_authenticated)
    key = (current_language(), signed_in, signed_in and current_user.is_admin, signed_in and current_user.is_trainer,
           request.script_root)
    kept = current_app.extensions[EXTENSION]
    html = kept.get(key)
    if html is None:
        html = kept[key] = current_app.jinja_env.get_template(TEMPLATE).render(
            signed_in=key[1], admin=key[2], trainer=key[3], language_names=LANGUAGE_NAMES,
            current_language=current_language, csrf_slot=CSRF_SLOT, next_slot=NEXT_SLOT,
        )
    return Markup(html.replace(CSRF_SLOT, escape(generate_csrf())).replace(NEXT_SLOT, escape(_back_to())))


def _back_to() -> str:
    """This page, for the language form to return to; without `?lang=`, which would outvote the new choice."""
    if not request.query_string:
        return request.path
    if LANGUAGE_PARAMETER not in request.args:
        return request.full_path
    rest = [(key, value) for key, value in request.args.items(multi=True) if key != LANGUAGE_PARAMETER]
    return request.path + ("?" + urlencode(rest) if rest else "")


def init_app(app) -> None:
    app.extensions[EXTENSION] = {}
    app.add_template_global(site_header)
