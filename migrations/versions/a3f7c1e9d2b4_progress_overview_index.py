"""progress: the (learner, module) index made covering for the CIP home's aggregate

Revision ID: a3f7c1e9d2b4
Revises: d1a9c0e5b7f3
Create Date: 2026-12-05 01:05:00

ix_progress_learner_module (learner_id, module_id) becomes ix_progress_overview (learner_id,
module_id, step_id, status, updated_at): the same first columns for every read by learner,
and what progress.structure_overview counts and compares, so that the engine reads the index
alone (docs/performance.md).
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a3f7c1e9d2b4'
down_revision = 'd1a9c0e5b7f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_progress_overview',
        'progress',
        ['learner_id', 'module_id', 'step_id', 'status', 'updated_at'],
        unique=False,
    )
    op.drop_index('ix_progress_learner_module', table_name='progress')


def downgrade():
    op.create_index(
        'ix_progress_learner_module', 'progress', ['learner_id', 'module_id'], unique=False
    )
    op.drop_index('ix_progress_overview', table_name='progress')
