"""The base layout: one small stylesheet of our own, landmarks, skip link, nothing from other sites."""
import re

import pytest


def test_stylesheet_is_small(client):
    css = client.get("/static/css/passage.css")
    assert css.status_code == 200 and len(css.data) < 15_000


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/privacy", "/workshops/"])
def test_layout_landmarks_and_no_third_party_requests(client, path):
    page = client.get(path).get_data(as_text=True)
    for landmark in ('<header', '<nav aria-label=', '<main id="main"', '<footer'):
        assert landmark in page
    assert '<a class="skip-link" href="#main">' in page
    assert re.search(r'<html lang="(en|fr|es)">', page)
    # Every script, stylesheet, image or font comes from this site.
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page.replace('href="http://localhost', ''))
    assert "<script" not in page  # works with JavaScript off: there is none
