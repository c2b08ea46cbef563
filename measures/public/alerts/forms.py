"""The sign-up form: an address and how often to write. What is followed travels beside it in the
follow link's parameters (targets.from_params)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.domain.subscriptions import Subscription

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on an address in an SMTP command


class AddressField(forms.EmailField):
    def run_validators(self, value):
        # A very long value is only "too long": not also "malformed", which it may well be as well.
        if value and len(value) > MAX_EMAIL_LENGTH:
            raise forms.ValidationError(self.error_messages["max_length"], code="max_length")
        super().run_validators(value)


class FollowForm(forms.Form):
    email = AddressField(
        label=_("邮箱地址"),
        max_length=MAX_EMAIL_LENGTH,
        error_messages={
            "required": _("请填写邮箱地址。"),
            "invalid": _("邮箱地址的格式不对，请检查，例如 name@example.cn。"),
            "max_length": _("邮箱地址太长：最多254个字符。"),
        },
    )
    frequency = forms.ChoiceField(
        label=_("多久收到一次邮件"),
        choices=Subscription.Frequency.choices,
        initial=Subscription.Frequency.INSTANT,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择“即时”或“每日汇总”。"),
            "invalid_choice": _("请选择“即时”或“每日汇总”。"),
        },
    )

    # 申报提醒: offered where the target follows awards (targets.WITH_REMINDERS); ignored elsewhere.
    reminders = forms.BooleanField(label=_("申报提醒"), required=False)

    def clean_email(self):
        # Addresses are compared and kept in lower case: Name@Example.cn and name@example.cn are one
        # subscriber (no mail service here tells them apart).
        return self.cleaned_data["email"].strip().lower()

    def error_list(self) -> list[str]:
        return [str(message) for messages in self.errors.values() for message in messages]
