"""The mail to a visitor who left an address: the confirmation of a message (its reference number; the
editors' answer is measures/editing/feedback_mail.py's).
Plain text, in the visitor's language, from DEFAULT_FROM_EMAIL; the subject
holds only the site's name and the reference number, never what the visitor typed."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from measures.domain.feedback import Feedback
from measures.public.alerts.mail import SITE_NAME_PREFIX


def _message(item: Feedback, subject: str, template: str, context: dict) -> EmailMessage:
    context = {
        **context,
        "item": item,
        "site_url": settings.SITE_URL,
        "figures_url": settings.SITE_URL + reverse("feedback:figures"),
    }
    prefix = SITE_NAME_PREFIX % {"site": _("厦门科技创新政策库")}
    return EmailMessage(
        subject=f"{prefix}{subject}",
        body=render_to_string(f"feedback/mail/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[item.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def receipt(item: Feedback) -> EmailMessage:
    with translation.override(item.language):
        subject = _("已收到您的留言（编号 %(reference)s）") % {"reference": item.reference}
        return _message(item, subject, "received", {"days": settings.FEEDBACK_DUE_DAYS})
