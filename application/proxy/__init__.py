"""Use cases of the OpenAI-compatible proxy, free of any web framework."""
