"""The participation report: exact counts for a known scene, charts that parse, who may read it, empty workshops."""
import sqlalchemy as sa

from app.extensions import db
from app.workshops.models import Cohort, RegistrationStatus
from tests.reports.helpers import (
    add_session,
    as_dict,
    register,
    svgs,
    tables,
    texts,
    title,
)


def report_url(scene, area="trainer"):
    return f"/{area}/workshops/{scene.workshop.slug}/report"


def open_report(browser, scene, area="trainer"):
    response = browser.client.get(report_url(scene, area) + "?lang=en")
    assert response.status_code == 200
    return response


def test_breakdowns_count_every_active_registration_and_rate_confirmed_attendance(browser, scene):
    browser.login(scene.trainer.email)
    sex, constituency, region, country = tables(open_report(browser, scene))[:4]
    assert as_dict(sex) == {
        "Sex": ["Registered", "Confirmed", "Attendance rate"],
        "Female": ["2", "1", "100% (2/2)"],  # Ana and Eve (pending)
        "Male": ["2", "1", "50% (1/2)"],  # Ben and Fay (waitlisted); Gus cancelled is not counted
        "Other": ["0", "0", "–"],
        "Prefer not to say": ["1", "1", "50% (1/2)"],
        "Not given": ["1", "1", "0% (0/1)"],
        "Total": ["6", "4", "57% (4/7)"],
    }
    assert as_dict(constituency) == {
        "Constituency": ["Registered", "Confirmed", "Attendance rate"],
        "Government": ["2", "1", "100% (2/2)"],
        "Workers' organisation": ["1", "1", "50% (1/2)"],
        "Employers' organisation": ["1", "1", "50% (1/2)"],
        "Other (NGO, academia, international organisation)": ["1", "0", "–"],
        "Not given": ["1", "1", "0% (0/1)"],
        "Total": ["6", "4", "57% (4/7)"],
    }
    assert as_dict(region) == {
        "Region": ["Registered", "Confirmed", "Attendance rate"],
        "Africa": ["1", "0", "–"],
        "Americas": ["1", "0", "–"],
        "Arab States": ["1", "1", "50% (1/2)"],
        "Asia and the Pacific": ["1", "1", "100% (2/2)"],
        "Europe and Central Asia": ["1", "1", "50% (1/2)"],
        "Unknown region": ["1", "1", "0% (0/1)"],
        "Total": ["6", "4", "57% (4/7)"],
    }
    assert as_dict(country) == {
        "Country": ["Registered", "Confirmed", "Attendance rate"],
        "Brazil": ["1", "0", "–"], "France": ["1", "1", "50% (1/2)"], "Jordan": ["1", "1", "50% (1/2)"],
        "Kenya": ["1", "0", "–"], "Philippines": ["1", "1", "100% (2/2)"], "Not given": ["1", "1", "0% (0/1)"],
        "Total": ["6", "4", "57% (4/7)"],
    }


def test_attendance_per_session_counts_who_was_expected_and_skips_sessions_not_started(browser, scene):
    browser.login(scene.trainer.email)
    sessions = tables(open_report(browser, scene))[4]
    rows = {row[0]: [row[2], *row[3:]] for row in sessions[1:]}
    assert rows == {
        "Opening plenary": ["Everyone (plenary)", "4", "2", "50%"],
        "Group work A": ["A", "2", "1", "50%"],
        "Group work B": ["B", "1", "1", "100%"],
        "Tomorrow's plenary": ["Everyone (plenary)", "Not started yet"],
    }


def test_learning_per_cohort(browser, scene):
    browser.login(scene.trainer.email)
    learning = tables(open_report(browser, scene))[5]
    assert learning == [
        ["Module", "A (2 participants)", "B (1 participant)", "No cohort (1 participant)"],
        ["Completed", "Average score"] * 3,
        ["1. Module 1", "1/2", "65", "1/1", "70", "0/1", "–"],
        ["2. Module 2", "0/2", "–", "0/1", "–", "0/1", "–"],
        ["All modules", "25%", "65", "50%", "70", "0%", "–"],
    ]


