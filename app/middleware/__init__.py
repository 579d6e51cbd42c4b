"""Middleware, each a plain ASGI callable: it sees every request, before any route."""
