"""History in the editors' admin: a reason (变更说明) on every edit, readable diffs, restore.

Every change and add form gets a required `change_reason` field; the admin hands it to
django-simple-history as `obj._change_reason`, so the historical record written by the save carries
it (inline rows saved from the same page carry the same reason). The history page shows, for each
version, what changed against the version before, field by field, in the words of measures.domain.diffs.
Restoring an older version saves its values as a new version with its own reason: history is never
rewritten.
"""

from dataclasses import replace

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from measures.domain.diffs import field_changes

REASON_FIELD = "change_reason"
REASON_REQUIRED = "请填写变更说明：这次修改了什么、为什么"
REASON_MAX_LENGTH = 100  # simple_history's history_change_reason is a CharField(100)
HISTORY_TYPES = {"+": "新建", "~": "修改", "-": "删除"}
# Text is compared character by character; other values (amounts, choices, yes/no, links to other
# rows) are short and read better whole: "3000万元 → 2000万元".


def reason_field(initial=None) -> forms.CharField:
    return forms.CharField(
        label="变更说明",
        max_length=REASON_MAX_LENGTH,
        initial=initial,
        help_text="必填，记入历史：这次修改了什么、为什么（100字以内）。",
        error_messages={
            "required": REASON_REQUIRED,
            "max_length": "变更说明最多%(limit_value)d个字（现在%(show_value)d个）。",
        },
        widget=forms.TextInput(attrs={"class": "vTextField", "maxlength": REASON_MAX_LENGTH}),
    )


def restore_reason(record) -> str:
    return f"恢复到 {timezone.localtime(record.history_date):%Y-%m-%d %H:%M} 的版本"


class ChangeReasonAdmin(SimpleHistoryAdmin):
    """A SimpleHistoryAdmin whose forms ask for a reason and whose history page shows diffs."""

    object_history_template = "admin/measures/object_history.html"
    object_history_list_template = "admin/measures/object_history_list.html"
    object_history_form_template = "admin/measures/object_history_form.html"

    # --- the reason field --------------------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The reason is not a model field: keep it out of the field list the model form is built
        # from, then add it to the form class.
        if "fields" not in kwargs:
            kwargs["fields"] = [
                name for name in flatten_fieldsets(self.get_fieldsets(request, obj)) if name != REASON_FIELD
            ]
        elif kwargs["fields"] is not None:
            kwargs["fields"] = [name for name in kwargs["fields"] if name != REASON_FIELD]
        restoring = getattr(request, "restoring", None)
        if restoring is not None and obj is not None:
            # The restored row carries its old version number; it is saved as the newest version.
            obj.version = restoring.current_version
        form = super().get_form(request, obj, change=change, **kwargs)
        initial = restore_reason(restoring) if restoring is not None else None
        return type(form.__name__, (form,), {REASON_FIELD: reason_field(initial)})

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON_FIELD]})
            for name, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, ("记入历史", {"fields": [REASON_FIELD]})]

    @staticmethod
    def change_reason(form) -> str:
        return form.cleaned_data[REASON_FIELD]

    def edits_content(self, request, form) -> bool:
        """Whether the editor changed the row itself: the reason alone is not a change, and a
        restore always is (its form holds the old values unchanged)."""
        if getattr(request, "restoring", None) is not None:
            return True
        return any(name != REASON_FIELD for name in form.changed_data)

    def save_model(self, request, obj, form, change):
        obj._change_reason = self.change_reason(form)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj._change_reason = "在后台删除"
        super().delete_model(request, obj)

    # --- the history page --------------------------------------------------------------------

    def _check_object_id(self, object_id):
        """An id that is not one (/admin/…/abc/history/) is a 404, not a ValueError."""
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_object_id(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_view_title(self, request, obj):
        return f"{obj} 的修改历史"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """Give each record on the page `changes`: what it changed against the version before it.

        The records come newest first; the version before the page's oldest is read with one more
        query, and the rows named by changed links to other rows with one query per model."""
        records = list(historical_records)
        if not records:
            return
        oldest = records[-1]
        before_oldest = None
        if oldest.history_type != "+":
            before_oldest = oldest.prev_record
        for record, previous in zip(records, [*records[1:], before_oldest], strict=True):
            if record.history_type == "+":
                previous = None
            old = previous.__dict__ if previous is not None else None
            record.changes = field_changes(self.model, old, record.__dict__)
            record.history_type_label = HISTORY_TYPES.get(record.history_type, record.history_type)
        self._name_related_rows(records)
        for record in records:
            record.shown_changes = [self._shown(change) for change in record.changes]

    def _name_related_rows(self, records):
        """Changes to a link (a measure moved to another pillar) show the rows' names, not ids."""
        links = {f.name: f for f in self.model._meta.concrete_fields if f.is_relation}
        wanted = {}
        for record in records:
            for change in record.changes:
                if change.name in links:
                    wanted.setdefault(change.name, set()).update(v for v in (change.old, change.new) if v)
        for name, ids in wanted.items():
            related = links[name].related_model._default_manager.all()
            if hasattr(related.model, "measure"):
                related = related.select_related("measure")  # a clause's name shows its measure
            names = {str(pk): str(row) for pk, row in related.in_bulk([int(i) for i in ids]).items()}
            for record in records:
                record.changes = [
                    replace(change, old=names.get(change.old, change.old), new=names.get(change.new, change.new))
                    if change.name == name
                    else change
                    for change in record.changes
                ]

    def _shown(self, change):
        return {
            "label": change.label,
            "old": change.old,
            "new": change.new,
            "segments": None if change.whole else change.segments,
        }

    # --- restoring an older version ------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        object_id = self._check_object_id(object_id)
        if not str(version_id).isdigit():
            raise Http404
        history = self.model.history.model
        record = history.objects.filter(**{self.model._meta.pk.attname: object_id, "history_id": version_id}).first()
        if record is None:
            raise Http404
        record.current_version = (
            self.model._default_manager.filter(pk=object_id).values_list("version", flat=True).first() or record.version
        )
        request.restoring = record
        # simple_history shows a view-only user the old version without the button, but would
        # still save a POST: refuse it.
        if request.method == "POST" and self.revert_disabled(request, record.instance):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_form_view_title(self, request, obj):
        record = request.restoring
        if self.revert_disabled(request, obj):
            return f"{obj} 在 {timezone.localtime(record.history_date):%Y-%m-%d %H:%M} 的版本"
        return f"恢复 {obj} 到 {timezone.localtime(record.history_date):%Y-%m-%d %H:%M} 的版本"

    def response_change(self, request, obj):
        record = getattr(request, "restoring", None)
        if record is None:
            return super().response_change(request, obj)
        self.message_user(request, f"已{restore_reason(record)}，记为新的一版。", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history", args=(obj.pk,))
        )
