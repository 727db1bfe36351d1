"""The attendance rate: present and late over the started sessions a person was expected at."""
from datetime import timedelta

from app.attendance.rates import Rate, attendance_rates
from app.core.timeutil import utcnow


def test_rates_count_present_and_late_over_started_expected_sessions(app, world):
    with app.app_context():
        rates = attendance_rates(world.workshop.id)
    people = world.people
    # Cohort A is expected at the plenary and A's session; the future plenary has not started.
    assert rates[people["formula"].id] == Rate(expected=2, attended=2, excused=0)
    # Excused is not attended: the session stays in the denominator.
    assert rates[people["arabic"].id] == Rate(expected=2, attended=1, excused=1)
    # Cohort B is not expected at A's session.
    assert rates[people["b"].id] == Rate(expected=2, attended=1, excused=0)
    # Unmarked started sessions count as not attended.
    assert rates[people["viet"].id] == Rate(expected=2, attended=0, excused=0)
    # Only confirmed participants have a rate.
    assert people["pending"].id not in rates
    assert len(rates) == 11


def test_before_any_session_the_rate_is_none_not_zero(app, world):
    with app.app_context():
        rates = attendance_rates(world.workshop.id, now=utcnow() - timedelta(days=2))
    rate = rates[world.people["formula"].id]
    assert rate == Rate(0, 0, 0) and rate.value is None and not rate.reaches(0)


def test_every_session_counts_once_it_has_started(app, world):
    with app.app_context():
        rates = attendance_rates(world.workshop.id, now=utcnow() + timedelta(days=2))
    assert rates[world.people["formula"].id] == Rate(expected=3, attended=2, excused=0)


def test_reaches_compares_in_integers():
    assert Rate(10, 7).reaches(70)  # 0.7 * 10 is 7.000000000000001 in floats
    assert Rate(5, 4).reaches(80) and not Rate(5, 3).reaches(80)
    assert Rate(3, 2).value == 2 / 3
