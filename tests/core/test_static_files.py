"""Static files: versioned URLs (the content hash), cached for a year when the version matches."""
import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"


def linked(page: str, name: str) -> str:
    match = re.search(rf'(/static/{re.escape(name)}\?v=[0-9a-f]+)"', page)
    assert match, f"no versioned link to {name}"
    return match.group(1)


def test_pages_link_static_files_by_content_hash(client):
    page = client.get("/").get_data(as_text=True)
    url = linked(page, "css/passage.css")
    digest = hashlib.sha256((STATIC / "css" / "passage.css").read_bytes()).hexdigest()
    assert url.endswith("?v=" + digest[:12])
    linked(page, "img/favicon.svg")


def test_a_versioned_file_is_cached_for_a_year_and_immutable(client):
    url = linked(client.get("/").get_data(as_text=True), "css/passage.css")
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "text/css" in response.headers["Content-Type"]


def test_an_unversioned_or_stale_url_is_revalidated(client):
    for url in ("/static/css/passage.css", "/static/css/passage.css?v=000000000000"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert "max-age=31536000" not in response.headers.get("Cache-Control", "")
