"""agreements, actions and progress updates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 03:43:15.954246

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('reference_number', sa.String(length=60), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('theme', sa.Enum('youth_crime_prevention', 'safe_local_environment', 'victims_and_witnesses', 'other', name='theme', native_enum=False, length=30), nullable=False),
    sa.Column('area', sa.String(length=100), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('next_review_on', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'active', 'ended', name='agreementstatus', native_enum=False, length=30), nullable=False),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agreements_created_by_id_users')),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_agreements_lead_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreements_lead_organisation_id'), ['lead_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreements_status'), ['status'], unique=False)

    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_organisation_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'in_progress', 'blocked', 'done', 'cancelled', name='actionstatus', native_enum=False, length=30), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('blocked_reason', sa.String(length=1000), nullable=False),
    sa.Column('last_progress_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint('progress >= 0 AND progress <= 100', name=op.f('ck_actions_progress_percent')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_actions_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_actions_created_by_id_users')),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_actions_owner_id_users')),
    sa.ForeignKeyConstraint(['owner_organisation_id'], ['organisations.id'], name=op.f('fk_actions_owner_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_deadline'), ['deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_owner_organisation_id'), ['owner_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_status'), ['status'], unique=False)

    op.create_table('agreement_parties',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_parties_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_agreement_parties_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('agreement_id', 'organisation_id', name=op.f('pk_agreement_parties'))
    )
    with op.batch_alter_table('agreement_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_parties_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('steering_group_members',
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_steering_group_members_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_steering_group_members_user_id_users')),
    sa.PrimaryKeyConstraint('agreement_id', 'user_id', name=op.f('pk_steering_group_members'))
    )
    with op.batch_alter_table('steering_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_steering_group_members_user_id'), ['user_id'], unique=False)

    op.create_table('progress_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status_from', sa.Enum('planned', 'in_progress', 'blocked', 'done', 'cancelled', name='actionstatus', native_enum=False, length=30), nullable=False),
    sa.Column('status_to', sa.Enum('planned', 'in_progress', 'blocked', 'done', 'cancelled', name='actionstatus', native_enum=False, length=30), nullable=False),
    sa.Column('progress_from', sa.Integer(), nullable=False),
    sa.Column('progress_to', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_progress_updates_action_id_actions')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_progress_updates_author_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_updates'))
    )
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_updates_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_updates_at'), ['at'], unique=False)



def downgrade():
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_updates_at'))
        batch_op.drop_index(batch_op.f('ix_progress_updates_action_id'))

    op.drop_table('progress_updates')
    with op.batch_alter_table('steering_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_steering_group_members_user_id'))

    op.drop_table('steering_group_members')
    with op.batch_alter_table('agreement_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_parties_organisation_id'))

    op.drop_table('agreement_parties')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_status'))
        batch_op.drop_index(batch_op.f('ix_actions_owner_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_actions_owner_id'))
        batch_op.drop_index(batch_op.f('ix_actions_deadline'))
        batch_op.drop_index(batch_op.f('ix_actions_agreement_id'))

    op.drop_table('actions')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreements_status'))
        batch_op.drop_index(batch_op.f('ix_agreements_lead_organisation_id'))

    op.drop_table('agreements')
