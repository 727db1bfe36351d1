"""Who may see and who may manage a workshop: the one object-level check every view uses."""
import sqlalchemy as sa
from flask import abort

from app.core.permissions import Role
from app.extensions import db
from app.workshops.models import Workshop, WorkshopStatus, workshop_trainers


def get_by_slug(slug: str) -> Workshop | None:
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))


def is_trainer_of(user, workshop_id: int) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(workshop_trainers)
        .where(workshop_trainers.c.workshop_id == workshop_id, workshop_trainers.c.user_id == user.id)
    ) > 0


def can_manage(user, workshop: Workshop) -> bool:
    """Admins manage every workshop; a trainer only those they are assigned to."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.TRAINER and is_trainer_of(user, workshop.id)


def managed_by(user, slug: str) -> Workshop | None:
    """The workshop with this slug if `user` may manage it (admins: every one; trainers: those they are
    assigned to), else None: one statement, the assignment read beside the workshop's row."""
    if not user.is_authenticated or user.role not in (Role.ADMIN, Role.TRAINER):
        return None
    assigned = sa.exists().where(workshop_trainers.c.workshop_id == Workshop.id, workshop_trainers.c.user_id == user.id)
    row = db.session.execute(sa.select(Workshop, assigned).where(Workshop.slug == slug)).first()
    if row is None or not (user.role == Role.ADMIN or row[1]):
        return None
    return row[0]


def managed_or_404(user, slug: str) -> Workshop:
    """What trainer, export and report pages start with: the workshop, or "not found" for anybody who
    may not manage it (a trainer never learns that a workshop they are not assigned to exists)."""
    workshop = managed_by(user, slug)
    if workshop is None:
        abort(404)
    return workshop


def can_view(user, workshop: Workshop) -> bool:
    return workshop.status != WorkshopStatus.DRAFT or can_manage(user, workshop)


def managed_workshops(user) -> list[Workshop]:
    statement = sa.select(Workshop).order_by(Workshop.starts_on.desc(), Workshop.id.desc())
    if user.role != Role.ADMIN:
        statement = statement.join(workshop_trainers).where(workshop_trainers.c.user_id == user.id)
    return list(db.session.scalars(statement.where(Workshop.status != WorkshopStatus.ARCHIVED)))


def trainer_ids_of(workshop_id: int) -> list[int]:
    return list(db.session.scalars(sa.select(workshop_trainers.c.user_id).where(workshop_trainers.c.workshop_id == workshop_id)))
