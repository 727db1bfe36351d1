"""Build users (and later workshops) through the services, as the app itself does.

Each object is committed (to the test's savepoint) and handed back detached, loaded.
"""
import itertools

from app.auth import services as accounts
from app.auth.models import Constituency, Sex
from app.core.permissions import Role
from app.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


class Factory:
    def __init__(self, app):
        self.app = app

    def _saved(self, build):
        with self.app.app_context():
            obj = build()
            db.session.commit()
            db.session.refresh(obj)
            db.session.expunge(obj)
            return obj

    def user(self, role: Role = Role.PARTICIPANT, *, email: str | None = None, password: str = DEFAULT_PASSWORD, **profile):
        number = next(_numbers)
        fields = {
            "name": f"Person {number}",
            "country": "PH",
            "organisation": "Department of Migrant Workers",
            "constituency": Constituency.GOVERNMENT,
            "sex": Sex.FEMALE,
            "preferred_language": "en",
        }
        fields.update(profile)
        email = email or f"person{number}@example.net"
        return self._saved(lambda: accounts.create_user(email=email, password=password, role=role, **fields))

    def participant(self, **kwargs):
        return self.user(Role.PARTICIPANT, **kwargs)

    def trainer(self, **kwargs):
        return self.user(Role.TRAINER, **kwargs)

    def admin(self, **kwargs):
        return self.user(Role.ADMIN, **kwargs)
