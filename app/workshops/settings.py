"""Creating and editing a workshop: its short name, texts, seats, quotas and trainers."""
import re
import unicodedata
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


SLUG_LENGTH = 80


def _slug_taken(slug: str, workshop_id: int | None) -> bool:
    statement = sa.select(Workshop.id).where(Workshop.slug == slug)
    if workshop_id is not None:
        statement = statement.where(Workshop.id != workshop_id)
    return db.session.scalar(statement) is not None


def slug_base(title: str) -> str:
    """A title as a short name in the address: ASCII lowercase words joined by hyphens, at most 60
    characters cut at a word ("Migración laboral: ¿qué cambia?" → "migracion-laboral-que-cambia")."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 60:
            break
        slug = candidate
    return slug or (words[0][:60] if words else "workshop")


def free_slug(title: str, workshop_id: int | None = None) -> str:
    """The short name derived from the title, with "-2", "-3"… when another workshop has it: one query."""
    base = slug_base(title)
    statement = sa.select(Workshop.slug).where(sa.or_(Workshop.slug == base, Workshop.slug.like(f"{base}-%")))
    if workshop_id is not None:
        statement = statement.where(Workshop.id != workshop_id)
    taken = set(db.session.scalars(statement))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def save_workshop(workshop: Workshop, actor: User, trainer_ids: list[int], **fields) -> Workshop:
    """Create or update a workshop; higher capacity or quotas promote from the waiting list at once."""
    if workshop.id is not None:
        workshop = lock(workshop.id)
    languages = fields.get("languages") or workshop.languages or ["en"]
    if not (fields.get("title") or workshop.title or {}).get(languages[0]):
        raise InvalidChange(_l("Give the title in the first language offered."), field=f"title_{languages[0]}")
    if "slug" in fields and not fields["slug"]:
        # No short name given: derived from the title in the first working language, and free.
        title = (fields.get("title") or workshop.title or {}).get(languages[0], "")
        fields["slug"] = free_slug(title, workshop.id)
    elif _slug_taken(fields.get("slug", workshop.slug), workshop.id):
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
