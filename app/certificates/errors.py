"""The rules of certificates that a request can break, each with the message a person reads."""
from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError


class CertificateRefused(DomainError):
    pass


class NotEarned(CertificateRefused):
    def default_message(self):
        return _l("You have not earned a certificate for this workshop yet: it needs a confirmed place and "
                  "the workshop's attendance rate over the sessions held so far.")


class CertificateRevoked(CertificateRefused):
    def default_message(self):
        return _l("Your certificate for this workshop was revoked. Contact the organisers if you think this is a mistake.")


class AlreadyRevoked(CertificateRefused):
    def default_message(self):
        return _l("This certificate was already revoked.")
