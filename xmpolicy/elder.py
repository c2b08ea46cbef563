"""长辈版: the same pages in large print, for readers with presbyopia (issue 17; 《互联网网站适老化通用
设计规范》 and 国办公开办函〔2021〕28号 ask government sites for one, with a visible entry).

A visitor turns it on with the switch in the header of every page (a plain form, as the language
switch: xmpolicy/preferences.py), which keeps a cookie for a year; turning it off removes the cookie,
so a visitor who never chose it sends nothing more than before. Templates read `elder_mode` (the
context processor below): base.html gives <html> the class "elder", which static/css/site.css
enlarges, and the award chart shows its data table first. The page cache and the ETags key on the
mode as they do on the language (measures/public/page_cache/middleware.py); pages already vary on Cookie.
"""

from xmpolicy.preferences import back, forget, remember, submitted, switch_view

COOKIE_NAME = "elder"
ON = "on"


def is_elder(request) -> bool:
    """Whether this visitor chose the 长辈版."""
    return request.COOKIES.get(COOKIE_NAME) == ON


def elder_mode(request) -> dict:
    """Context processor: `elder_mode`, True in the 长辈版."""
    return {"elder_mode": is_elder(request)}


@switch_view
def choose_elder_mode(request):
    """`elder=on` turns the 长辈版 on, `elder=off` off; anything else changes nothing."""
    response = back(request)
    choice = submitted(request).get("elder")
    if choice == ON:
        remember(response, COOKIE_NAME, ON)
    elif choice == "off":
        forget(response, COOKIE_NAME)
    return response
