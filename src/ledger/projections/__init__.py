"""Projections: views rebuilt only from events (the roster and keys now; archives, traces,
findings and replay as the lifecycle lands)."""
