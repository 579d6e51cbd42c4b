"""Wrong answers for 03 · Dependencies."""

WRONG = {
    "03.1": {
        "a limit bound too loose": """        limit: Annotated[int, Query(ge=1, le=1000)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,""",
        "no lower bound on limit": """        limit: Annotated[int, Query(le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,""",
        "an offset of 0 refused (gt)": """        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(gt=0)] = 0,""",
        "the largest page as the default": """        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,""",
        "offset bounded by the page size": """        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 0,""",
        "the bounds of a page of 99": """        limit: Annotated[int, Query(ge=1, lt=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0)] = 0,""",
    },
    "03.2": {
        "a user's own email refused": """        if await self.users.get_by_email(email) is not None:
            raise Conflict(f"The email {email} is already registered.")""",
        "the owner test the wrong way round": """        existing = await self.users.get_by_email(email)
        if existing is not None and existing.id == owner_id:
            raise Conflict(f"The email {email} is already registered.")""",
        "a Conflict that does not say which email": """        existing = await self.users.get_by_email(email)
        if existing is not None and existing.id != owner_id:
            raise Conflict("That email is already registered.")""",
        "a ValueError instead of the domain error": """        existing = await self.users.get_by_email(email)
        if existing is not None and existing.id != owner_id:
            raise ValueError(f"The email {email} is already registered.")""",
        "checked on sign-up only": """        existing = await self.users.get_by_email(email)
        if existing is not None and owner_id is None:
            raise Conflict(f"The email {email} is already registered.")""",
        "an owner id that is falsy taken for none": """        existing = await self.users.get_by_email(email)
        if existing and owner_id and existing.id != owner_id:
            raise Conflict(f"The email {email} is already registered.")""",
        "ids compared with `is`": """        existing = await self.users.get_by_email(email)
        if existing is not None and existing.id is not owner_id:
            raise Conflict(f"The email {email} is already registered.")""",
    },
    "03.3": {
        "the two statuses swapped": """STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_409_CONFLICT,
    Conflict: status.HTTP_404_NOT_FOUND,
}""",
        "a conflict as a bad request": """STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_400_BAD_REQUEST,
}""",
        "only NotFound mapped": """STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
}""",
        "the class names as keys": """STATUS_CODES: dict[type[DomainError], int] = {
    "NotFound": status.HTTP_404_NOT_FOUND,  # type: ignore[dict-item]
    "Conflict": status.HTTP_409_CONFLICT,  # type: ignore[dict-item]
}""",
        "every domain error a 404": """STATUS_CODES: dict[type[DomainError], int] = {
    DomainError: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_409_CONFLICT,
}""",
        "a conflict as unprocessable": """STATUS_CODES: dict[type[DomainError], int] = {
    NotFound: status.HTTP_404_NOT_FOUND,
    Conflict: status.HTTP_422_UNPROCESSABLE_ENTITY,
}""",
    },
    "03.4": {
        "no override: the real storage": """    with TestClient(app) as client:
        response = client.get("/api/v1/items", params={"limit": 3, "offset": 6})
    assert response.status_code == 200""",
        "an override, and nothing asserted about it": """    fake = FakeItemService()
    app.dependency_overrides[get_item_service] = lambda: fake
    with TestClient(app) as client:
        response = client.get("/api/v1/items", params={"limit": 3, "offset": 6})
    assert response.status_code == 200""",
        "the default page only": """    fake = FakeItemService()
    app.dependency_overrides[get_item_service] = lambda: fake
    with TestClient(app) as client:
        response = client.get("/api/v1/items")
    assert response.status_code == 200
    assert fake.calls == [("page", {"limit": 20, "offset": 0})]""",
        "the page asserted, the answer never looked at": """    fake = FakeItemService()
    app.dependency_overrides[get_item_service] = lambda: fake
    with TestClient(app) as client:
        client.get("/api/v1/items", params={"limit": 3, "offset": 6})
    assert fake.calls == [("page", {"limit": 3, "offset": 6})]""",
        "the storage replaced instead of the service": """    from app.repositories.items import InMemoryItemRepository

    app.dependency_overrides[get_item_repository] = InMemoryItemRepository
    with TestClient(app) as client:
        page = client.get("/api/v1/items", params={"limit": 3, "offset": 6}).json()
    assert (page["limit"], page["offset"]) == (3, 6)""",
        "the service class as the override key": """    fake = FakeItemService()
    app.dependency_overrides[ItemsPage] = lambda: fake
    with TestClient(app) as client:
        response = client.get("/api/v1/items", params={"limit": 3, "offset": 6})
    assert response.status_code == 200""",
    },
}
