"""Where files nobody may fetch by URL are kept: under ``settings.PRIVATE_MEDIA_ROOT``.

Application documents and pictures waiting to be cleaned live there; they are read only by
code that checked the permission first (a view, a task), never served by the web server.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files under settings.PRIVATE_MEDIA_ROOT: no URL, served only by a permission-checked view."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL")


private_storage = PrivateStorage()


def private_storage_callable():
    """The private storage, for a field's ``storage=`` (a callable keeps it out of migrations)."""
    return private_storage
