"""Request and response bodies of the REST API: one module per app (registry, market, events, symbiosis,
privacy, notifications), named as the router that uses them; ``base`` holds what they all build on.

Component names in the OpenAPI schema are the class names, so a class name is used once across the
package (tests/api/test_schemas.py checks it). The error answers are in helix.api.errors.
"""
