"""Other systems' ways in: the REST API, Open311 GeoReport v2, and the accounts they use.

    accounts.py   接入账号: integration accounts (services: create, rotate, revoke, seen)
    auth.py       token authentication that also answers "may it file?" in one query
    api/          REST API v1 (serializers, views, statistics), OpenAPI schema by drf-spectacular
    open311/      GeoReport v2: discovery, services, requests (JSON and XML)

Both file through ``complaints.services.complaint_submit``, as the citizen's form does.
"""
