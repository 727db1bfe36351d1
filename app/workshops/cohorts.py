"""Cohorts: groups inside a workshop, and placing confirmed participants in them."""
from collections import Counter
from dataclasses import dataclass, field

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


@dataclass
class SplitStep:
    """One language of a split: its cohort (None when it will be created, as `name`) and who moves into it."""

    language: str
    name: str
    cohort: Cohort | None
    registrations: list[Registration] = field(default_factory=list)

    @property
    def moving(self) -> list[Registration]:
        return [r for r in self.registrations if self.cohort is None or r.cohort_id != self.cohort.id]


def split_plan(workshop: Workshop, names: dict[str, str]) -> list[SplitStep]:
    """What a split by working language would do, changing nothing: the confirmation page shows it,
    and split_by_language carries it out under the lock."""
    existing = cohorts_of(workshop.id)
    by_language = {cohort.language: cohort for cohort in existing if cohort.language}
    taken = {cohort.name.lower() for cohort in existing}
    steps: dict[str, SplitStep] = {}
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.workshop_id == workshop.id,
                                      Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.sequence)
    ).all()
    for language in sorted({r.working_language for r in registrations}):
        cohort = by_language.get(language)
        name = cohort.name if cohort else names.get(language, language)
        while cohort is None and name.lower() in taken:
            name += "+"
        taken.add(name.lower())
        steps[language] = SplitStep(language, name, cohort)
    for registration in registrations:
        steps[registration.working_language].registrations.append(registration)
    return list(steps.values())


def split_by_language(workshop: Workshop, actor: User, names: dict[str, str]) -> dict[str, int]:
    """One cohort per working language (created when missing), every confirmed person placed in theirs.

    Under the workshop's lock, so that a second click finds the cohorts the first one made.
    """
    lock(workshop.id)
    placed = Counter()
    for step in split_plan(workshop, names):
        moving = step.moving
        cohort = step.cohort or create_cohort(workshop, step.name, actor, language=step.language)
        for registration in moving:
            registration.cohort_id = cohort.id
            placed[step.language] += 1
    audit.record(actor, "cohort.split_by_language", "workshop", workshop.id, str(dict(placed)))
    db.session.flush()
    return dict(placed)
