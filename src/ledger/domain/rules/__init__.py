"""The rule catalogue: every procedural rule of the domain as data (id, source, parameters with
defaults) plus one small check function each. Breaches are findings, never refusals."""
