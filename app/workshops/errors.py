"""The rules of workshops that a request can break, each with the message a person reads."""
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError


class RegistrationRefused(DomainError):
    pass


class WorkshopNotOpen(RegistrationRefused):
    def default_message(self):
        return _l("This workshop is not open for registration.")


class OutsideWindow(RegistrationRefused):
    pass


class WorkshopFull(RegistrationRefused):
    def default_message(self):
        return _l("This workshop is full and has no waiting list.")


class AlreadyRegistered(RegistrationRefused):
    def default_message(self):
        return _l("You are already registered for this workshop.")


class LanguageNotOffered(RegistrationRefused):
    field = "working_language"

    def default_message(self):
        return _l("Choose one of the languages this workshop offers.")


class AccountClosed(RegistrationRefused):
    def default_message(self):
        return _l("This account has been deleted or deactivated: it cannot register.")


class ProfileIncomplete(RegistrationRefused):
    def default_message(self):
        return _l("Complete your country, constituency and sex first: the workshop reports on them.")


class InvalidChange(DomainError):
    pass


class SlugTaken(InvalidChange):
    field = "slug"

    def default_message(self):
        return _l("Another workshop already uses this short name.")


class CohortNameTaken(InvalidChange):
    field = "name"

    def default_message(self):
        return _l("A cohort with this name already exists.")
