"""FastAPI in Production: the reference service built by the workshop."""
