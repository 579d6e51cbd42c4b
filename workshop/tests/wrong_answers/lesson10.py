"""Wrong answers for 10 · Observability."""

WRONG = {
    "10.1": {
        "the Forwarded header's host believed before the socket": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)
    forwarded = request.headers.get("forwarded", "")
    said = forwarded.rpartition(":")[2] if "host=" in forwarded else ""
    arrived = int(said) if said.isdigit() else server[1]
    if port is not None and arrived != port:
        raise HTTPException(status_code=404)""",
        "X-Forwarded-Port believed before the socket": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)
    arrived = request.headers.get("x-forwarded-port") or server[1]
    if port is not None and str(arrived) != str(port):
        raise HTTPException(status_code=404)""",
        "the socket and the Host header must both name the port": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)
    if port is not None and (server[1] != port or request.url.port != port):
        raise HTTPException(status_code=404)""",
        "clients on this machine let through on any port": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)
    client = request.client
    local = client is not None and client.host in ("127.0.0.1", "::1")
    if port is not None and server[1] != port and not local:
        raise HTTPException(status_code=404)""",
        "the Host header's port, which the client writes": """    port = request.app.state.settings.metrics_port
    if port is not None and request.url.port != port:
        raise HTTPException(status_code=404)""",
        "the Host header read by hand": """    port = request.app.state.settings.metrics_port
    host = request.headers.get("host", "")
    if port is not None and not host.endswith(f":{port}"):
        raise HTTPException(status_code=404)""",
        "an unset port taken as no port at all": """    port = request.app.state.settings.metrics_port
    if (request.scope.get("server") or (None, None))[1] != port:
        raise HTTPException(status_code=404)""",
        "a 403 that says the endpoint is there": """    port = request.app.state.settings.metrics_port
    if port is not None and request.scope["server"][1] != port:
        raise HTTPException(status_code=403)""",
        "loopback clients instead of the port": """    if request.client is None or request.client.host not in ("127.0.0.1", "::1"):
        raise HTTPException(status_code=404)""",
        "a plain-text 404 that a scanner can tell from a missing path": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)
    if port is not None and server[1] != port:
        return Response("Not Found", status_code=404, media_type="text/plain")""",
        "GET guarded, the other methods left to the 405 that names the path": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server") or (None, None)
    if request.method == "GET" and port is not None and server[1] != port:
        raise HTTPException(status_code=404)""",
        "a Unix socket taken for the metrics port": """    port = request.app.state.settings.metrics_port
    server = request.scope.get("server")
    if port is not None and server is not None and server[1] != port:
        raise HTTPException(status_code=404)""",
    },
    "10.2": {
        "ids only in the lines of sampled spans": """    context = trace.get_current_span().get_span_context()
    if context.is_valid and context.trace_flags.sampled:
        event["trace_id"] = format(context.trace_id, "032x")
        event["span_id"] = format(context.span_id, "016x")""",
        "the ids as decimal numbers": """    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = str(context.trace_id)
        event["span_id"] = str(context.span_id)""",
        "hex without its leading zeros": """    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = hex(context.trace_id)[2:]
        event["span_id"] = hex(context.span_id)[2:]""",
        "zeros written outside any span": """    context = trace.get_current_span().get_span_context()
    event["trace_id"] = format(context.trace_id, "032x")
    event["span_id"] = format(context.span_id, "016x")""",
        "capitals, as Python's X format writes them": """    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "032X")
        event["span_id"] = format(context.span_id, "016X")""",
        "the 0 of 032x forgotten: padded with spaces": """    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "32x")
        event["span_id"] = format(context.span_id, "16x")""",
        "the trace id only": """    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "032x")""",
    },
}
