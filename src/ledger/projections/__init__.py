"""Projections: views rebuilt only from events: the roster and keys, and the facts the rules
judge (``facts``). Archives, traces and replay build on them."""
