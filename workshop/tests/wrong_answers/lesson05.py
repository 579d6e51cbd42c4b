"""Wrong answers for 05 · Database."""

_ADD = """def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column({column})


def downgrade() -> None:
{downgrade}"""
_DROP = """    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("last_used_at")"""


def _migration(column: str, downgrade: str = _DROP) -> str:
    return "\n\n" + _ADD.format(column=column, downgrade=downgrade)


_RIGHT = (
    'sa.Column("last_used_at", sa.DateTime(timezone=True), '
    "server_default=sa.func.now(), nullable=False)"
)

WRONG = {
    "05.1": {
        "a column that may be empty": _migration(
            'sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True)'
        ),
        "NOT NULL without a default for the rows already there": _migration(
            'sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False)'
        ),
        "no way back down": _migration(_RIGHT, "    pass"),
        "a time without its time zone": _migration(
            'sa.Column("last_used_at", sa.DateTime(), server_default=sa.func.now(), '
            "nullable=False)"
        ),
        "text instead of a time": _migration(
            'sa.Column("last_used_at", sa.String(32), server_default=sa.func.now(), '
            "nullable=False)"
        ),
        "no batch mode on SQLite": """

def upgrade() -> None:
    op.add_column(
        "sessions",
        sa.Column(
            "last_used_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("sessions", "last_used_at")""",
        "the downgrade drops and recreates sessions (every session lost)": _migration(
            _RIGHT,
            """    op.drop_table("sessions")
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("refresh_token_id", sa.String(length=36), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )""",
        ),
    },
    "05.2": {
        "newest first, by creation time": """        query = (
            select(Item).order_by(Item.created_at.desc()).limit(limit).offset(offset)
        )
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "ordered by SKU, highest first": """        query = select(Item).order_by(Item.sku.desc()).limit(limit).offset(offset)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "no ORDER BY: whatever order the database likes": """        query = select(Item).limit(limit).offset(offset)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "limit and offset the wrong way round": """        query = select(Item).order_by(Item.id).limit(offset).offset(limit)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "the owner forgotten": """        query = select(Item).order_by(Item.id).limit(limit).offset(offset)
        return list(await self.session.scalars(query))""",
        "every item loaded, the page cut in Python": """        items = await self.session.scalars(select(Item).order_by(Item.id))
        mine = [i for i in items if owner_id is None or i.owner_id == owner_id]
        return mine[offset : offset + limit]""",
        "newest first": """        query = select(Item).order_by(Item.id.desc()).limit(limit).offset(offset)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "ordered by creation time": """        query = select(Item).order_by(Item.created_at).limit(limit).offset(offset)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "ordered by SKU": """        query = select(Item).order_by(Item.sku).limit(limit).offset(offset)
        if owner_id is not None:
            query = query.where(Item.owner_id == owner_id)
        return list(await self.session.scalars(query))""",
        "the page cut in SQL, the owner filtered after it": """        query = select(Item).order_by(Item.id).limit(limit).offset(offset)
        items = list(await self.session.scalars(query))
        return [i for i in items if owner_id is None or i.owner_id == owner_id]""",
    },
    "05.3": {
        "the database's error text added to the 409's message": """    try:
        async with session.begin_nested():
            yield
    except IntegrityError as error:
        if not broke_a_unique_constraint(error):
            raise
        raise Conflict(f"{conflict} ({error.orig})") from None""",
        "no savepoint: the transaction is lost with the error": """    try:
        yield
        await session.flush()
    except IntegrityError:
        raise Conflict(conflict) from None""",
        "the whole transaction rolled back": """    try:
        yield
        await session.flush()
    except IntegrityError:
        await session.rollback()
        raise Conflict(conflict) from None""",
        "a savepoint, and the IntegrityError left as it is": """    async with session.begin_nested():
        yield""",
        "a fixed message, not the one the repository gave": """    try:
        async with session.begin_nested():
            yield
    except IntegrityError:
        raise Conflict("Conflict.") from None""",
        "the broken constraint swallowed: no error at all": """    try:
        async with session.begin_nested():
            yield
    except IntegrityError:
        pass""",
        "every integrity error a Conflict, a missing owner too": """    try:
        async with session.begin_nested():
            yield
    except IntegrityError:
        raise Conflict(conflict) from None""",
        "every error turned into a Conflict": """    try:
        async with session.begin_nested():
            yield
    except Exception:
        raise Conflict(conflict) from None""",
    },
}
