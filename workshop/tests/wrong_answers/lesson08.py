"""Wrong answers for 08 · Configuration."""

WRONG = {
    "08.1": {
        "http://localhost let through for local tools": """    local = ("http://localhost", "http://127.0.0.1")
    refused = [
        o
        for o in settings.cors_origins
        if not o.startswith("https://") and not o.startswith(local)
    ]
    if refused:
        problems.append(f"APP_CORS_ORIGINS holds {refused}: use https:// origins.")""",
        "a deny-list of '*', 'null' and http:// (other schemes go through)": """    refused = [
        o for o in settings.cors_origins if o in ("*", "null") or o.startswith("http://")
    ]
    if refused:
        problems.append(f"APP_CORS_ORIGINS holds {refused}: use https:// origins.")""",
        "only the wildcard refused": """    if "*" in settings.cors_origins:
        problems.append("APP_CORS_ORIGINS holds '*': name each origin instead.")""",
        "a deny-list of '*' and http:// ('null' goes through)": """    refused = [
        o for o in settings.cors_origins if o == "*" or o.startswith("http://")
    ]
    if refused:
        problems.append(f"APP_CORS_ORIGINS holds {refused}: use https:// origins.")""",
        "raised at the first bad origin, the other problems lost": """    for origin in settings.cors_origins:
        if not origin.startswith("https://"):
            raise ValueError(f"APP_CORS_ORIGINS: {origin} is not an https:// origin")""",
        "a sentence that does not name the variable": """    if any(not o.startswith("https://") for o in settings.cors_origins):
        problems.append("CORS origins must be https:// in production.")""",
        "https:// anywhere in the origin": """    refused = [o for o in settings.cors_origins if "https://" not in o]
    if refused:
        problems.append(f"APP_CORS_ORIGINS holds {refused}: use https:// origins.")""",
        "only the first origin looked at": """    first = settings.cors_origins[0] if settings.cors_origins else "https://"
    if not first.startswith("https://"):
        problems.append(f"APP_CORS_ORIGINS holds {first!r}: use https:// origins.")""",
    },
    "08.2": {
        "APP_DOCS_ENABLED=false obeyed only outside production": """    if settings.environment == "production":
        shown = settings.docs_enabled is not None
    else:
        shown = settings.docs_enabled is not False
    urls = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return urls if shown else dict.fromkeys(urls)""",
        "/openapi.json still served": """    shown = settings.docs_enabled
    if shown is None:
        shown = settings.environment != "production"
    if shown:
        return {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return {"docs_url": None, "redoc_url": None, "openapi_url": "/openapi.json"}""",
        "the setting ignored": """    if settings.environment == "production":
        return {"docs_url": None, "redoc_url": None, "openapi_url": None}
    return {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}""",
        "the setting can only turn them on": """    shown = settings.docs_enabled or settings.environment != "production"
    urls = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return urls if shown else dict.fromkeys(urls)""",
        "shown in development only": """    shown = settings.docs_enabled
    if shown is None:
        shown = settings.environment == "development"
    urls = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return urls if shown else dict.fromkeys(urls)""",
        "the process's settings, not the app's": """    shown = get_settings().docs_enabled
    if shown is None:
        shown = get_settings().environment != "production"
    urls = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return urls if shown else dict.fromkeys(urls)""",
        "the setting compared with the text of the variable": """    shown = settings.environment != "production"
    if settings.docs_enabled is not None:
        shown = str(settings.docs_enabled) == "true"
    urls = {"docs_url": "/docs", "redoc_url": "/redoc", "openapi_url": "/openapi.json"}
    return urls if shown else dict.fromkeys(urls)""",
    },
    "08.3": {
        "the leftmost address believed": """    if forwarded_for and is_trusted(peer, proxies):
        return forwarded_for[0]
    return peer""",
        "the header believed from any peer": """    return forwarded_for[-1] if forwarded_for else peer""",
        "one proxy only": """    if forwarded_for and is_trusted(peer, proxies):
        return forwarded_for[-1]
    return peer""",
        "a proxy compared as text, not by network": """    address = peer
    names = {str(network.network_address) for network in proxies}
    for hop in reversed(forwarded_for):
        if address not in names:
            break
        address = hop
    return address""",
        "any text in the header believed": """    address = peer
    for hop in reversed(forwarded_for):
        if not is_trusted(address, proxies):
            break
        address = hop
    return address""",
        "IPv4 addresses only": """    from ipaddress import IPv4Address

    address = peer
    for hop in reversed(forwarded_for):
        if not is_trusted(address, proxies):
            break
        try:
            IPv4Address(hop)
        except ValueError:
            break
        address = hop
    return address""",
        "the last four hops only (a chain is never longer)": """    address = peer
    for hop in list(reversed(forwarded_for))[:4]:
        if not is_trusted(address, proxies):
            break
        try:
            ip_address(hop)
        except ValueError:
            break
        address = hop
    return address""",
        "two hops at most": """    address = peer
    for hop in list(reversed(forwarded_for))[:2]:
        if not is_trusted(address, proxies):
            break
        try:
            ip_address(hop)
        except ValueError:
            break
        address = hop
    return address""",
        "the walk capped at ten hops (no real chain is longer)": """    address = peer
    for hop in list(reversed(forwarded_for))[:10]:
        if not is_trusted(address, proxies):
            break
        try:
            ip_address(hop)
        except ValueError:
            break
        address = hop
    return address""",
    },
}
