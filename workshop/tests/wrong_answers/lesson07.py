"""Wrong answers for 07 · Testing."""

WRONG = {
    "07.1": {
        "booleans refused, strings still converted": """    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    @field_validator("*", mode="before")
    @classmethod
    def refuse_booleans(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("a boolean is not accepted here")
        return value""",
        "booleans turned into numbers on purpose": """    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    @field_validator("*", mode="before")
    @classmethod
    def booleans_as_numbers(cls, value: object) -> object:
        return int(value) if isinstance(value, bool) else value""",
        "strict, and unknown fields let through": """    model_config = ConfigDict(hide_input_in_errors=True, strict=True)""",
        "strict, and the input back in error texts": """    model_config = ConfigDict(extra="forbid", strict=True)""",
        "lax, with the one field that mattered made strict": """    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    @field_validator("price_cents", mode="before", check_fields=False)
    @classmethod
    def strict_price(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("give the price as an integer")
        return value""",
        "conversion refused by hand, for what looks like a number": """    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    @field_validator("*", mode="before")
    @classmethod
    def no_conversion(cls, value: object) -> object:
        if isinstance(value, bool) or (isinstance(value, str) and value.isdigit()):
            raise ValueError("give the value as its declared type")
        return value""",
        "strict, and text refused in every field not declared as text": """    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def text_only_for_text(cls, value: object, info: Any) -> object:
        declared = str(cls.model_fields[info.field_name].annotation)
        if isinstance(value, str) and "str" not in declared:
            raise ValueError("give the value as its declared type")
        return value""",
    },
    "07.2": {
        "the prefix compared with startswith, not matches()": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template.endswith(answer.route)
        and answer.path.startswith(template[: len(template) - len(answer.route)])
    }""",
        "the route's path, in a template as deep as the path": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template.endswith(answer.route)
        and template.count("/") == answer.path.count("/")
    }""",
        "the route's path, under the same first segment": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template.endswith(answer.route)
        and template.split("/")[1] == answer.path.split("/")[1]
    }""",
        "the path's pattern, and the route's last segment": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if matches(template, answer.path)
        and template.rsplit("/", 1)[-1] == answer.route.rsplit("/", 1)[-1]
    }""",
        "the path's pattern only (/users/me counts for /users/{id})": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if matches(template, answer.path)
    }""",
        "the route's path only (one router under two prefixes)": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template.endswith(answer.route)
    }""",
        "the path requested, not the template": """    return {(answer.method, answer.path, answer.status) for answer in seen}""",
        "every method of the template": """    return {
        (method.upper(), template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template.endswith(answer.route) and matches(template, answer.path)
        for method in spec["paths"][template]
    }""",
        "the route compared with the template as it is": """    return {
        (answer.method, template, answer.status)
        for answer in seen
        for template in spec["paths"]
        if template == answer.route
    }""",
        "the first template that fits the path (the route that answered ignored)": """    found = set()
    for answer in seen:
        for template in spec["paths"]:
            if matches(template, answer.path):
                found.add((answer.method, template, answer.status))
                break
    return found""",
    },
}
