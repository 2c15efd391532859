"""Ids in URLs: ``<int:…>`` accepts any number of digits, the database does not."""

from functools import wraps

from django.http import Http404

MAX_DATABASE_ID = 2**63 - 1


def bounded_ids(view):
    """404 (not a driver overflow, not a 500) for integer URL ids past a 64-bit integer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= MAX_DATABASE_ID:
                raise Http404
        return view(request, *args, **kwargs)

    return wrapper
