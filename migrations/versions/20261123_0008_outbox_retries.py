"""The outbox retries with back-off and keeps abandoned messages: next_attempt_at, abandoned_at.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 20:00:00

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# The attempts after which the previous version stopped trying (its MAIL_MAX_ATTEMPTS default).
OLD_MAX_ATTEMPTS = 10


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('abandoned_at', sa.DateTime(timezone=True), nullable=True))
    outbox = sa.table('outbox_messages', sa.column('next_attempt_at'), sa.column('created_at'),
                      sa.column('abandoned_at'), sa.column('sent_at'), sa.column('attempts'))
    # Every waiting message is due at once; those the old sender had given up on become abandoned,
    # so that admins see them and can send them again.
    op.execute(outbox.update().values(next_attempt_at=outbox.c.created_at))
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == 'sqlite':
        now = now.replace(tzinfo=None)
    op.execute(outbox.update()
               .where(outbox.c.sent_at.is_(None), outbox.c.attempts >= OLD_MAX_ATTEMPTS)
               .values(abandoned_at=now))
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('next_attempt_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.drop_index('ix_outbox_messages_pending')
        batch_op.create_index('ix_outbox_messages_due', ['sent_at', 'abandoned_at', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.create_index('ix_outbox_messages_pending', ['sent_at', 'id'], unique=False)
        batch_op.drop_column('abandoned_at')
        batch_op.drop_column('next_attempt_at')
