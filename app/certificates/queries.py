"""Reads for the certificate pages, each a fixed number of queries."""
import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.certificates import eligibility
from app.certificates.models import Certificate, CertificateKind
from app.extensions import db
from app.workshops.models import RegistrationStatus, Workshop

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")


@dataclass(frozen=True)
class Found:
    certificate: Certificate
    user: User
    workshop: Workshop


def find_by_code(code: str) -> Found | None:
    """The certificate with this code, its participant and workshop, in one query (none for a malformed code)."""
    if not CODE_RE.match(code):
        return None
    row = db.session.execute(
        sa.select(Certificate, User, Workshop).join(User, User.id == Certificate.user_id)
        .join(Workshop, Workshop.id == Certificate.workshop_id).where(Certificate.code == code)
    ).first()
    return Found(*row) if row else None


@dataclass(frozen=True)
class Offer:
    """What the dashboard shows for one workshop: a certificate to get, the one issued, or that it was revoked."""

    kind: CertificateKind
    certificate: Certificate | None

    @property
    def revoked(self) -> bool:
        return self.certificate is not None and self.certificate.is_revoked


def offers(user_id: int, registrations) -> dict[int, Offer]:
    """{workshop id: Offer} for the dashboard's registrations (entries with .registration and .workshop).

    Three queries for any number of workshops: the certificates issued, attendance, modules.
    """
    workshops = [entry.workshop for entry in registrations if entry.registration.status == RegistrationStatus.CONFIRMED]
    if not workshops:
        return {}
    issued = {c.workshop_id: c for c in db.session.scalars(
        sa.select(Certificate).where(Certificate.user_id == user_id, Certificate.workshop_id.in_([w.id for w in workshops])))}
    result = {}
    for workshop_id, standing in eligibility.standings(user_id, workshops).items():
        certificate = issued.get(workshop_id)
        kinds = [k for k in (standing.kind, certificate and certificate.kind) if k is not None]
        if kinds:
            result[workshop_id] = Offer(max(kinds, key=lambda k: k.rank), certificate)
    return result


@dataclass(frozen=True)
class Row:
    certificate: Certificate
    user: User
    revoked_by: str | None


def of_workshop(workshop_id: int) -> list[Row]:
    """The workshop's certificates with their participants (and who revoked them), by name: one query."""
    revoker = aliased(User)
    rows = db.session.execute(
        sa.select(Certificate, User, revoker.name).join(User, User.id == Certificate.user_id)
        .outerjoin(revoker, revoker.id == Certificate.revoked_by_id)
        .where(Certificate.workshop_id == workshop_id).order_by(sa.func.lower(User.name), User.id)
    ).all()
    return [Row(*row) for row in rows]
