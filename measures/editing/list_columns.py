"""A yes/no column of an admin list, its icon named in Chinese: Django's own says alt="True" or "False",
which a screen reader reads out in English."""

from django.contrib import admin
from django.templatetags.static import static
from django.utils.html import format_html


def yes_no_column(model, field_name: str):
    """For list_display in place of `field_name`: the same icon and heading, sorted by the field."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def column(obj):
        value = getattr(obj, field_name)
        icon = static(f"admin/img/icon-{'yes' if value else 'no'}.svg")
        return format_html('<img src="{}" alt="{}">', icon, "是" if value else "否")

    # The cell's class (field-<name>) stays the field's.
    column.__name__ = field_name
    return column
