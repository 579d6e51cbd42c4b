"""Wrong answers for 04 · Authentication and authorization."""

WRONG = {
    "04.1": {
        "only refresh tokens kept off the API": """        if expected == "access" and claims["type"] != "access":
            raise InvalidToken("a refresh token is not an access token")""",
        "any known type accepted": """        if claims["type"] not in ("access", "refresh"):
            raise InvalidToken(f"unknown type {claims['type']!r}")""",
        "access tokens only, everywhere": """        if claims["type"] != "access":
            raise InvalidToken("not an access token")""",
        "None returned instead of a refusal": """        if claims["type"] != expected:
            return None  # type: ignore[return-value]""",
        "an assert instead of a refusal": """        assert claims["type"] == expected, f"type {claims['type']!r}\"""",
        "a type that is part of the expected one": """        if claims["type"] not in expected:
            raise InvalidToken(f"type {claims['type']!r} where {expected!r} was expected")""",
        "the type compared in any case": """        if str(claims["type"]).lower() != expected:
            raise InvalidToken(f"type {claims['type']!r} where {expected!r} was expected")""",
    },
    "04.2": {
        "every session of the user ended": (
            "            await self.sessions.revoke_all(user_id=session.user_id)"
        ),
        "the user's id taken for the session's": (
            "            await self.sessions.revoke(session.user_id)"
        ),
        "the token's id taken for the session's": (
            "            await self.sessions.revoke(claims.token_id)  # type: ignore"
        ),
        "the revocation never awaited": (
            "            self.sessions.revoke(session.id)  # type: ignore[unused-coroutine]"
        ),
        "the new token revoked instead of the session": (
            "            await self.sessions.revoke(new_id)  # type: ignore[arg-type]"
        ),
        "the session revoked only when it has one token": """            if claims.token_id == new_id:
                await self.sessions.revoke(session.id)""",
    },
    "04.3": {
        "administrators hard-coded": """        if user.role != "admin":
            raise PermissionDenied("Administrators only.")""",
        "the test the wrong way round": """        if user.role in roles:
            raise PermissionDenied("Your account does not have the role this needs.")""",
        "401 instead of 403": """        from app.errors import Unauthenticated

        if user.role not in roles:
            raise Unauthenticated("Your account does not have the role this needs.")""",
        "a refusal that does not say why": """        if user.role not in roles:
            raise PermissionDenied()""",
        "only the first role allowed": """        if user.role != roles[0]:
            raise PermissionDenied("Your account does not have the role this needs.")""",
        "the role compared with the whole tuple": """        if user.role != roles:
            raise PermissionDenied("Your account does not have the role this needs.")""",
    },
    "04.4": {
        "the administrator taken to be user 1, the first account": """        if item is not None and item.owner_id != user.id and user.id != 1:
            item = None""",
        "a 404 that says whose it is": """        if item is not None and item.owner_id != user.id and user.role != Role.ADMIN:
            raise NotFound(f"Item {item_id} belongs to another user.")""",
        "403 instead of 404": """        from app.errors import PermissionDenied

        if item is not None and item.owner_id != user.id and user.role != Role.ADMIN:
            raise PermissionDenied("This item is not yours.")""",
        "administrators forgotten": """        if item is not None and item.owner_id != user.id:
            item = None""",
        "the item's id taken for its owner's": """        if item is not None and item.id != user.id and user.role != Role.ADMIN:
            item = None""",
        "or where and was meant": """        if item is not None and (item.owner_id != user.id or user.role != Role.ADMIN):
            item = None""",
        "the administrator's role spelt in capitals": """        if item is not None and item.owner_id != user.id and user.role != "ADMIN":
            item = None""",
    },
}
