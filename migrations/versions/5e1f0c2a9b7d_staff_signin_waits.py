"""staff sign-in waits: wrong passwords in a row and the time the next try waits for

Every existing account starts with no failure and no wait.

Revision ID: 5e1f0c2a9b7d
Revises: 5d2e8a41c7b9
Create Date: 2026-12-03 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import companion.models.base


# revision identifiers, used by Alembic.
revision = '5e1f0c2a9b7d'
down_revision = '5d2e8a41c7b9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_signin_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('signin_wait_until', companion.models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('signin_wait_until')
        batch_op.drop_column('failed_signin_count')
