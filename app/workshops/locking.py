"""The workshop's row lock, taken before any check-then-write on its seats, cohorts or sessions.

SELECT … FOR UPDATE on PostgreSQL; on SQLite every write transaction already holds the
database's write lock from its first statement (BEGIN IMMEDIATE, see create_app).
"""
import sqlalchemy as sa

from app.extensions import db
from app.workshops.models import Workshop


def lock(workshop_id: int) -> Workshop:
    """The workshop, reloaded under its row lock: decisions about it happen one at a time."""
    return db.session.scalar(
        sa.select(Workshop).where(Workshop.id == workshop_id).with_for_update()
        .execution_options(populate_existing=True)
    )
