"""Security primitives with no HTTP in sight: password hashing and signed tokens."""
