"""The admin's login form, its refusals in plain Chinese (measures/editing/site.py uses it)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _


class EditorLoginForm(AdminAuthenticationForm):
    """The login refusals in plain Chinese (Django's read "请输入一个正确的工作人员账户 用户名 和密码.
    注意他们都是区分大小写的."). Too many refusals lock the login: templates/admin/locked_out.html."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确（区分大小写），或者这不是编辑账号。请重新输入。"),
        "inactive": _("这个账号已停用，请联系管理员。"),
    }
