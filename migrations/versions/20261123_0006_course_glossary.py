"""A course's glossary: its terms and definitions in each language, synced from content/.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 19:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        # Existing courses start with an empty glossary until the next `flask content sync`.
        batch_op.add_column(sa.Column('glossary', JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('glossary')
