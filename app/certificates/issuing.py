"""Issuing a certificate on the participant's request, and revoking one.

Issuing ends at the unique (participant, workshop) constraint with INSERT … ON CONFLICT DO
NOTHING: a double click, or eight at once, leaves one certificate with one code.
"""
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from app.auth.models import User
from app.certificates import eligibility
from app.certificates.errors import AlreadyRevoked, CertificateRevoked, NotEarned
from app.certificates.models import Certificate
from app.core import audit
from app.core.timeutil import utcnow
from app.extensions import db
from app.workshops.models import Workshop


def new_code() -> str:
    """16 URL-safe characters (96 random bits): printed on the PDF, never guessable."""
    return secrets.token_urlsafe(12)


def _insert():
    name = db.session.get_bind().dialect.name
    return (postgresql.insert if name == "postgresql" else sqlite.insert)(Certificate.__table__)


def certificate_of(user_id: int, workshop_id: int) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.user_id == user_id, Certificate.workshop_id == workshop_id))


def issue(workshop: Workshop, user: User, *, now: datetime | None = None) -> Certificate:
    """The person's certificate for the workshop: issued now if earned, or the one issued before.

    An existing certificate is brought up to date (hours attended so far; participation becomes
    completion once every module is completed) and keeps its code. One that was revoked stays
    revoked. Nothing is created for a person who has not earned one.
    """
    now = now or utcnow()
    standing = eligibility.standing(user.id, workshop, now)
    certificate = certificate_of(user.id, workshop.id)
    if certificate is not None and certificate.is_revoked:
        raise CertificateRevoked()
    kind = standing.kind
    if kind is None:
        if certificate is None:
            raise NotEarned()
        return certificate  # earned before; the attendance since then does not take it away
    if certificate is None:
        inserted = db.session.execute(
            _insert().values(workshop_id=workshop.id, user_id=user.id, kind=kind, code=new_code(), issued_at=now,
                             minutes_attended=standing.minutes_attended, revoke_reason="")
            .on_conflict_do_nothing(index_elements=["user_id", "workshop_id"]).returning(Certificate.__table__.c.id)
        ).scalar()
        certificate = certificate_of(user.id, workshop.id)
        if inserted is not None:
            audit.record(user, "certificate.issued", "certificate", certificate.id, f"{workshop.slug}: {kind.value}")
            db.session.flush()
            return certificate
        if certificate.is_revoked:  # revoked by an admin between our read and our insert
            raise CertificateRevoked()
    if kind.rank > certificate.kind.rank or certificate.minutes_attended != standing.minutes_attended:
        old = f"{certificate.kind.value}, {certificate.minutes_attended} min"
        certificate.kind = max(kind, certificate.kind, key=lambda k: k.rank)
        certificate.minutes_attended = standing.minutes_attended
        audit.record(user, "certificate.updated", "certificate", certificate.id,
                     f"{old} -> {certificate.kind.value}, {certificate.minutes_attended} min")
        db.session.flush()
    return certificate


def revoke(certificate: Certificate, actor: User, reason: str, *, now: datetime | None = None) -> Certificate:
    """Revoke a certificate: its public page says so and the participant is no longer offered it.

    A conditional UPDATE: two admins revoking at once leave one revocation and one audit entry.
    """
    now = now or utcnow()
    revoked = db.session.execute(
        sa.update(Certificate).where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=actor.id, revoke_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not revoked:
        raise AlreadyRevoked()
    audit.record(actor, "certificate.revoked", "certificate", certificate.id, reason)
    db.session.flush()
    db.session.refresh(certificate)
    return certificate
