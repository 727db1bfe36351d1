"""Every page has a meta description (the one SEO audit Lighthouse failed), translated, and a workshop its own."""
import re

import pytest

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]+)">')


@pytest.mark.parametrize("path", ["/", "/login", "/signup", "/privacy", "/workshops/", "/nowhere"])
def test_every_page_has_a_description(client, path):
    page = client.get(path).get_data(as_text=True)
    assert len(DESCRIPTION.findall(page)) == 1
    assert 50 < len(DESCRIPTION.search(page).group(1)) < 300


def test_the_description_is_in_the_page_language(client):
    english = DESCRIPTION.search(client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)).group(1)
    for lang in ("fr", "es"):
        page = client.get("/", headers={"Accept-Language": lang}).get_data(as_text=True)
        assert DESCRIPTION.search(page).group(1) != english, lang


def test_a_workshop_page_describes_that_workshop(client, factory):
    workshop = factory.workshop(title="Fair recruitment <in> practice", description="Five days on fees. " * 30)
    page = client.get(f"/workshops/{workshop.slug}/").get_data(as_text=True)
    description = DESCRIPTION.search(page).group(1)
    assert description.startswith("Fair recruitment &lt;in&gt; practice, ")
    assert "Five days on fees." in description and len(description) < 250
