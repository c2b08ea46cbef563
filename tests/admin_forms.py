"""Driving the admin as a browser would: read a change form back as the POST it would send, and the
change pages' addresses."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    """Collects the (name, value) pairs a browser would submit from the <form> with the given id."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.pairs = []
        self.textarea = None  # (name, chunks of text)
        self.select = None  # (name, multiple, [[value, selected], ...])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.pairs.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.pairs.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self.textarea = (name, [])
        elif tag == "select" and name:
            self.select = (name, "multiple" in attrs, [])
        elif tag == "option" and self.select:
            self.select[2].append([attrs.get("value", ""), "selected" in attrs])

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            name, chunks = self.textarea
            # Browsers drop the newline that Django writes right after <textarea>.
            self.pairs.append((name, "".join(chunks).removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options = self.select
            chosen = [value for value, selected in options if selected]
            if not chosen and not multiple and options:
                chosen = [options[0][0]]  # a browser submits the first option when none is selected
            self.pairs.extend((name, value) for value in chosen)
            self.select = None


TEST_REASON = "核对原文后修改"


def form_data(response, model_name):
    """The POST data of an admin add/change page as rendered (inline management forms included,
    the inlines' empty template rows left out), ready to edit and post back."""
    assert response.status_code == 200
    reader = _FormReader(f"{model_name}_form")
    reader.feed(response.content.decode())
    values = {}
    for name, value in reader.pairs:
        if "__prefix__" not in name:
            values.setdefault(name, []).append(value)
    assert values, f"no form #{model_name}_form on the page"
    data = {name: found[0] if len(found) == 1 else found for name, found in values.items()}
    if not data.get("change_reason"):
        data["change_reason"] = TEST_REASON  # required on every admin edit (see test_history_admin.py)
    return data


def award_url(award):
    return f"/admin/measures/award/{award.pk}/change/"


def clause_url(clause):
    return f"/admin/measures/clause/{clause.pk}/change/"


def measure_url(measure):
    return f"/admin/measures/measure/{measure.pk}/change/"


def publish_in_admin(client, model_name, *objects, reason=""):
    """Run 发布所选草稿 on these rows as an editor does: the action shows its confirmation page, which is
    posted back (with the publisher's `reason`). Returns the answer to that post, redirects followed."""
    changelist = f"/admin/measures/{model_name}/"
    selected = {"action": "publish_selected_drafts", "_selected_action": [obj.pk for obj in objects]}
    asked = client.post(changelist, selected, follow=True)
    if 'id="publish_form"' not in asked.content.decode():
        return asked  # nothing to publish: the list again, with its message
    data = dict(form_data(asked, "publish"), publisher_reason=reason)
    del data["change_reason"]
    return client.post(changelist, data, follow=True)
