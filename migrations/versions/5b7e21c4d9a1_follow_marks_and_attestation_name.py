"""follow marks ("vu" on the CIP home); the attestation's full name, kept if the structure chooses

Nothing is marked seen after the upgrade; no structure keeps full names (false on every
engine: sa.false() renders 0 on SQLite) and no learner has one.

Revision ID: 5b7e21c4d9a1
Revises: 5e1f0c2a9b7d
Create Date: 2026-12-03 12:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import companion.models.base


# revision identifiers, used by Alembic.
revision = '5b7e21c4d9a1'
down_revision = '5e1f0c2a9b7d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'follow_mark',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('structure_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('seen', sa.Text(), nullable=False),
        sa.Column('seen_by_id', sa.Integer(), nullable=True),
        sa.Column('seen_at', companion.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['seen_by_id'], ['staff_user.id'], name=op.f('fk_follow_mark_seen_by_id_staff_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['structure_id'], ['structure.id'], name=op.f('fk_follow_mark_structure_id_structure'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_mark')),
        sa.UniqueConstraint('structure_id', 'key', name=op.f('uq_follow_mark_structure_id')),
    )
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('full_name', sa.String(length=120), nullable=True))

    with op.batch_alter_table('structure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keep_attestation_name', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('structure', schema=None) as batch_op:
        batch_op.drop_column('keep_attestation_name')

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_column('full_name')

    op.drop_table('follow_mark')
