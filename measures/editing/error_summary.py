"""The error summary at the top of an admin form that did not save: each field with an error, named and
linked to (Django's says only "请更正以下错误。", and 变更说明 is at the bottom of a long page).

ErrorSummaryAdmin gives the change form's template `error_summary` (templates/admin/change_form.html);
the errors of the form's inline rows are listed too, each under its row's name.
"""

from dataclasses import dataclass

from django.contrib.admin.widgets import FilteredSelectMultiple
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FieldError:
    """What the summary lists: a field (or a row, or the form) and its messages, with the id of the
    element on the page to jump to ('' when there is none: the message is the whole story)."""

    label: str
    messages: list[str]
    anchor: str = ""


def anchor_of(bound_field) -> str:
    """The id of the field's input. Django's two-box selector renames its select to <id>_from."""
    anchor = bound_field.id_for_label or ""
    if anchor and isinstance(bound_field.field.widget, FilteredSelectMultiple):
        return f"{anchor}_from"
    return anchor


def form_field_errors(form, row: str = "") -> list[FieldError]:
    """The errors of one form, field by field in the form's order; `row` names an inline row."""
    found = []
    for bound_field in form:
        if not bound_field.errors:
            continue
        if bound_field.is_hidden:
            # Nothing to jump to (the stale-edit check's version): the message says what to do.
            found.append(FieldError(row or _("整个表单"), list(bound_field.errors)))
            continue
        label = _("%(row)s的%(field)s") % {"row": row, "field": bound_field.label} if row else str(bound_field.label)
        found.append(FieldError(label, list(bound_field.errors), anchor_of(bound_field)))
    return found


def row_name(inline_admin_formset, index: int, form) -> str:
    """An inline row as its heading names it: "条款 第1条第1段" for a saved row, "条款 #2" for a new one."""
    name = str(form.instance) if form.instance.pk is not None else f"#{index + 1}"
    return f"{inline_admin_formset.opts.verbose_name} {name}"


def page_errors(form, inline_admin_formsets) -> list[FieldError]:
    """Every error of a change form and its inline rows, in the order they stand on the page (the
    form's non-field errors first: they are about the whole form, and shown nowhere else)."""
    found = [FieldError(_("整个表单"), list(form.non_field_errors()))] if form.non_field_errors() else []
    found += form_field_errors(form)
    for inline_admin_formset in inline_admin_formsets:
        formset = inline_admin_formset.formset
        if formset.non_form_errors():
            group = str(inline_admin_formset.opts.verbose_name_plural)
            found.append(FieldError(group, list(formset.non_form_errors()), f"{formset.prefix}-group"))
        for index, inline_form in enumerate(formset.forms):
            if not inline_form.errors:
                continue
            row = row_name(inline_admin_formset, index, inline_form)
            if inline_form.non_field_errors():
                found.append(FieldError(row, list(inline_form.non_field_errors()), f"{formset.prefix}-{index}"))
            found += form_field_errors(inline_form, row)
    return found


class ErrorSummaryAdmin:
    """For ModelAdmins: the summary on a change or add page that comes back with errors."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        errors = page_errors(context["adminform"].form, context.get("inline_admin_formsets", []))
        if errors:
            context["error_summary"] = errors
            # The summary replaces Django's note, and shows the form's own errors it would have shown.
            context["errors"] = None
        return super().render_change_form(request, context, add, change, form_url, obj)
