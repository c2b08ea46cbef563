"""Where Django looks for the public templates' filters ({% load measures_extras %}); they are
measures/public/presentation.py's functions."""

from django import template

from measures.public import presentation

register = template.Library()

for name in ("zh_numeral", "pillar_numeral", "html_lang", "web_url", "site_url", "zh"):
    register.filter(name, getattr(presentation, name))
register.simple_tag(presentation.zh_lang, name="zh_lang")
