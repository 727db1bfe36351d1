"""A workshop page read in French and in Spanish on a 360 px phone: its own texts in the reader's language,
each label over its value, nothing wider than the screen."""
import pytest
from playwright.sync_api import expect

from tests.helpers import screenshot

pytestmark = pytest.mark.browser

DEMO = "/workshops/inter-regional-labour-migration/"


@pytest.mark.parametrize(("lang", "title", "seats"), [
    ("fr", "Atelier interrégional sur les migrations de main-d’œuvre et le développement", "Places restantes"),
    ("es", "Taller interregional sobre migración laboral y desarrollo", "Plazas disponibles"),
])
def test_a_workshop_page_reads_in_french_and_spanish_on_a_phone(live_server, new_page, lang, title, seats):
    page = new_page(width=360, height=740)
    page.goto(f"{live_server}{DEMO}?lang={lang}")
    expect(page.locator("h1")).to_have_text(title)
    assert page.locator("html").get_attribute("lang") == lang
    screenshot(page, f"workshop-{lang}-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    facts = page.locator("dl.facts").first
    label = facts.locator("dt", has_text=seats)
    value = label.locator("xpath=following-sibling::dd[1]")
    label_box, value_box = label.bounding_box(), value.bounding_box()
    # Label over value, the value as wide as the panel (not squeezed into what the label leaves).
    assert value_box["y"] >= label_box["y"] + label_box["height"] - 1
    assert abs(value_box["x"] - label_box["x"]) < 2 and value_box["width"] > 250
    # The timetable's sessions are in the reader's language too; nothing is marked as another language's.
    assert page.locator("main [lang]").count() == 0
    assert page.locator(".timetable strong").first.inner_text() != "Opening plenary: labour migration today"


def test_on_a_desktop_labels_sit_beside_their_values(live_server, new_page):
    page = new_page(width=1280, height=800)
    page.goto(f"{live_server}{DEMO}?lang=es")
    facts = page.locator("dl.facts").first
    label = facts.locator("dt", has_text="Plazas disponibles")
    value = label.locator("xpath=following-sibling::dd[1]")
    assert value.bounding_box()["x"] > label.bounding_box()["x"] + label.bounding_box()["width"]
