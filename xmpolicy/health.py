"""/healthz: is this process able to answer, and can it reach its database?

For a load balancer, an orchestrator or a monitor. 200 {"status": "ok", "database": "ok"} after a
real `SELECT 1`; 503 {"status": "unavailable", "database": "<short reason>"} when that fails. The
reason names the kind of failure only (the driver's message, which names hosts and ports, goes to the
log, once, at WARNING). Never cached (`Cache-Control: no-store`; measures/public/page_cache/middleware.py leaves it
alone), never a cookie or a session, one query.
"""

import logging

from django.db import Error, connection
from django.http import JsonResponse
from django.utils.log import log_response
from django.views.decorators.cache import never_cache

from xmpolicy.faults import is_database_down, reconnecting_once, summary
from xmpolicy.read_only import read_only

logger = logging.getLogger(__name__)


@never_cache
@read_only
def healthz(request):
    try:
        reconnecting_once(_select_one)  # a connection dropped while the database was away is no failure
    except Error as error:  # any database error, InterfaceError included
        kind = "unreachable" if is_database_down(error) else "error"
        response = JsonResponse({"status": "unavailable", "database": f"{kind} ({type(error).__name__})"}, status=503)
        log_response(
            "Health check failed: database %s",
            summary(error),
            response=response,
            request=request,
            logger=logger,
            level="warning",
        )
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def _select_one():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
