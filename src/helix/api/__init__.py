"""The REST API (django-ninja): one router per app, an OpenAPI 3 schema at /api/openapi.json."""
