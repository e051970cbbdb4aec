"""Where auditors test: hypothesis strategies of consistent and mutated cases, and the pytest plugin.

Neither is imported by ``import fiscalcheck``: the strategies need hypothesis,
the plugin pytest. ``fiscalcheck.strategies`` is the public name of the former.
"""