def test_every_chart_is_well_formed_svg_with_a_title_and_text_labels(browser, scene):
    browser.login(scene.trainer.email)
    charts = svgs(open_report(browser, scene))
    assert len(charts) == 4 * 2 + 1 + 2
    titles = [title(svg) for svg in charts]
    assert titles[:2] == ["Registrations by sex", "Attendance rate by sex"]
    assert "Attendance rate per session" in titles and "Module completion per cohort" in titles
    sex_labels = texts(charts[0])
    assert "Prefer not to say" in sex_labels and "Not given" in sex_labels
    assert "57% (4/7)" not in texts(charts[1]) and "50% (1/2)" in texts(charts[1])
    sessions_chart = charts[8]
    labels = texts(sessions_chart)
    assert any(label.endswith("Opening plenary") for label in labels)
    assert not any("Tomorrow" in label for label in labels)  # not started: no bar
    assert "<script" not in open_report(browser, scene).get_data(as_text=True)


def test_markup_in_names_is_escaped_in_the_charts(app, browser, scene):
    nasty = '<b onclick="x()">Grupo "Ñ" & co</b>'
    with app.app_context():
        db.session.execute(sa.update(Cohort).where(Cohort.id == scene.cohorts["A"]).values(name={"en": nasty}))
        db.session.commit()
    add_session(app, scene.workshop.id, "<script>alert(1)</script> & panel", -30)
    browser.login(scene.trainer.email)
    response = open_report(browser, scene)
    page = response.get_data(as_text=True)
    assert "<b onclick" not in page and "<script>alert" not in page
    charts = svgs(response)  # parses: the escaping kept every chart well-formed
    all_texts = [text for svg in charts for text in texts(svg)]
    assert nasty in all_texts  # shown exactly as typed
    assert any(text.endswith("<script>alert(1)</script> & panel") for text in all_texts)


def test_admins_read_it_in_both_areas(browser, factory, scene):
    browser.login(factory.admin().email)
    admin_page = open_report(browser, scene, "admin")
    assert tables(admin_page)[0] == tables(open_report(browser, scene, "trainer"))[0]
    assert "Administration" in admin_page.get_data(as_text=True)


def test_a_trainer_of_another_workshop_gets_404_and_trainers_never_see_the_admin_url(browser, factory, scene):
    outsider = factory.trainer()
    factory.workshop(trainers=[outsider])
    browser.login(outsider.email)
    assert browser.client.get(report_url(scene)).status_code == 404
    assert browser.client.get(f"/trainer/workshops/{scene.workshop.slug}/progress").status_code == 404
    assert browser.client.get(report_url(scene, "admin")).status_code == 403
    browser.logout()
    browser.login(scene.trainer.email)
    assert browser.client.get(report_url(scene, "admin")).status_code == 403
    assert browser.client.get("/trainer/workshops/no-such-workshop/report").status_code == 404


def test_a_workshop_without_sessions_course_or_participants(browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    browser.login(trainer.email)
    response = browser.client.get(f"/trainer/workshops/{workshop.slug}/report?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This workshop has no sessions yet." in page
    assert "This workshop has no course" in page
    sex = as_dict(tables(response)[0])
    assert sex["Total"] == ["0", "0", "–"] and sex["Prefer not to say"] == ["0", "0", "–"]
    assert len(svgs(response)) == 8  # the breakdowns' charts, empty but well-formed


def test_a_workshop_with_participants_but_no_session_started(app, browser, factory):
    trainer = factory.trainer()
    workshop = factory.workshop(trainers=[trainer])
    register(app, workshop.id, [(factory.participant(), RegistrationStatus.CONFIRMED, None, None)])
    add_session(app, workshop.id, "Later", 60 * 24 * 40)
    browser.login(trainer.email)
    response = browser.client.get(f"/trainer/workshops/{workshop.slug}/report?lang=en")
    assert response.status_code == 200
    assert as_dict(tables(response)[0])["Total"] == ["1", "1", "–"]
    assert "No session has started yet." in [t for svg in svgs(response) for t in texts(svg)]
