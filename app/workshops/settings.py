"""Creating and editing a workshop: its short name, seats, quotas and trainers."""
from collections import Counter

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import audit
from app.core.permissions import Role
from app.extensions import db
from app.workshops.errors import InvalidChange, SlugTaken
from app.workshops.locking import lock
from app.workshops.models import Workshop, workshop_trainers
from app.workshops.queries import confirmed_counts
from app.workshops.seats import promote


def check_capacity(workshop: Workshop) -> None:
    """Capacity and quotas may not fall below the seats already confirmed; quotas fit capacity."""
    counts = confirmed_counts([workshop.id])[workshop.id] if workshop.id else Counter()
    if workshop.capacity < sum(counts.values()):
        raise InvalidChange(_l("Capacity cannot be lower than the %(n)d seats already confirmed.", n=sum(counts.values())),
                            field="capacity")
    quotas = workshop.quotas
    if sum(quotas.values()) > workshop.capacity:
        raise InvalidChange(_l("The seat quotas add up to more than the capacity."), field="capacity")
    for constituency, quota in quotas.items():
        if quota < counts[constituency]:
            raise InvalidChange(_l("The %(group)s quota cannot be lower than the %(n)d seats already confirmed for it.",
                                   group=constituency.label, n=counts[constituency]),
                                field=f"quota_{constituency.value}")


def _slug_taken(slug: str, workshop_id: int | None) -> bool:
    statement = sa.select(Workshop.id).where(Workshop.slug == slug)
    if workshop_id is not None:
        statement = statement.where(Workshop.id != workshop_id)
    return db.session.scalar(statement) is not None


def save_workshop(workshop: Workshop, actor: User, trainer_ids: list[int], **fields) -> Workshop:
    """Create or update a workshop; higher capacity or quotas promote from the waiting list at once."""
    if workshop.id is not None:
        workshop = lock(workshop.id)
    if _slug_taken(fields.get("slug", workshop.slug), workshop.id):
        raise SlugTaken()
    # Nothing reaches the database before the checks: a half-set workshop must not be flushed.
    with db.session.no_autoflush:
        for name, value in fields.items():
            setattr(workshop, name, value)
        check_capacity(workshop)
        trainers = list(db.session.scalars(
            sa.select(User.id).where(User.id.in_(trainer_ids), User.role.in_([Role.TRAINER, Role.ADMIN]))
        ))
    if workshop.id is None:
        db.session.add(workshop)
    try:
        # Two admins saving the same short name at once: the unique constraint decides who wins.
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as error:
        if "slug" in str(error.orig):
            raise SlugTaken() from None
        raise
    db.session.execute(sa.delete(workshop_trainers).where(workshop_trainers.c.workshop_id == workshop.id))
    if trainers:
        db.session.execute(sa.insert(workshop_trainers), [{"workshop_id": workshop.id, "user_id": t} for t in trainers])
    audit.record(actor, "workshop.saved", "workshop", workshop.id, workshop.slug)
    promote(workshop)
    return workshop
