"""A confirmed participant's timetable: their cohort's sessions and the plenaries; past sessions marked past."""
import pytest

from tests.helpers import Browser


@pytest.fixture
def pages(app, scene):
    def pages_of(user):
        person = Browser(app.test_client())
        if user is not None:
            person.login(user.email)
        detail = person.client.get(f"/workshops/{scene.workshop.slug}/").get_data(as_text=True)
        ics = person.client.get(f"/workshops/{scene.workshop.slug}/timetable.ics").get_data(as_text=True)
        dashboard = person.client.get("/dashboard").get_data(as_text=True) if user is not None else ""
        return detail, ics, dashboard
    return pages_of


def test_confirmed_participant_sees_own_cohort_and_plenaries(pages, scene):
    detail, ics, _ = pages(scene.people["Chen Li"])  # cohort B
    for text in (detail, ics):
        assert "Group work B" in text and "Opening plenary" in text and "Tomorrow" in text
        assert "Group work A" not in text


@pytest.mark.parametrize("who", ["trainer", "visitor", "Pending Pat"])
def test_trainers_visitors_and_unconfirmed_see_everything(pages, scene, who):
    user = {"trainer": scene.trainer, "visitor": None}.get(who) or scene.people.get(who)
    detail, ics, _ = pages(user)
    for text in (detail, ics):
        assert "Group work A" in text and "Group work B" in text


def test_past_sessions_are_shown_as_past(pages, scene):
    detail, _, _ = pages(scene.people["Zoë Ade"])
    past = detail.split("Yesterday&#39;s plenary")[1].split("</li>")[0]
    assert "Past" in past
    assert "Past" not in detail.split("Tomorrow&#39;s plenary")[1].split("</li>")[0]


def test_dashboard_next_session_is_of_own_cohort(pages, scene):
    _, _, dashboard = pages(scene.people["Chen Li"])
    assert "Next session:" in dashboard and "Group work A" not in dashboard


def test_confirmed_participant_is_offered_check_in(pages, scene):
    detail, _, _ = pages(scene.people["Chen Li"])
    assert 'href="/checkin/"' in detail
    detail, _, _ = pages(scene.people["Pending Pat"])
    assert 'href="/checkin/"' not in detail
