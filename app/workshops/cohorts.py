"""Cohorts: groups inside a workshop, and placing confirmed participants in them."""
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.core import audit
from app.core.translated import cleaned, written
from app.extensions import db
from app.workshops.errors import CohortNameTaken, InvalidChange
from app.workshops.locking import lock
from app.workshops.models import Cohort, Registration, RegistrationStatus, Workshop


def cohorts_of(workshop_id: int) -> list[Cohort]:
    """In the order they were made (their names are per language: no one alphabetical order fits all)."""
    return list(db.session.scalars(sa.select(Cohort).where(Cohort.workshop_id == workshop_id).order_by(Cohort.id)))


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


def _taken_names(workshop_id: int, except_id: int | None = None) -> dict[str, set[str]]:
    """The names in use in each language, lower-cased: one query."""
    taken: dict[str, set[str]] = {}
    for cohort in cohorts_of(workshop_id):
        if cohort.id != except_id:
            for code, text in (cohort.name or {}).items():
                taken.setdefault(code, set()).add(text.lower())
    return taken


def _checked_names(workshop: Workshop, names: dict[str, str], except_id: int | None = None) -> dict[str, str]:
    """The names in the workshop's languages, stripped; the first language's is required; none may be taken
    in its language. Run under the workshop's lock."""
    names = cleaned(names, workshop.languages or ["en"])
    if workshop.main_language not in names:
        raise InvalidChange(_l("Give the cohort a name in the first language of the workshop."),
                            field=f"name_{workshop.main_language}")
    taken = _taken_names(workshop.id, except_id)
    for code, text in names.items():
        if text.lower() in taken.get(code, ()):
            raise CohortNameTaken(field=f"name_{code}")
    return names


def create_cohort(workshop: Workshop, names: dict[str, str], actor: User, language: str | None = None) -> Cohort:
    """A new cohort named in each working language; the name check runs under the workshop's lock, so a
    double click creates one."""
    lock(workshop.id)
    names = _checked_names(workshop, names)
    cohort = Cohort(workshop_id=workshop.id, name=names, language=language)
    db.session.add(cohort)
    db.session.flush()
    audit.record(actor, "cohort.created", "cohort", cohort.id, written(names))
    return cohort


def rename_cohort(cohort: Cohort, workshop: Workshop, names: dict[str, str], actor: User) -> None:
    lock(cohort.workshop_id)
    names = _checked_names(workshop, names, except_id=cohort.id)
    audit.record(actor, "cohort.renamed", "cohort", cohort.id, f"{written(cohort.name)} -> {written(names)}")
    cohort.name = names
    db.session.flush()


def delete_cohort(cohort: Cohort, actor: User) -> None:
    lock(cohort.workshop_id)
    if cohort_sizes(cohort.workshop_id).get(cohort.id):
        raise InvalidChange(_l("Move everyone out of this cohort before deleting it."))
    audit.record(actor, "cohort.deleted", "cohort", cohort.id, written(cohort.name))
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
    """One language of a split: its cohort (None when it will be created, named `name` in each working
    language) and who moves into it."""

    language: str
    name: dict[str, str]
    cohort: Cohort | None
    registrations: list[Registration] = field(default_factory=list)

    @property
    def moving(self) -> list[Registration]:
        return [r for r in self.registrations if self.cohort is None or r.cohort_id != self.cohort.id]


def split_plan(workshop: Workshop, names: dict[str, dict[str, str]]) -> list[SplitStep]:
    """What a split by working language would do, changing nothing: the confirmation page shows it,
    and split_by_language carries it out under the lock. `names` names each language's cohort in each
    working language ({"fr": {"en": "French group", "fr": "Groupe français"}})."""
    existing = cohorts_of(workshop.id)
    by_language = {cohort.language: cohort for cohort in existing if cohort.language}
    taken: dict[str, set[str]] = {}
    for cohort in existing:
        for code, text in (cohort.name or {}).items():
            taken.setdefault(code, set()).add(text.lower())
    steps: dict[str, SplitStep] = {}
    registrations = db.session.scalars(
        sa.select(Registration).where(Registration.workshop_id == workshop.id,
                                      Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.sequence)
    ).all()
    for language in sorted({r.working_language for r in registrations}):
        cohort = by_language.get(language)
        name = cohort.name if cohort else cleaned(names.get(language), workshop.languages or ["en"])
        if cohort is None:
            name.setdefault(workshop.main_language, next(iter(name.values()), language))
            while any(text.lower() in taken.get(code, ()) for code, text in name.items()):
                name = {code: f"{text}+" for code, text in name.items()}
            for code, text in name.items():
                taken.setdefault(code, set()).add(text.lower())
        steps[language] = SplitStep(language, name, cohort)
    for registration in registrations:
        steps[registration.working_language].registrations.append(registration)
    return list(steps.values())


def split_by_language(workshop: Workshop, actor: User, names: dict[str, dict[str, str]]) -> dict[str, int]:
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
