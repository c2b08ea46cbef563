"""Admin forms: editors type amounts in 万元, the database keeps whole yuan (see measures/text/money.py)."""

from decimal import Decimal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models

from measures.domain.models import Award
from measures.editing.locking import StaleEditCheck
from measures.text import money

# The largest amount a BigIntegerField holds. Beyond it the database would fail with a 500; an
# amount anywhere near it is almost surely yuan typed into the 万元 box, so the message says so.
MAX_YUAN = models.BigIntegerField.MAX_BIGINT
MAX_WAN = Decimal(MAX_YUAN) / money.YUAN_PER_WAN


class WanAmountField(forms.DecimalField):
    """An amount typed in 万元, cleaned to an int number of yuan: 3000 -> 30_000_000."""

    default_error_messages = {"invalid": "请按万元填写数字，如 3000。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "金额（万元）")
        kwargs.setdefault("help_text", "按万元录入，如“3000万元”填 3000；最多四位小数（精确到元）。")
        # decimal_places only sets the widget's step; the rule itself is money.wan_to_yuan's.
        super().__init__(decimal_places=4, **kwargs)
        # DecimalValidator would run on the cleaned value, which is int yuan, not a Decimal.
        self.validators = [v for v in self.validators if not isinstance(v, validators.DecimalValidator)]

    def prepare_value(self, value):
        # Only the stored value (int yuan) is converted. A typed string is what the editor
        # entered in 万元 and is shown back as is when the form comes back with errors.
        if isinstance(value, int) and not isinstance(value, bool):
            return money.yuan_to_wan(value)
        return value

    def to_python(self, value):
        wan = super().to_python(value)  # Decimal or None; the "invalid" message for anything else
        if wan is None:
            return None
        if wan.is_finite() and wan > MAX_WAN:
            raise ValidationError("金额过大，请检查单位：这里按万元录入。", code="max_value")
        try:
            return money.wan_to_yuan(wan)
        except money.AmountError as error:
            raise ValidationError(str(error), code="invalid") from None

    def validate(self, value):
        # Skip DecimalField.validate: it expects a Decimal, and to_python has checked the number.
        forms.Field.validate(self, value)


class AwardForm(StaleEditCheck):
    # Declared rather than generated, so the model field's label and help text (in yuan) stay out.
    amount_yuan = WanAmountField()

    class Meta:
        model = Award
        fields = (
            "clause",
            "position",
            "amount_yuan",
            "limit",
            "recurrence",
            "per_recipient",
            "nature",
            "recipient",
            "condition",
            "basis",
            "source_phrase",
            "status",
        )
