"""Files kept with a request, for staff: adding one (an incoming letter) and opening it.

The files live in the private storage, which no URL serves: the only way to them is the download
view here, behind the admin's login and the permission to view the request. A file is always
offered as a download with the type found in its content (requests/attachments.py), never shown
as a page of the admin's origin.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from requests import services
from requests.admin.actions import add_service_errors
from requests.attachment_forms import AttachmentAddForm
from requests.attachments import attachment_add
from requests.models import RequestAttachment

ADD_TEMPLATE = "admin/rights_requests/datasubjectrequest/attachment_add.html"


def attachment_refusals(obj):
    refusal = services.anonymised_refusal(obj)
    return {"attachment_add": refusal} if refusal else {}


def file_response(attachment):
    """The file as a download under its original name (Django encodes it for the header,
    RFC 6266 filename*), with the type found in its content. admin_view makes it never cached,
    SecurityMiddleware never sniffed; a sandbox CSP, should a browser open it all the same."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class AttachmentPagesMixin:
    """Used with RequestActionPagesMixin (requests/admin/actions.py), which supplies
    _action_page, page_urls and page_refusals."""

    def page_urls(self, page):
        download = path(
            "<int:pk>/attachments/<int:attachment_pk>/",
            self.admin_site.admin_view(require_GET(self.attachment_download_view)),
            name="rights_requests_datasubjectrequest_attachment",
        )
        return [
            *super().page_urls(page),
            page("attachment_add", self.attachment_add_view),
            download,
        ]

    def page_refusals(self, obj):
        return {**super().page_refusals(obj), **attachment_refusals(obj)}

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_view_permission(request, obj):
            context["attachments"] = obj.attachments.select_related("added_by")
            context["download_links"] = obj.download_links.all()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def attachment_download_view(self, request, pk, attachment_pk):
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        attachment = obj.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise Http404
        try:
            return file_response(attachment)
        except FileNotFoundError:
            raise Http404 from None

    def attachment_add_view(self, request, pk):
        """Like _action_page, with the uploaded files: several received files at once, all kept
        or none."""
        if not self.has_process_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, str(pk))
        if obj is None:
            raise Http404
        refusal = self.page_refusals(obj).get("attachment_add")
        if request.method == "POST":
            form = AttachmentAddForm(request.POST, request.FILES)
        else:
            form = AttachmentAddForm()
        if form.is_bound and refusal:
            form.add_error(None, refusal)
        elif form.is_bound and form.is_valid():
            try:
                with transaction.atomic():
                    added = [
                        attachment_add(
                            subject_request=obj,
                            uploaded_file=uploaded,
                            direction=RequestAttachment.Direction.RECEIVED,
                            by=request.user,
                        )
                        for uploaded in form.cleaned_data["file"]
                    ]
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                # The file names stay out of the admin's log: they may be personal data.
                with translation.override(None):
                    name = str(RequestAttachment._meta.verbose_name)
                self.log_change(request, obj, [{"added": {"name": name, "object": ""}}])
                messages.success(
                    request,
                    ngettext(
                        "%(count)d file added to request %(reference)s.",
                        "%(count)d files added to request %(reference)s.",
                        len(added),
                    )
                    % {"count": len(added), "reference": obj},
                )
                return redirect("admin:rights_requests_datasubjectrequest_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{gettext('Add an attachment')} · {obj}",
            "form": form,
            "refusal": refusal,
            "media": self.media + form.media,
            "deadline": self.deadline(obj),
            "submit_label": gettext("Add"),
        }
        return TemplateResponse(request, ADD_TEMPLATE, context)
