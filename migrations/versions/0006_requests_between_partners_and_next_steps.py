"""requests between partners; the next step of a progress update

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 16:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_step', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_step_on', sa.Date(), nullable=True))

    op.create_table('requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('progress_update_id', sa.Integer(), nullable=False),
    sa.Column('from_organisation_id', sa.Integer(), nullable=False),
    sa.Column('to_organisation_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=1000), nullable=False),
    sa.Column('outcome', sa.Enum('answered', 'accepted', 'declined', name='requestoutcome', native_enum=False, length=30), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_requests_action_id_actions')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_requests_answered_by_id_users')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_requests_asked_by_id_users')),
    sa.ForeignKeyConstraint(['from_organisation_id'], ['organisations.id'], name=op.f('fk_requests_from_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['progress_update_id'], ['progress_updates.id'], name=op.f('fk_requests_progress_update_id_progress_updates')),
    sa.ForeignKeyConstraint(['to_organisation_id'], ['organisations.id'], name=op.f('fk_requests_to_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_asked_at'), ['asked_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_progress_update_id'), ['progress_update_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_to_organisation_id'), ['to_organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_to_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_requests_progress_update_id'))
        batch_op.drop_index(batch_op.f('ix_requests_asked_at'))
        batch_op.drop_index(batch_op.f('ix_requests_action_id'))
    op.drop_table('requests')

    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_column('next_step_on')
        batch_op.drop_column('next_step')
