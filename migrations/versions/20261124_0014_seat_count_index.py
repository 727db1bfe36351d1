"""An index that answers "confirmed seats per workshop and constituency" without reading the rows.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 01:00:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index('ix_registrations_seat_counts', ['workshop_id', 'status', 'constituency'], unique=False)


def downgrade():
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index('ix_registrations_seat_counts')
