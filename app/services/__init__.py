"""Business rules, one module per resource. No HTTP here: services raise domain errors."""
