"""Wrong answers for 06 · Errors."""

WRONG = {
    "06.1": {
        "a list parameter named by its last item (its index)": """    if location != "body":
        return FieldError(
            location=location,
            parameter=cut(str(path[-1])),
            detail=cut(error["msg"]),
            code=error["type"],
        )
    if error["type"] == "json_invalid":
        path = []
    return FieldError(
        location="body",
        pointer=cut(json_pointer(path)),
        detail=cut(error["msg"]),
        code=error["type"],
    )""",
        "a parameter named by its whole path, dotted": """    if location != "body":
        return FieldError(
            location=location,
            parameter=cut(".".join(map(str, path))),
            detail=cut(error["msg"]),
            code=error["type"],
        )
    if error["type"] == "json_invalid":
        path = []
    return FieldError(
        location="body",
        pointer=cut(json_pointer(path)),
        detail=cut(error["msg"]),
        code=error["type"],
    )""",
        "every json_* error taken for JSON that does not parse": """    if location != "body":
        return FieldError(
            location=location,
            parameter=cut(str(path[0])),
            detail=cut(error["msg"]),
            code=error["type"],
        )
    if error["type"].startswith("json"):
        path = []
    return FieldError(
        location="body",
        pointer=cut(json_pointer(path)),
        detail=cut(error["msg"]),
        code=error["type"],
    )""",
        "the whole error as its detail (the password with it)": """    where = (
        {"parameter": str(path[0])}
        if location != "body"
        else {"pointer": json_pointer(path)}
    )
    return FieldError(location=location, **where, detail=cut(str(error)), code=error["type"])""",
        "the value sent added to the message": """    detail = cut(f"{error['msg']} (you sent {error.get('input')!r})")
    if location != "body":
        return FieldError(location=location, parameter=cut(str(path[0])), detail=detail, code=error["type"])
    return FieldError(location="body", pointer=cut(json_pointer(path)), detail=detail, code=error["type"])""",
        "the location inside the pointer": """    return FieldError(
        location=location,
        pointer=cut(json_pointer(error["loc"])),
        detail=cut(error["msg"]),
        code=error["type"],
    )""",
        "nothing cut": """    if location != "body":
        return FieldError(location=location, parameter=str(path[0]), detail=error["msg"], code=error["type"])
    if error["type"] == "json_invalid":
        path = []
    return FieldError(location="body", pointer=json_pointer(path), detail=error["msg"], code=error["type"])""",
        "the character's position read as a field": """    if location != "body":
        return FieldError(location=location, parameter=cut(str(path[0])), detail=cut(error["msg"]), code=error["type"])
    return FieldError(location="body", pointer=cut(json_pointer(path)), detail=cut(error["msg"]), code=error["type"])""",
        "a value that is not a string shown, since it is no password": """    sent = error.get("input")
    said = error["msg"] if isinstance(sent, str) else f"{error['msg']}, got {sent!r}"
    if location != "body":
        return FieldError(location=location, parameter=cut(str(path[0])), detail=cut(said), code=error["type"])
    if error["type"] == "json_invalid":
        path = []
    return FieldError(location="body", pointer=cut(json_pointer(path)), detail=cut(said), code=error["type"])""",
        "the pointer escaped in the wrong order (/ before ~)": """    if location != "body":
        return FieldError(location=location, parameter=cut(str(path[0])), detail=cut(error["msg"]), code=error["type"])
    if error["type"] == "json_invalid":
        path = []
    parts = [quote(str(p).replace("/", "~1").replace("~", "~0")) for p in path]
    pointer = "#/" + "/".join(parts) if parts else "#"
    return FieldError(location="body", pointer=cut(pointer), detail=cut(error["msg"]), code=error["type"])""",
        "the pointer built by hand, nothing escaped": """    if location != "body":
        return FieldError(location=location, parameter=cut(str(path[0])), detail=cut(error["msg"]), code=error["type"])
    if error["type"] == "json_invalid":
        path = []
    pointer = "#/" + "/".join(map(str, path)) if path else "#"
    return FieldError(location="body", pointer=cut(pointer), detail=cut(error["msg"]), code=error["type"])""",
        "a path that starts with an index taken for a character's position": """    if location != "body":
        return FieldError(location=location, parameter=cut(str(path[0])), detail=cut(error["msg"]), code=error["type"])
    if path and isinstance(path[0], int):
        path = []  # where JSON stopped parsing
    return FieldError(location="body", pointer=cut(json_pointer(path)), detail=cut(error["msg"]), code=error["type"])""",
    },
    "06.2": {
        "any id trusted": """    return sent or str(uuid4())""",
        "only the start checked (re.match)": """    if sent is not None and SAFE_ID.match(sent):
        return sent
    return str(uuid4())""",
        "a long id cut instead of replaced": """    if sent:
        return sent[:64]
    return str(uuid4())""",
        "no bound on the length": """    if sent and re.fullmatch(r"[A-Za-z0-9._:+=-]+", sent):
        return sent
    return str(uuid4())""",
        "anchored with $, which matches before a trailing newline": """    if sent is not None and re.match(r"[A-Za-z0-9._:+=-]{1,64}$", sent):
        return sent
    return str(uuid4())""",
        "Unicode \\w for letters and digits": """    if sent is not None and re.fullmatch(r"[\\w.:+=-]{1,64}", sent):
        return sent
    return str(uuid4())""",
        "[a-z] with re.IGNORECASE, which takes the Kelvin sign for a k": """    if sent is not None and re.fullmatch(r"[a-z0-9._:+=-]{1,64}", sent, re.IGNORECASE):
        return sent
    return str(uuid4())""",
    },
    "06.3": {
        "the 413 says the bytes received, not the limit": """        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ContentTooLarge(received)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "the last chunk measured on its own, not added to the total": """        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                body = message.get("body", b"")
                if message.get("more_body"):
                    received += len(body)
                if received > self.max_bytes or len(body) > self.max_bytes:
                    raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "each chunk checked, not the total": """        async def receive_within_limit() -> Message:
            message = await receive()
            if len(message.get("body", b"")) > self.max_bytes:
                raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "the whole body read first, then measured": """        messages = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            received += len(message.get("body", b""))
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        if received > self.max_bytes:
            response = problem_response(
                Request(scope), 413, title=phrase(413), detail="Too large."
            )
            await response(scope, receive, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)""",
        "a body of exactly the limit refused (>=)": """        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received >= self.max_bytes:
                raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "1 MiB hard-coded, not the setting": """        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > 1024 * 1024:
                raise ContentTooLarge(1024 * 1024)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "the count kept on the middleware, shared by every request": """        self.received = 0

        async def receive_within_limit() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.max_bytes:
                    raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "only chunks with more to come are counted": """        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request" and message.get("more_body"):
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)""",
        "a Content-Length trusted: such a body is not counted": """        if declared:
            await self.app(scope, receive, send)
            return
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ContentTooLarge(self.max_bytes)
            return message

        await self.app(scope, receive_within_limit, send)""",
    },
}
