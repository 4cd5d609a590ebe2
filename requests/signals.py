"""A request's file leaves the disk when its row is deleted, whatever deletes it: the
anonymisation (attachments.attachments_delete), the deletion of a request never confirmed
(services.unconfirmed_delete, by cascade), or a shell. Only once the deletion is committed: a
rolled-back deletion keeps its row, so it keeps its file."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from requests.models import RequestAttachment


@receiver(post_delete, sender=RequestAttachment, dispatch_uid="rights_requests_attachment_file")
def attachment_file_delete(sender, instance, using, **kwargs):
    name = instance.file.name
    if not name:
        return
    storage = instance.file.storage
    transaction.on_commit(lambda: storage.delete(name), using=using)
