"""retry_progress: a finished module done again ("Refaire") without changing the first result

Revision ID: 7c3d9e1f2a4b
Revises: 7a3c9e5d2f10
Create Date: 2026-12-03 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import companion.models.base


# revision identifiers, used by Alembic.
revision = '7c3d9e1f2a4b'
down_revision = "7a3c9e5d2f10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'retry_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.String(length=64), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('step_id', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Enum('PASSED', 'HELPED', 'SEEN', name='stepstatus', native_enum=False, length=8), nullable=True),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('last_key', sa.String(length=64), nullable=False),
        sa.Column('updated_at', companion.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], name=op.f('fk_retry_progress_learner_id_learner'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_retry_progress')),
        sa.UniqueConstraint('learner_id', 'module_id', 'round', 'step_id', name=op.f('uq_retry_progress_learner_id')),
    )
    with op.batch_alter_table('retry_progress', schema=None) as batch_op:
        batch_op.create_index('ix_retry_progress_learner_module', ['learner_id', 'module_id'], unique=False)


def downgrade():
    with op.batch_alter_table('retry_progress', schema=None) as batch_op:
        batch_op.drop_index('ix_retry_progress_learner_module')

    op.drop_table('retry_progress')
