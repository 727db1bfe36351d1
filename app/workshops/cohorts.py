"""Cohorts: groups inside a workshop, and placing confirmed participants in them."""
from collections import Counter

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import audit
from app.extensions import db
from app.workshops.errors import CohortNameTaken, InvalidChange
from app.workshops.locking import lock
from app.workshops.models import Cohort, Registration, RegistrationStatus, Workshop


def cohorts_of(workshop_id: int) -> list[Cohort]:
    return list(db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop_id).order_by(Cohort.name)))


def cohort_of_workshop(workshop: Workshop, cohort_id: int | None) -> Cohort | None:
    """The cohort with this id if it belongs to `workshop`, else None."""
    cohort = db.session.get(Cohort, cohort_id) if cohort_id else None
    return cohort if cohort is not None and cohort.workshop_id == workshop.id else None


def cohort_sizes(workshop_id: int) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(Registration.cohort_id, sa.func.count())
        .where(Registration.workshop_id == workshop_id, Registration.cohort_id.is_not(None))
        .group_by(Registration.cohort_id)
    )
    return dict(rows.all())


def _name_taken(workshop_id: int, name: str, except_id: int | None = None) -> bool:
    statement = sa.select(Cohort.id).where(Cohort.workshop_id == workshop_id, sa.func.lower(Cohort.name) == name.lower())
    if except_id:
        statement = statement.where(Cohort.id != except_id)
    return db.session.scalar(statement) is not None


def create_cohort(workshop: Workshop, name: str, actor: User, language: str | None = None) -> Cohort:
    """A new cohort; the name check runs under the workshop's lock, so a double click creates one."""
    lock(workshop.id)
    name = name.strip()
    if _name_taken(workshop.id, name):
        raise CohortNameTaken()
    cohort = Cohort(workshop_id=workshop.id, name=name, language=language)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.created", "cohort", cohort.id, name)
    return cohort


def rename_cohort(cohort: Cohort, name: str, actor: User) -> None:
    lock(cohort.workshop_id)
    name = name.strip()
    if _name_taken(cohort.workshop_id, name, except_id=cohort.id):
        raise CohortNameTaken()
    audit.record(actor, "cohort.renamed", "cohort", cohort.id, f"{cohort.name} -> {name}")
    cohort.name = name
    db.session.flush()


def delete_cohort(cohort: Cohort, actor: User) -> None:
    lock(cohort.workshop_id)
    if cohort_sizes(cohort.workshop_id).get(cohort.id):
        raise InvalidChange(_l("Move everyone out of this cohort before deleting it."))
    audit.record(actor, "cohort.deleted", "cohort", cohort.id, cohort.name)
    db.session.delete(cohort)
    db.session.flush()


def move_to_cohort(workshop: Workshop, registration_ids: list[int], cohort: Cohort | None, actor: User) -> int:
    """Place confirmed participants in a cohort (or none); returns how many moved."""
    if cohort is not None and cohort.workshop_id != workshop.id:
        raise InvalidChange(_l("This cohort belongs to another workshop."))
    registrations = db.session.scalars(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.id.in_(registration_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ).all()
    target = cohort.id if cohort else None
    moved = 0
    for registration in registrations:
        if registration.cohort_id != target:
            audit.record(actor, "registration.moved", "registration", registration.id,
                         f"cohort {registration.cohort_id} -> {target}")
            registration.cohort_id = target
            moved += 1
    db.session.flush()
    return moved


def split_by_language(workshop: Workshop, actor: User, names: dict[str, str]) -> dict[str, int]:
    """One cohort per working language (created when missing), every confirmed person placed in theirs.

    Under the workshop's lock, so that a second click finds the cohorts the first one made.
    """
    lock(workshop.id)
    cohorts = {cohort.language: cohort for cohort in cohorts_of(workshop.id) if cohort.language}
    placed = Counter()
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.workshop_id == workshop.id,
                                      Registration.status == RegistrationStatus.CONFIRMED)
    ).all()
    for language in sorted({r.working_language for r in registrations}):
        if language not in cohorts:
            name = names.get(language, language)
            while _name_taken(workshop.id, name):
                name += "+"
            cohorts[language] = create_cohort(workshop, name, actor, language=language)
    for registration in registrations:
        cohort = cohorts[registration.working_language]
        if registration.cohort_id != cohort.id:
            registration.cohort_id = cohort.id
            placed[registration.working_language] += 1
    audit.record(actor, "cohort.split_by_language", "workshop", workshop.id, str(dict(placed)))
    db.session.flush()
    return dict(placed)
