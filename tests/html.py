"""Reading pages in tests: fetch one and check its status, cut a part out of it."""


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
