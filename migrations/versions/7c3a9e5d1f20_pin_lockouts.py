"""pin lock-outs in a row: each lock lasts longer (15 min, 1 h, then until a CIP unlocks)

Every learner starts at 0 (server default), as after a right PIN.

Revision ID: 7c3a9e5d1f20
Revises: 5b7e21c4d9a1
Create Date: 2026-12-03 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3a9e5d1f20'
down_revision = '5b7e21c4d9a1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('pin_lockouts', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_column('pin_lockouts')
