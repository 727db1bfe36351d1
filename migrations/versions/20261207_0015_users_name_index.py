"""An index on the lower-cased name, for the trainer's list of registrations sorted by name.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 08:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_users_name_lower', 'users', [sa.text('lower(name)')], unique=False)


def downgrade():
    op.drop_index('ix_users_name_lower', table_name='users')
