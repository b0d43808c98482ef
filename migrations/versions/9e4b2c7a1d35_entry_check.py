"""entry_check_result, entry_check_skip, retry_progress.value: the entry check "Par où commencer ?"

Revision ID: 9e4b2c7a1d35
Revises: 7c3d9e1f2a4b
Create Date: 2026-12-03 19:20:00.000000

"""
from alembic import op
import sqlalchemy as sa

import companion.models.base


# revision identifiers, used by Alembic.
revision = '9e4b2c7a1d35'
down_revision = "7c3d9e1f2a4b"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('retry_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value', sa.String(length=16), nullable=True))
    op.create_table(
        'entry_check_result',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('module_id', sa.String(length=64), nullable=False),
        sa.Column('round', sa.Integer(), nullable=False),
        sa.Column('taken_at', companion.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('levels', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], name=op.f('fk_entry_check_result_learner_id_learner'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_check_result')),
        sa.UniqueConstraint('learner_id', 'module_id', 'round', name=op.f('uq_entry_check_result_learner_id')),
    )
    with op.batch_alter_table('entry_check_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_check_result_learner_id'), ['learner_id'], unique=False)
    op.create_table(
        'entry_check_skip',
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('skipped_at', companion.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['learner.id'], name=op.f('fk_entry_check_skip_learner_id_learner'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('learner_id', name=op.f('pk_entry_check_skip')),
    )


def downgrade():
    op.drop_table('entry_check_skip')
    with op.batch_alter_table('entry_check_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_check_result_learner_id'))
    op.drop_table('entry_check_result')
    with op.batch_alter_table('retry_progress', schema=None) as batch_op:
        batch_op.drop_column('value')
