"""staff one-time links; folded name keys for learners and teams; note correction date

Accounts people own: ``staff_link`` holds the hash of each one-time invitation or reset
link. Names unique whatever case and accents: ``learner.name_key`` and ``team.name_key``
hold the folded name, unique within a structure. Existing rows get their key here; two
existing rows that fold alike (which the old byte-wise rule let in) keep working: the
second gets its id appended, and the CIP is asked for an initial at its next edit. The
keys stay nullable: the previous release's code, still running while this one rolls out,
inserts rows without one (docs/deployment.md: migrations only add in such a release).

Revision ID: 5d2e8a41c7b9
Revises: cb563f4b64d3
Create Date: 2026-12-03 12:30:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa

import companion.models.base


# revision identifiers, used by Alembic.
revision = '5d2e8a41c7b9'
down_revision = 'cb563f4b64d3'
branch_labels = None
depends_on = None


def _fold(text):
    # A copy of companion.models.names.fold as it was: a migration does not follow the code.
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _fill(table, key_of):
    conn = op.get_bind()
    rows = conn.execute(sa.select(table)).mappings().all()
    seen = set()
    for row in sorted(rows, key=lambda r: r["id"]):
        key = key_of(row)
        if (row["structure_id"], key) in seen:
            key = f"{key}#{row['id']}"
        seen.add((row["structure_id"], key))
        conn.execute(table.update().where(table.c.id == row["id"]).values(name_key=key))


def upgrade():
    op.create_table(
        'staff_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('purpose', sa.Enum('INVITATION', 'RESET', name='linkpurpose', native_enum=False, length=12), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', companion.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', companion.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', companion.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_staff_link_created_by_id_staff_user'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['staff_user.id'], name=op.f('fk_staff_link_user_id_staff_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_link')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_staff_link_token_hash')),
    )
    with op.batch_alter_table('staff_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_link_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', companion.models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=80), nullable=True))
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=80), nullable=True))

    meta = sa.MetaData()
    learner = sa.Table(
        'learner', meta,
        sa.Column('id', sa.Integer()), sa.Column('structure_id', sa.Integer()),
        sa.Column('first_name', sa.String()), sa.Column('initial', sa.String()),
        sa.Column('name_key', sa.String()),
    )
    team = sa.Table(
        'team', meta,
        sa.Column('id', sa.Integer()), sa.Column('structure_id', sa.Integer()),
        sa.Column('name', sa.String()), sa.Column('name_key', sa.String()),
    )
    _fill(learner, lambda r: f"{_fold(r['first_name'])}|{_fold(r['initial'])}")
    _fill(team, lambda r: _fold(r['name']))

    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_learner_name_key', ['structure_id', 'name_key'])
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_team_name_key', ['structure_id', 'name_key'])


def downgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_constraint('uq_team_name_key', type_='unique')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('learner', schema=None) as batch_op:
        batch_op.drop_constraint('uq_learner_name_key', type_='unique')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    with op.batch_alter_table('staff_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_link_user_id'))
    op.drop_table('staff_link')
