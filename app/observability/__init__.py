"""What the service tells its operators: log lines, metrics and traces."""
