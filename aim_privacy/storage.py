"""The storage of files no URL may serve (settings.STORAGES["private"])."""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage without URLs: with base_url None, Django's would fall back to
    MEDIA_URL and give /media/… for a file that must only leave through a view checking who
    asks (requests/attachments.py)."""

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")
