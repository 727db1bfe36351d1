"""The rules of attendance and check-in that a request can break, each with the message a person reads."""
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError


class AttendanceRefused(DomainError):
    """A refusal; `status` is the HTTP status the check-in page answers with."""

    status = 403


class UnknownCode(AttendanceRefused):
    status = 404

    def default_message(self):
        return _l("This check-in code is not known. Check the code with your trainer, or scan the QR code again.")


class CodeExpired(AttendanceRefused):
    def default_message(self):
        return _l("This check-in code has expired. Ask your trainer to open check-in again.")


class CheckInClosed(AttendanceRefused):
    def default_message(self):
        return _l("Check-in for this session is closed. Your trainer takes attendance on the roster.")


class NotExpected(AttendanceRefused):
    def default_message(self):
        return _l("You are not on the list for this session: only its workshop's confirmed participants can check in.")


class OtherCohort(AttendanceRefused):
    def default_message(self):
        return _l("This session is for another cohort. Check your own timetable on the workshop page.")


class CheckInNotAvailable(AttendanceRefused):
    """The trainer opened check-in too early, or after the session ended."""
