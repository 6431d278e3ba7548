"""REST routers of the sharing node."""
