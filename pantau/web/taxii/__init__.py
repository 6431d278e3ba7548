"""TAXII 2.1 server of the sharing node."""
