"""No lost updates: a change page remembers the version it was opened at, and a save on top of
someone else's newer version is refused with what they changed, the editor's input kept.

Three pieces, used by measures/editing/admin.py:

- `StaleEditCheck`, the base of every admin form: a hidden `opened_version` and the check in clean().
- `StaleEditAdmin` / `StaleEditInline`, mixed into the model admins and inlines: they make sure the
  hidden field is rendered (also when an admin lists its `fields`), and lock the rows being saved
  (SELECT … FOR UPDATE inside the admin's transaction), so that a save landing between our check
  and our write waits for us and is then refused in turn, instead of being overwritten.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from measures.domain.diffs import FieldChange, field_changes

VERSION_FIELD = "opened_version"

# A value longer than this is shown as a diff with a little context, not in full twice.
SHORT_VALUE = 20

STALE_MESSAGE = (
    "保存失败：在您打开此页之后，{editor} 于 {time} 修改了这条内容（第{version}版）。"
    "对方的修改如下；您填写的内容仍保留在表单中，请核对后再保存。再次保存将以您的内容覆盖。"
)
NO_DIFF = "（无法列出对方的具体修改，请另开窗口查看此条内容的历史记录。）"
EXPIRED_FORM = "表单已失效，无法判断您打开的是哪个版本。请重新打开此页后再修改。"


class OpenedVersionField(forms.CharField):
    """The version a form was opened at. Bookkeeping, never a change: a row whose fields the
    editor left alone is not saved (and not marked as theirs) because of it."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        # Hidden, but its label is still in the page (a hidden row): Chinese like every other.
        super().__init__(label="打开时的版本", **kwargs)

    def has_changed(self, initial, data):
        return False


class StaleEditCheck(forms.ModelForm):
    """Base form for anything an editor changes: refuses a save over a newer version of the row.

    Usable as a ModelAdmin's `form` directly (the admin adds the Meta) or as a ModelForm's base."""

    opened_version = OpenedVersionField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[VERSION_FIELD].initial = str(self.instance.version)

    def clean(self):
        cleaned_data = super().clean()
        self.check_not_stale()
        return cleaned_data

    def check_not_stale(self):
        """One query (the row's current version); three more when someone else saved first."""
        instance = self.instance
        opened = (self.cleaned_data.get(VERSION_FIELD) or "").strip()
        if instance.pk is None or not opened:
            return  # a new row, or a form built without the field (not the admin's)
        model = type(instance)
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        if current is None:
            return  # deleted meanwhile: saving fails elsewhere, with Django's own message
        if not opened.isdigit():
            self._show_version(current)
            raise ValidationError(EXPIRED_FORM, code="stale")
        if int(opened) == current:
            return
        # The editor has now seen the other change: a second save deliberately overwrites it.
        self._show_version(current)
        raise ValidationError(stale_message(model, instance.pk, int(opened)), code="stale")

    def _show_version(self, version):
        data = self.data.copy()
        data[self.add_prefix(VERSION_FIELD)] = str(version)
        self.data = data


def stale_message(model, pk, opened: int):
    """The refusal: who saved, when, and what they changed since version `opened`."""
    row = model._default_manager.filter(pk=pk).values().get()
    user = get_user_model()._default_manager.filter(pk=row["updated_by_id"]).first() if row["updated_by_id"] else None
    editor = (user.get_full_name() or user.get_username()) if user else "其他编辑"
    when = timezone.localtime(row["updated_at"]).strftime("%Y-%m-%d %H:%M")
    intro = STALE_MESSAGE.format(editor=editor, time=when, version=row["version"])
    seen = model.history.model.objects.filter(id=pk, version=opened).order_by("-history_date").first()
    if seen is None:
        return format_html("{}{}", intro, NO_DIFF)
    # Only what a person edits: the columns the database keeps (the finder's listing) are nobody's change.
    editable = {field.name for field in model._meta.concrete_fields if field.editable}
    changes = [change for change in field_changes(model, seen.__dict__, row) if change.name in editable]
    if not changes:
        return intro
    items = format_html_join("", "<li>{}</li>", ((describe(change),) for change in changes))
    return format_html('{}<ul class="stale-edit-changes">{}</ul>', intro, items)


def describe(change: FieldChange):
    """'金额：3000万元 → 2000万元', or for long text the changes in context (measures/domain/diffs.py)."""
    if change.whole or (len(change.old) <= SHORT_VALUE and len(change.new) <= SHORT_VALUE):
        return format_html("{}：{} → {}", change.label, change.old or "（空）", change.new or "（空）")
    parts = [
        format_html("<{tag}>{}</{tag}>", segment.text, tag="del" if segment.op == "delete" else "ins")
        if segment.op in ("delete", "insert")
        else format_html("{}", segment.text)
        for segment in change.segments
    ]
    return format_html("{}：{}", change.label, format_html_join("", "{}", ((part,) for part in parts)))


def _ensure_version_field(fieldsets):
    """The fieldsets with the hidden version appended to the last one, unless already there."""
    fieldsets = list(fieldsets)
    if not fieldsets or VERSION_FIELD in flatten_fieldsets(fieldsets):
        return fieldsets
    name, options = fieldsets[-1]
    fieldsets[-1] = (name, {**options, "fields": [*options.get("fields", ()), VERSION_FIELD]})
    return fieldsets


def _in_transaction(model):
    return transaction.get_connection(router.db_for_write(model)).in_atomic_block


class StaleEditAdmin:
    """For ModelAdmins whose form is a StaleEditCheck."""

    form = StaleEditCheck

    def get_fieldsets(self, request, obj=None):
        return _ensure_version_field(super().get_fieldsets(request, obj))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """A refused save: the refusal at the top of the page, where the editor looks first (it is also
        beside the form or inline row it is about), and the page's headings as the row is saved, never
        with the refused values the form still holds."""
        forms_ = [context["adminform"].form]
        for formset in context["inline_admin_formsets"]:
            forms_.extend(formset.formset.forms)
        for form in forms_:
            for error in form.non_field_errors().as_data():
                if error.code == "stale":
                    messages.error(request, error.messages[0])
        if obj is not None and obj.pk is not None and context["adminform"].form.errors:
            saved = self.model._default_manager.filter(pk=obj.pk).first()
            if saved is not None:
                context["original"] = saved
                context["subtitle"] = str(saved)
        for formset in context["inline_admin_formsets"]:
            for inline_form in formset:
                original = getattr(inline_form, "original", None)
                if original is not None and original.pk is not None and inline_form.form.errors:
                    inline_form.original = type(original)._default_manager.filter(pk=original.pk).first() or original
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_object(self, request, object_id, from_field=None):
        """On a POST inside the change view's transaction, the row is locked (one more query).

        The lock reads the row alone, by its key, from the model's plain manager: the admin's queryset
        is shaped for the list (a count of linked rows is a GROUP BY, which PostgreSQL cannot lock),
        and the row has already passed it above."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST" and _in_transaction(self.model):
            obj = self.model._base_manager.select_for_update().filter(pk=obj.pk).first()
        return obj


class StaleEditInline:
    """For inlines whose form is a StaleEditCheck: each row carries its own opened version."""

    form = StaleEditCheck

    def get_fieldsets(self, request, obj=None):
        return _ensure_version_field(super().get_fieldsets(request, obj))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.method == "POST" and _in_transaction(self.model):
            queryset = queryset.select_for_update(of=("self",))
        return queryset
