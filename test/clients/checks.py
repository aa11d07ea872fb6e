"""Checks for the client scripts that hold under `python3 -O` too (a bare `assert` is compiled out there)."""


def check(condition, detail=None):
    """Raises AssertionError with `detail` unless `condition` holds."""
    if not condition:
        raise AssertionError(detail if detail is not None else "check failed")
