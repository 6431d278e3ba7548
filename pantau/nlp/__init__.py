"""Pure language processing: no I/O beyond reading packaged data, no storage, no web."""
