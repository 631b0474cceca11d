"""indexes for county scale: an action's newest updates, the audit log's keyset pages, the lists' filters

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 13:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index('ix_progress_updates_action_id_at', ['action_id', 'at', 'id'], unique=False)
        batch_op.drop_index('ix_progress_updates_action_id')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_at_id', ['at', 'id'], unique=False)
        batch_op.drop_index('ix_audit_events_at')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_owner_organisation_id_status', ['owner_organisation_id', 'status'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_actions_last_progress_at'), ['last_progress_at'], unique=False)


def downgrade():
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_last_progress_at'))
        batch_op.drop_index('ix_actions_owner_organisation_id_status')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_at', ['at'], unique=False)
        batch_op.drop_index('ix_audit_events_at_id')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index('ix_progress_updates_action_id', ['action_id'], unique=False)
        batch_op.drop_index('ix_progress_updates_action_id_at')
