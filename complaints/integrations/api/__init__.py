"""The complaints REST API (/api/v1/): filing, reading and statistics for other systems."""
