"""Date and number formats per interface language (settings.FORMAT_MODULE_PATH): only what differs
from Django's own formats for that language."""
