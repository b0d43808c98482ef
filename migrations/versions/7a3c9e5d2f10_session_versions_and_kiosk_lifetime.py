"""session versions for staff and learners; a kiosk's lifetime in days per structure

A session carries the version of its account at sign-in; raising the version (sign-out,
deactivation, new password, "se déconnecter partout", a CIP signing a learner's phones out)
ends every cookie made before. Existing accounts start at 0; kiosks last 180 days.

Revision ID: 7a3c9e5d2f10
Revises: 7c3a9e5d1f20
Create Date: 2026-12-03 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a3c9e5d2f10'
down_revision = "7c3a9e5d1f20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('structure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kiosk_lifetime_days', sa.Integer(), server_default='180', nullable=False))


def downgrade():
    with op.batch_alter_table('structure', schema=None) as batch_op:
        batch_op.drop_column('kiosk_lifetime_days')
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_column('session_version')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')
