"""The JSON API under /api/v1: personal API keys, endpoints that reuse the pages' policy and services, problem
details for every error, and an OpenAPI 3.1 document built from the schemas that validate the requests."""
