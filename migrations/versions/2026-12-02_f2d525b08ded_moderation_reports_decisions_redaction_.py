"""moderation: reports, decisions, redaction and duplicates

Revision ID: f2d525b08ded
Revises: e4b7a2c91d05
Create Date: 2026-12-02 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2d525b08ded'
down_revision = 'e4b7a2c91d05'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_flags_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_flags_reporter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_reporter_id'), ['reporter_id'], unique=False)

    op.create_table('moderation_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contribution_id', sa.Integer(), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_moderation_decisions_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contribution_id'], ['contributions.id'], name=op.f('fk_moderation_decisions_contribution_id_contributions')),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_moderation_decisions_dialogue_id_dialogues')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_decisions'))
    )
    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_decisions_contribution_id'), ['contribution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_decisions_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_moderation_decisions_dialogue_created', ['dialogue_id', 'created_at'], unique=False)

    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('moderation_reason', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('moderation_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('redacted_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('redacted_body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('redacted_body_text', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contributions_duplicate_of_id_contributions'), 'contributions', ['duplicate_of_id'], ['id'])



def downgrade():
    with op.batch_alter_table('contributions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contributions_duplicate_of_id_contributions'), type_='foreignkey')
        batch_op.drop_column('redacted_body_text')
        batch_op.drop_column('redacted_body_html')
        batch_op.drop_column('redacted_title')
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('moderation_note')
        batch_op.drop_column('moderation_reason')
        batch_op.drop_column('report_count')

    with op.batch_alter_table('moderation_decisions', schema=None) as batch_op:
        batch_op.drop_index('ix_moderation_decisions_dialogue_created')
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_created_at'))
        batch_op.drop_index(batch_op.f('ix_moderation_decisions_contribution_id'))

    op.drop_table('moderation_decisions')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_flags_contribution_id'))

    op.drop_table('flags')
