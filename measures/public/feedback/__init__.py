"""纠错 and 提问: the form a visitor opens from a measure, a clause or an award, the page that gives the
reference number, the mails to the visitor, and /feedback/'s figures. The messages themselves are the
domain's (measures/domain/feedback.py); the editors' queue is measures/editing/feedback_admin.py."""
