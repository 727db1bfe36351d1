"""A sign-up confirms its address before the first login: users.email_confirmed_at, confirmation links.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 00:30:00

Every existing account counts as confirmed (from when it was created): those people already log
in. Links gain the purpose "confirm" and the page a confirmed sign-up continues to.
"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def purpose(*values):
    return sa.Enum(*values, name='tokenpurpose', native_enum=False, create_constraint=True, length=32)


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
    users = sa.table('users', sa.column('email_confirmed_at'), sa.column('created_at'))
    op.execute(users.update().values(email_confirmed_at=users.c.created_at))
    with op.batch_alter_table('password_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_path', sa.String(length=500), nullable=True))
        batch_op.drop_constraint(op.f('ck_password_tokens_tokenpurpose'), type_='check')
        batch_op.create_check_constraint('tokenpurpose', sa.column('purpose').in_(['reset', 'invite', 'confirm']))


def downgrade():
    op.execute(sa.text("DELETE FROM password_tokens WHERE purpose = 'confirm'"))
    with op.batch_alter_table('password_tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_password_tokens_tokenpurpose'), type_='check')
        batch_op.create_check_constraint('tokenpurpose', sa.column('purpose').in_(['reset', 'invite']))
        batch_op.drop_column('next_path')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_confirmed_at')
