"""Workshop texts per working language: titles, descriptions, venues, cohort names, session titles.

Each single string becomes a JSON object {language: text}, the existing text filed under the
workshop's first working language (or "en"). A venue may now be elsewhere, with the place's
name and city. Cohort names are unique per workshop and language under the workshop's lock
(the database cannot compare one language inside JSON), so their unique constraint goes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 21:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
OLD_VENUE = sa.Enum('campus', 'online', name='venue', native_enum=False, create_constraint=True, length=32)
NEW_VENUE = sa.Enum('campus', 'online', 'elsewhere', name='venue', native_enum=False, create_constraint=True,
                    length=32)

# (table, column, type before)
TEXTS = [
    ('workshops', 'title', sa.String(length=200)),
    ('workshops', 'description', sa.Text()),
    ('workshops', 'address', sa.Text()),
    ('cohorts', 'name', sa.String(length=80)),
    ('workshop_sessions', 'title', sa.String(length=200)),
]


def _first_languages(bind) -> dict[int, str]:
    workshops = sa.table('workshops', sa.column('id', sa.Integer), sa.column('languages', JSON))
    return {row.id: (row.languages or ['en'])[0] for row in bind.execute(sa.select(workshops.c.id, workshops.c.languages))}


def _rows(table: str, *columns):
    """The table with its id, the id of its workshop (as `owner`) and these columns."""
    owner = [] if table == 'workshops' else [sa.column('workshop_id', sa.Integer)]
    rows = sa.table(table, sa.column('id', sa.Integer), *owner, *columns)
    return rows, rows.c.id if table == 'workshops' else rows.c.workshop_id


def upgrade():
    bind = op.get_bind()
    first = _first_languages(bind)
    for table, column, old_type in TEXTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(f'{column}_texts', JSON, nullable=True))
        rows, owner = _rows(table, sa.column(column, old_type), sa.column(f'{column}_texts', JSON))
        for row in bind.execute(sa.select(rows.c.id, owner.label('owner'), rows.c[column])).all():
            text = (row[2] or '').strip()
            texts = {first.get(row.owner, 'en'): text} if text else {}
            bind.execute(rows.update().where(rows.c.id == row.id).values({f'{column}_texts': texts}))
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_cohorts_workshop_id_name'), type_='unique')
    for table, column, old_type in TEXTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
            batch_op.alter_column(f'{column}_texts', new_column_name=column, existing_type=JSON, nullable=False)
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', JSON, nullable=False, server_default=sa.text("'{}'")))
        batch_op.add_column(sa.Column('city', JSON, nullable=False, server_default=sa.text("'{}'")))
        batch_op.alter_column('venue', existing_type=OLD_VENUE, type_=NEW_VENUE, existing_nullable=False)


def downgrade():
    bind = op.get_bind()
    first = _first_languages(bind)
    workshops = sa.table('workshops', sa.column('id', sa.Integer), sa.column('venue', sa.String),
                         sa.column('place', JSON), sa.column('city', JSON), sa.column('address', JSON))
    # A venue elsewhere was not known before: it becomes "on campus" with the place and city atop the address.
    for row in bind.execute(sa.select(workshops).where(workshops.c.venue == 'elsewhere')).all():
        language = first.get(row.id, 'en')
        written = ', '.join(part for part in ((row.place or {}).get(language), (row.city or {}).get(language)) if part)
        address = '\n'.join(part for part in (written, (row.address or {}).get(language)) if part)
        bind.execute(workshops.update().where(workshops.c.id == row.id)
                     .values(venue='campus', address={language: address} if address else {}))
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.alter_column('venue', existing_type=NEW_VENUE, type_=OLD_VENUE, existing_nullable=False)
        batch_op.drop_column('city')
        batch_op.drop_column('place')
    for table, column, old_type in TEXTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(f'{column}_text', old_type, nullable=True))
        rows, owner = _rows(table, sa.column(column, JSON), sa.column(f'{column}_text', old_type))
        for row in bind.execute(sa.select(rows.c.id, owner.label('owner'), rows.c[column])).all():
            texts = row[2] or {}
            text = texts.get(first.get(row.owner, 'en')) or next((value for value in texts.values() if value), '')
            bind.execute(rows.update().where(rows.c.id == row.id).values({f'{column}_text': text}))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
            batch_op.alter_column(f'{column}_text', new_column_name=column, existing_type=old_type, nullable=False)
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_cohorts_workshop_id_name'), ['workshop_id', 'name'])
