"""The JSON API under ``/api/v1`` (Dutch API Design Rules: problem+json errors, OpenAPI)."""
