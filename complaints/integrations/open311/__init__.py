"""Open311 GeoReport v2 (/open311/v2/): complaint categories as services, complaints as requests."""
