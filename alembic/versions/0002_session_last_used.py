"""Sessions remember when their refresh token was last exchanged.

Revision ID: 0002_session_last_used
Revises: 0001_initial
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_session_last_used"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Sessions that exist already get the time of the migration.
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column(
                "last_used_at",
                sa.DateTime(timezone=True),
                server_default=sa.func.now(),
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("last_used_at")
