"""steering-group decisions and their effects, every move of an action's deadline, the next meeting date

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 16:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # No moves of existing deadlines are known: nothing is backfilled, and an action without a move was first
    # promised its current deadline.
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_meeting_on', sa.Date(), nullable=True))

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('meeting', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_decisions_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_decisions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_decided_on'), ['decided_on'], unique=False)

    op.create_table('decision_effects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('new_owner', 'new_deadline', 'cancel', 'accepted_delay', name='effectkind', native_enum=False, length=30), nullable=False),
    sa.Column('new_owner_id', sa.Integer(), nullable=True),
    sa.Column('new_deadline', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_decision_effects_action_id_actions')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_decision_effects_decision_id_decisions')),
    sa.ForeignKeyConstraint(['new_owner_id'], ['users.id'], name=op.f('fk_decision_effects_new_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_effects'))
    )
    with op.batch_alter_table('decision_effects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_effects_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_effects_decision_id'), ['decision_id'], unique=False)

    op.create_table('deadline_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('moved_from', sa.Date(), nullable=True),
    sa.Column('moved_to', sa.Date(), nullable=True),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_deadline_changes_action_id_actions')),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_deadline_changes_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_deadline_changes_decision_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_changes'))
    )
    with op.batch_alter_table('deadline_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_changes_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadline_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_deadline_changes_decision_id'), ['decision_id'], unique=False)


def downgrade():
    with op.batch_alter_table('deadline_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_changes_decision_id'))
        batch_op.drop_index(batch_op.f('ix_deadline_changes_at'))
        batch_op.drop_index(batch_op.f('ix_deadline_changes_action_id'))
    op.drop_table('deadline_changes')
    with op.batch_alter_table('decision_effects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_effects_decision_id'))
        batch_op.drop_index(batch_op.f('ix_decision_effects_action_id'))
    op.drop_table('decision_effects')
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_decided_on'))
        batch_op.drop_index(batch_op.f('ix_decisions_agreement_id'))
    op.drop_table('decisions')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_column('next_meeting_on')
