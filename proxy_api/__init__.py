"""The HTTP edge: the OpenAI-compatible proxy under /v1 and the admin API under /admin/v1."""
