"""The 报告问题 / 我要提问 form: what the visitor writes, an optional address for the answer, and a
honeypot (a field people never see, that form-filling scripts fill in). What it concerns travels
beside it in the link's parameters (place.place_from_params)."""

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from measures.domain.feedback import MAX_TEXT_LENGTH, Feedback
from measures.public.alerts.forms import MAX_EMAIL_LENGTH, AddressField

HONEYPOT = "website"

NO_NUL = ProhibitNullCharactersValidator(message=_("内容中有无法保存的控制字符（NUL），请删去后再提交。"))


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("您要"),
        choices=Feedback.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“纠错”或“提问”。"), "invalid_choice": _("请选择“纠错”或“提问”。")},
    )
    text = forms.CharField(
        label=_("内容"),
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea,
        validators=[NO_NUL],
        error_messages={
            "required": _("请写下您发现的问题或想问的问题。"),
            "max_length": _("内容太长：最多2000个字，请精简后再提交。"),
        },
    )
    email = AddressField(
        label=_("邮箱地址（选填，用于答复）"),
        max_length=MAX_EMAIL_LENGTH,
        required=False,
        validators=[NO_NUL],
        error_messages={
            "invalid": _("邮箱地址的格式不对，请检查，例如 name@example.cn；不需要答复可以不填。"),
            "max_length": _("邮箱地址太长：最多254个字符。"),
        },
    )
    # Never shown to people (hidden by the stylesheet, skipped by the keyboard and by assistive
    # technology); a script that fills every field fills it, and its message is dropped.
    website = forms.CharField(label=_("请勿填写此项"), required=False)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(self.fields["text"].error_messages["required"], code="required")
        return text

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT, ""))

    def error_list(self) -> list[tuple[str, str]]:
        """(field id, message) for the summary above the form, each linking to its field."""
        return [(f"id_{name}", str(message)) for name, messages in self.errors.items() for message in messages]
