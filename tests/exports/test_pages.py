"""Where the exports are offered: the admin workshop page, the trainer's registrations and sessions pages."""
import re


def links(html: str) -> set[str]:
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)}


def test_the_admin_workshop_page_links_every_export_and_sheet(browser, world, factory):
    browser.login(factory.admin().email)
    listing = browser.client.get("/admin/workshops/").get_data(as_text=True)
    page_url = f"/admin/workshops/{world.workshop.slug}/"
    assert page_url in links(listing)
    response = browser.client.get(page_url)
    assert response.status_code == 200
    found = links(response.get_data(as_text=True))
    base = page_url
    for kind in ("attendance", "registrations", "results"):
        for fmt in ("csv", "xlsx"):
            assert f"{base}{kind}.{fmt}" in found
            assert f"{base}{kind}.{fmt}?anonymized=1" in found
    assert f"{base}attendance.csv?layout=long" in found and f"{base}attendance.xlsx?layout=long&anonymized=1" in found
    assert f"{base}signin-sheet.pdf" in found
    for session_id in world.sessions.values():
        assert f"{base}signin-sheet.pdf?session={session_id}" in found
    # Every link on the page answers.
    for url in found:
        if url.startswith(base) and url != base:
            assert browser.client.get(url).status_code == 200, url


def test_unknown_workshop_page_is_404(browser, factory):
    browser.login(factory.admin().email)
    assert browser.client.get("/admin/workshops/no-such-workshop/").status_code == 404


def test_the_trainer_pages_link_their_exports_and_sheets(browser, world):
    browser.login(world.trainer.email)
    base = f"/trainer/workshops/{world.workshop.slug}/"
    found = links(browser.client.get(base).get_data(as_text=True))
    assert {f"{base}attendance.csv", f"{base}results.xlsx?anonymized=1", f"{base}signin-sheet.pdf"} <= found
    found = links(browser.client.get(base + "sessions").get_data(as_text=True))
    for session_id in world.sessions.values():
        assert f"{base}signin-sheet.pdf?session={session_id}" in found
