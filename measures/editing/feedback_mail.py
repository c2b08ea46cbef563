"""The editors' answer to a 纠错 or 提问, mailed once to the visitor who left an address (the queue,
feedback_admin.py). Plain text in the visitor's language; the subject holds only the site's name and the
reference number. The confirmation of receipt is the public side's (measures/public/feedback/mail.py)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from measures.domain.feedback import Feedback


def answered(item: Feedback) -> EmailMessage:
    with translation.override(item.language):
        change_url = ""
        if item.change_key and item.measure_id:
            measure = item.measure
            history = reverse("measures:measure_history", args=[measure.policy.slug, measure.number])
            change_url = f"{settings.SITE_URL}{history}#change-{item.change_key}"
        context = {"item": item, "change_url": change_url, "site_url": settings.SITE_URL}
        subject = _("【%(site)s】对您留言的答复（编号 %(reference)s）") % {
            "site": _("厦门科技创新政策库"),
            "reference": item.reference,
        }
        return EmailMessage(
            subject=subject,
            body=render_to_string("feedback/mail/answered.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[item.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
