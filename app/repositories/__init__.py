"""Storage behind protocols: services depend on what a repository does, not on how."""
