"""The database session store: refuses a session key that Django never makes, and reconnects once
when the database has dropped the connection kept from an earlier request.

Django's session keys are 32 lowercase letters and digits, but the cookie that carries one is the
visitor's to write, and a quoted cookie value may hold an octal escape: `sessionid="abcdefgh\\000"`
reaches the session store as a key with a NUL in it. The stock store looks every key of eight
characters or more up in the database, and PostgreSQL refuses a NUL in a string with an error: a
500 on every admin page, the login included. Here a key of anything but ASCII letters and digits
is no key at all: the visitor simply has no session, as with an expired one.

Reading the session is the first query of every signed-in request (an editor's admin pages), as the
content revision is of every public one: after a database restart it finds the dead connection,
and opens a fresh one (xmpolicy/faults.py), so the editor's page answers instead of a 503.
"""

from django.contrib.sessions.backends import db

from xmpolicy.faults import reconnecting_once


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and key.isascii() and key.isalnum()

    def load(self):
        return reconnecting_once(super().load)
