"""Reading pages in tests: fetch one and check its status, cut a part out of it, read the finder's results."""

import re

from measures.public.formatting import amount

TAGS = re.compile(r"<[^>]+>")


def page(client, url, status=200, **environ):
    """The decoded body of GET `url`, after checking the status code."""
    response = client.get(url, **environ)
    assert response.status_code == status, url
    return response.content.decode()


def between(html, start, end):
    """The part of a page from the first `start` to the next `end` (or to the end of the page)."""
    begin = html.index(start)
    stop = html.find(end, begin + len(start))
    return html[begin : stop if stop != -1 else len(html)]


def result_items(html):
    """The finder's results, each as the HTML of its <li>."""
    if '<ol class="finder-results"' not in html:
        return []
    listing = between(html, '<ol class="finder-results"', "</ol>")
    return listing.split('<li class="award-result">')[1:]


def amounts(html):
    """The display text of each result, in the order listed."""
    found = [re.search(r'<strong class="award__amount">(.*?)</strong>', item).group(1) for item in result_items(html)]
    return [text_of(amount) for amount in found]


def text_of(html):
    """What a part of a page reads, without its tags."""
    return TAGS.sub("", html)


def amount_html(display_text):
    """An award's amount as the award cards write it: its figure and unit kept on one line."""
    return f'<strong class="award__amount">{amount(display_text)}</strong>'
