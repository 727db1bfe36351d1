"""The progress matrix: participants × modules with their attendance, filtered by cohort."""
from app.extensions import db
from app.workshops.models import Cohort
from tests.reports.helpers import tables


def matrix(browser, scene, query=""):
    response = browser.client.get(f"/trainer/workshops/{scene.workshop.slug}/progress?lang=en{query}")
    assert response.status_code == 200
    return response, tables(response)[0]


def test_each_confirmed_participant_with_their_modules_and_attendance(browser, scene):
    browser.login(scene.trainer.email)
    response, table = matrix(browser, scene)
    assert table[0] == ["Participant", "1. Module 1", "2. Module 2", "Modules completed"]
    assert table[1:] == [
        ["Ana Attendance 100% (2/2) · A", "Completed 3/3 read quiz 90", "In progress 2/3 read quiz –", "1/2"],
        ["Ben Attendance 50% (1/2) · A", "In progress 1/3 read quiz 40", "Not started", "0/2"],
        ["Chen Attendance 50% (1/2) · B", "Completed 3/3 read quiz 70", "Not started", "1/2"],
        ["Dee Attendance 0% (0/1)", "Not started", "Not started", "0/2"],
        ["Completed", "2/4", "0/4", ""],
    ]
    page = response.get_data(as_text=True)
    assert "Eve" not in page and "Fay" not in page and "Gus" not in page  # not confirmed


def test_filter_by_cohort_and_by_no_cohort(browser, scene):
    browser.login(scene.trainer.email)
    _, table = matrix(browser, scene, f"&cohort={scene.cohorts['A']}")
    assert [row[0].split()[0] for row in table[1:-1]] == ["Ana", "Ben"]
    assert table[-1] == ["Completed", "1/2", "0/2", ""]
    _, table = matrix(browser, scene, "&cohort=none")
    assert [row[0].split()[0] for row in table[1:-1]] == ["Dee"]


def test_a_cohort_of_another_workshop_is_ignored_with_a_message(app, browser, factory, scene):
    other = factory.workshop()
    with app.app_context():
        cohort = Cohort(workshop_id=other.id, name={"en": "Elsewhere"})
        db.session.add(cohort)
        db.session.commit()
        elsewhere = cohort.id
    browser.login(scene.trainer.email)
    for value in (str(elsewhere), "abc", "99999999999", "-1"):
        response, table = matrix(browser, scene, f"&cohort={value}")
        assert "That cohort is not one of this workshop&#39;s: every participant is shown." in response.get_data(as_text=True)
        assert len(table) == 1 + 4 + 1


def test_a_workshop_without_course_or_participants(browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    response = browser.client.get(f"/trainer/workshops/{workshop.slug}/progress?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This workshop has no course" in page and "No confirmed participant here yet." in page


def test_the_trainers_navigation_links_both_pages(browser, scene):
    browser.login(scene.trainer.email)
    page = browser.client.get(f"/trainer/workshops/{scene.workshop.slug}/?lang=en").get_data(as_text=True)
    assert f'href="/trainer/workshops/{scene.workshop.slug}/progress"' in page
    assert f'href="/trainer/workshops/{scene.workshop.slug}/report"' in page
