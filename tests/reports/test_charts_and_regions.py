"""The pure pieces: the ILO regions of country codes, and bar charts drawn from numbers."""
import xml.etree.ElementTree as ET

import pycountry
import pytest

from app.reports.charts import VALUE_ROOM, WIDTH, Bar, bar_chart
from app.reports.regions import _CODES, REGION_OF, Region, region_of
from tests.reports.helpers import SVG_NS, texts, title


@pytest.mark.parametrize(("code", "region"), [
    ("PH", Region.ASIA_PACIFIC), ("ma", Region.AFRICA), ("EG", Region.AFRICA), ("JO", Region.ARAB_STATES),
    ("AE", Region.ARAB_STATES), ("UZ", Region.EUROPE_CENTRAL_ASIA), ("TR", Region.EUROPE_CENTRAL_ASIA),
    ("MX", Region.AMERICAS), ("IR", Region.ASIA_PACIFIC), ("FJ", Region.ASIA_PACIFIC),
    (None, None), ("", None), ("XX", None), ("AQ", None),
])
def test_region_of(code, region):
    assert region_of(code) is region


def test_every_country_but_antarctica_has_a_region_and_only_one():
    codes = {country.alpha_2 for country in pycountry.countries}
    assert codes - set(REGION_OF) == {"AQ"}
    listed = [code for region_codes in _CODES.values() for code in region_codes.split()]
    assert len(listed) == len(set(listed))


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_a_chart_scales_to_its_largest_value_and_writes_every_value():
    svg = parse(bar_chart("c1", "Registrations", [Bar("A", (4, 2), ("4", "2")), Bar("B", (8, 0), ("8", "0"))],
                          ["Registered", "Confirmed"]))
    assert title(svg) == "Registrations" and svg.get("role") == "img"
    bars = [float(rect.get("width")) for rect in svg.iter(f"{SVG_NS}rect") if rect.get("height") == "15"]
    room = WIDTH - VALUE_ROOM
    assert bars == [room / 2, room / 4, room]  # 4, 2 and 8 out of 8; a zero draws no bar
    assert ["Registrations", "Registered", "Confirmed", "A", "4", "2", "B", "8", "0"] == texts(svg)


def test_bars_are_proportional_and_percentages_have_a_fixed_scale():
    svg = parse(bar_chart("c2", "Rates", [Bar("Half", (50,), ("50%",)), Bar("All", (100,), ("100%",))], ["Rate"], maximum=100))
    bars = [float(rect.get("width")) for rect in svg.iter(f"{SVG_NS}rect") if rect.get("height") == "15"]
    assert bars[1] == pytest.approx(2 * bars[0])


def test_nothing_to_draw_never_divides_by_zero():
    for bars in ([], [Bar("Nobody", (0, 0), ("0", "0"))], [Bar("No rate", (None,), ("–",))]):
        svg = parse(bar_chart("c3", "Empty", bars, ["Only"] if bars and len(bars[0].values) == 1 else ["One", "Two"],
                              empty="Nothing yet."))
        assert title(svg) == "Empty"
    assert "Nothing yet." in texts(parse(bar_chart("c4", "Empty", [], ["One"], empty="Nothing yet.")))


def test_labels_are_escaped_and_long_ones_shortened():
    label = '<script>alert("x")</script> & ' + "a very long label " * 5
    svg = parse(bar_chart("c5", 'Title <with> "quotes" & more', [Bar(label, (1,), ("1",))], ["One"]))
    assert title(svg) == 'Title <with> "quotes" & more'
    assert texts(svg)[0] == 'Title <with> "quotes" & more'  # the title is drawn too, for print
    shown = texts(svg)[1]
    assert shown.startswith('<script>alert("x")</script> &') and shown.endswith("…") and len(shown) <= 60
    assert label in "".join(svg.find(f"{SVG_NS}g").find(f"{SVG_NS}title").itertext())


def test_a_chart_id_cannot_break_out_of_its_attributes():
    svg = parse(bar_chart('x" onload="alert(1)', "T", [Bar("A", (1, 2), ("1", "2"))], ["One", "Two"]))
    assert svg.get("onload") is None and svg.get("aria-labelledby") == "xonloadalert1-title"
