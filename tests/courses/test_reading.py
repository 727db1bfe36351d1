"""The participant's path through a course: catalogue, module, sections, progress."""
import sqlalchemy as sa

from app.courses.cache import bump_version
from app.courses.models import Module, Section
from app.extensions import db
from app.progress.models import ModuleProgress


def progress_of(app, user_id, module_key="module-1"):
    with app.app_context():
        return db.session.scalar(
            sa.select(ModuleProgress).join(Module, Module.id == ModuleProgress.module_id)
            .where(ModuleProgress.user_id == user_id, Module.key == module_key)
        )


def test_anonymous_visitor_is_sent_to_login_then_back(browser, factory):
    factory.course()
    user = factory.participant()
    response = browser.client.get("/courses/demo-course/module-1/section-2/")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    response = browser.post("/login?next=/courses/demo-course/module-1/section-2/", {"email": user.email, "password": "correct horse battery staple"})
    assert response.headers["Location"] == "/courses/demo-course/module-1/section-2/"


def test_catalogue_and_course_pages_list_modules_with_status(browser, factory):
    factory.course()
    user = factory.participant()
    browser.login(user.email)
    page = browser.client.get("/courses/").get_data(as_text=True)
    assert "Demo course" in page and "Module 1" in page and "Module 2" in page
    page = browser.client.get("/courses/demo-course/").get_data(as_text=True)
    assert "Not started" in page and "about 10 minutes" in page
    assert "0 of 3 sections read" in page


def test_module_opens_the_first_unread_section(browser, factory):
    factory.course()
    browser.login(factory.participant().email)
    response = browser.client.get("/courses/demo-course/module-1/")
    assert response.headers["Location"] == "/courses/demo-course/module-1/section-1/"
    browser.post("/courses/demo-course/module-1/section-1/")
    response = browser.client.get("/courses/demo-course/module-1/")
    assert response.headers["Location"] == "/courses/demo-course/module-1/section-2/"


def test_next_records_the_section_and_moves_on(app, browser, factory):
    factory.course()
    user = factory.participant()
    browser.login(user.email)
    page = browser.client.get("/courses/demo-course/module-1/section-1/").get_data(as_text=True)
    assert "Text of section 1." in page and "Key figures" in page and "Section 1 of 3" in page
    response = browser.post("/courses/demo-course/module-1/section-1/")
    assert response.headers["Location"] == "/courses/demo-course/module-1/section-2/"
    browser.post("/courses/demo-course/module-1/section-1/")  # reading twice counts once
    progress = progress_of(app, user.id)
    assert len(progress.sections_read) == 1
    browser.post("/courses/demo-course/module-1/section-2/")
    response = browser.post("/courses/demo-course/module-1/section-3/")
    assert response.headers["Location"] == "/courses/demo-course/module-1/quiz"
    progress = progress_of(app, user.id)
    assert len(progress.sections_read) == 3 and progress.completed_at is None  # quiz not passed yet
    page = browser.client.get("/courses/demo-course/").get_data(as_text=True)
    assert "3 of 3 sections read" in page and "In progress" in page


def test_section_text_follows_the_language_with_english_fallback(browser, factory):
    factory.course()
    browser.login(factory.participant().email)
    page = browser.client.get("/courses/demo-course/module-1/section-1/?lang=fr").get_data(as_text=True)
    assert "Texte 1." in page and '<article class="prose panel" aria-labelledby="section-title">' in page
    assert "pas encore traduite" not in page
    # No Spanish text: the English is shown, says so in Spanish, and is marked as English for screen readers.
    page = browser.client.get("/courses/demo-course/module-1/section-1/?lang=es").get_data(as_text=True)
    assert "Text of section 1." in page
    assert '<article class="prose panel" aria-labelledby="section-title" lang="en">' in page
    assert '<p class="alert" lang="es">Esta sección aún no está traducida a su idioma: aquí está en inglés.</p>' in page
    assert '<h1 lang="en">Module 1</h1>' in page


def test_unknown_course_module_or_section_is_404(browser, factory):
    factory.course()
    browser.login(factory.participant().email)
    for path in ("/courses/nope/", "/courses/demo-course/nope/", "/courses/demo-course/module-1/nope/",
                 "/courses/demo-course/module-1/quiz/", "/courses/nope/module-1/section-1/"):
        assert browser.client.get(path).status_code == 404, path
    assert browser.post("/courses/demo-course/module-1/nope/").status_code == 404


def test_next_without_csrf_records_nothing(app, browser, factory):
    factory.course()
    user = factory.participant()
    browser.login(user.email)
    assert browser.client.post("/courses/demo-course/module-1/section-1/").status_code == 400
    assert progress_of(app, user.id) is None


def test_retired_section_is_gone_and_no_longer_counts(app, browser, factory):
    factory.course()
    user = factory.participant()
    browser.login(user.email)
    with app.app_context():
        section = db.session.scalar(sa.select(Section).where(Section.key == "section-3").join(Module).where(Module.key == "module-1"))
        section.retired_at = sa.func.now()
        bump_version()  # as `flask content sync` does when it retires a section
        db.session.commit()
    assert browser.client.get("/courses/demo-course/module-1/section-3/").status_code == 404
    page = browser.client.get("/courses/demo-course/").get_data(as_text=True)
    assert "0 of 2 sections read" in page
