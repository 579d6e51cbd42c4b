"""Pydantic models for what enters and leaves the API, one module per resource."""
