"""server-side sessions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 13:10:00.000000

"""
import secrets
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('user_agent', sa.String(length=300), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Enum('signed_out', 'idle', 'ended_by_user', 'ended_by_admin', 'password_changed', 'temporary_password', 'account_changed', 'deactivated', 'organisation_deactivated', name='sessionend', native_enum=False, length=30), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_sessions_token_hash'))
    )
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_sessions_user_id'), ['user_id'], unique=False)

    # Sessions are server-side records now; the per-user login token they replace ends every old cookie.
    with _foreign_keys_off(), op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_login_token'), type_='unique')
        batch_op.drop_column('login_token')


def downgrade():
    op.add_column('users', sa.Column('login_token', sa.String(length=64), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer()), sa.column('login_token', sa.String()))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(login_token=secrets.token_urlsafe(24)))
    with _foreign_keys_off(), op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('login_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_login_token'), ['login_token'])

    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_user_id'))

    op.drop_table('user_sessions')


@contextmanager
def _foreign_keys_off():
    """SQLite rebuilds `users` to change it (copy, drop, rename); with foreign keys enforced, dropping a table that
    other rows refer to fails. The check is off meanwhile: the rows and their ids are copied unchanged."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.get_bind().connection.dbapi_connection.commit()  # the pragma is ignored inside a transaction
        op.execute("PRAGMA foreign_keys=OFF")
    yield
    if sqlite:
        op.execute("PRAGMA foreign_keys=ON")
