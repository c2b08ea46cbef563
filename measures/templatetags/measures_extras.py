"""Where Django looks for the public templates' filters ({% load measures_extras %}); they are
measures/public/formatting.py's functions."""

from django import template

from measures.public import formatting

register = template.Library()

FILTERS = (
    "zh_numeral",
    "pillar_numeral",
    "html_lang",
    "web_url",
    "official_url",
    "site_url",
    "zh",
    "zh_runs",
    "kind_name",
    "gloss",
    "amount",
    "zoned_time",
)
for name in FILTERS:
    register.filter(name, getattr(formatting, name))
register.simple_tag(formatting.zh_lang, name="zh_lang")
