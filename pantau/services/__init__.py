"""The only API the interfaces (CLI, web) call."""
