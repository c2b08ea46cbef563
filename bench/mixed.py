"""Mixed load (issue 32): readers and an editors' office at once, on two app instances sharing PostgreSQL
and Redis.

Phase 1, readers alone: 50 clients (wrk, 25 on each instance) over the 28 URLs of bench/load.py laid on
the synthetic corpus, for `seconds`. Phase 2, the same readers for as long while five people work in the
admin of the two instances in turn:

- four editors, each correcting a published award of their own (its 支持对象, with a 变更说明), in a loop:
  open the change form, save, then ask both instances for the measure's public page until it shows the
  new words;
- a reviewer publishing, one at a time through 发布所选草稿 (the change list, the confirmation page, the
  publication), the draft measures of policies imported beforehand (bench/importing.py's text, as the
  admin's 从原文导入 creates its drafts), then asking both instances for the new measure's page.

Why this office: most of an editors' day is corrections to what is public (a word, an amount), which go
public at their save, as in two_instances_rows; new measures come as drafts, from an import or an editor,
and only a reviewer publishes them (an editor never publishes their own draft: measures/editing/review.py),
a selection at a time. Both kinds of write change the content revision every page depends on.

Each save's or publication's delay is measured from its response until the page that shows it answers
with the new words, on the instance that saved and on the other: the save answers only once every worker
has heard of the change (measures/public/page_cache/revision_watch.py), so the delay is the page's own
time under the load.
"""

import html
import math
import threading
import time
from dataclasses import dataclass, field

from bench.admin_client import AdminClient
from bench.harness import Gunicorn, Table, http_get, log, lua_rotation, percentile, wrk
from bench.load import PATHS as LOAD_PATHS
from bench.load import POLICY as LOAD_POLICY
from bench.speed import add_timed

READERS = 50
EDITORS = 4  # and one reviewer: five people in the admin
PASSWORD = "bench-office-password-2025"
VISIBLE_MS = 1000  # every edit on both instances within 1 s of its response
P99_RATIO = 1.5  # the readers' p99 with the editors at work against without, in the same run
VISIBLE_TIMEOUT = 5.0  # an edit not seen after this long is counted as never seen
WARM_SECONDS = 5  # the readers before phase 1, unmeasured: every worker has served every URL
POLL_PAUSE = 0.02  # between two rounds of asking both instances for the edited page
FIRST_IMPORTED_POLICY = 9101  # beyond the corpus and bench/importing.py's policy
CHANGELIST = "/admin/measures/measure/"


@dataclass
class Edit:
    """One save or publication: whether it was accepted, when its page showed it on each instance
    (seconds after the response; None if not within VISIBLE_TIMEOUT), and how many answers asked for
    after the response did not show it yet (the old page, or the 404 of a measure still pending)."""

    kind: str
    accepted: bool
    delays: dict[str, float | None] = field(default_factory=dict)
    stale: int = 0

    @property
    def error(self) -> bool:
        return not self.accepted or any(delay is None for delay in self.delays.values())


def reader_paths(policy_slug: str) -> list[str]:
    """bench/load.py's 28 URLs on the synthetic corpus: its policy replaced by `policy_slug` (whose measures
    1–6 are public, as the real policy's are) and its search words by words of the corpus's vocabulary."""
    from urllib.parse import quote

    from bench.corpus.generate import VOCABULARY

    words = {"中试": VOCABULARY[0], "金砖": VOCABULARY[1], "人才 平台": f"{VOCABULARY[2]} {VOCABULARY[3]}"}
    paths = [path.replace(LOAD_POLICY, f"/policies/{policy_slug}") for path in LOAD_PATHS]
    for real, synthetic in words.items():
        paths = [path.replace(quote(real), quote(synthetic)) for path in paths]
    return paths


def office_accounts() -> tuple[list[str], str]:
    """EDITORS editors and a reviewer, made here as `create_editor` makes them (its groups), with PASSWORD."""
    from django.contrib.auth.models import Group, User

    from measures.editing.editors import EDITORS_GROUP
    from measures.editing.review import REVIEWERS_GROUP

    editors, reviewers = Group.objects.get(name=EDITORS_GROUP), Group.objects.get(name=REVIEWERS_GROUP)
    names = [f"bench-office-editor-{number}" for number in range(1, EDITORS + 1)]
    reviewer = "bench-office-reviewer"
    for name in [*names, reviewer]:
        user, _created = User.objects.get_or_create(username=name, defaults={"is_staff": True})
        user.is_staff = True
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(editors)
        if name == reviewer:
            user.groups.add(reviewers)
    return names, reviewer


def awards_to_correct(policy_slug: str) -> list:
    """One published award for each editor, each in a measure of its own among those the readers read."""
    from measures.domain.models import Award

    chosen, measures = [], set()
    for award in Award.objects.published().filter(listed_policy__slug=policy_slug, listed_measure_number__lte=6):
        if award.listed_measure_number not in measures:
            measures.add(award.listed_measure_number)
            chosen.append(award)
    if len(chosen) < EDITORS:
        raise RuntimeError(f"{policy_slug}: fewer than {EDITORS} of its measures 1–6 have a published award")
    return chosen[:EDITORS]


@dataclass
class Draft:
    pk: int
    path: str  # its public page, once published
    title: str


def import_drafts(seed: int, count: int) -> list[Draft]:
    """At least `count` draft measures: new policies' texts imported as drafts by an editor (not the
    reviewer, who may not publish their own)."""
    from django.contrib.auth.models import Group, User

    from bench.importing import new_policy_text
    from measures.editing import importer
    from measures.editing.editors import EDITORS_GROUP
    from measures.text import document_reader

    importer_user, _created = User.objects.get_or_create(username="bench-office-importer", defaults={"is_staff": True})
    importer_user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    drafts = []
    for index in range(FIRST_IMPORTED_POLICY, FIRST_IMPORTED_POLICY + math.ceil(count / 12)):
        rows, text = new_policy_text(seed, index)
        rows.policy.save()
        for row in (*rows.sources, *rows.pillars):
            row.policy = rows.policy
            row.save()
        plan = importer.plan_import(document_reader.read_policy(text), rows.policy)
        result = importer.apply_plan(plan, user=importer_user, source_url=rows.sources[0].url)
        drafts += [Draft(m.pk, f"/policies/{rows.policy.slug}/measures/{m.number}/", m.title) for m in result.measures]
    return drafts


def visible_after(
    servers: dict[str, Gunicorn], host: str, path: str, words: str, since: float
) -> tuple[dict[str, float | None], int]:
    """Seconds from `since` until each server's `path` (asked for as on the site `host`, as the readers ask)
    answered 200 with `words` in it (None: not within VISIBLE_TIMEOUT), asking the servers in turn; and
    how many answers came without them."""
    needle = html.escape(words, quote=False).encode()
    delays: dict[str, float | None] = dict.fromkeys(servers)
    stale = 0
    while time.monotonic() - since < VISIBLE_TIMEOUT:
        for name, server in servers.items():
            if delays[name] is not None:
                continue
            try:
                status, _headers, body = http_get(server.url(path), {"Host": host}, timeout=VISIBLE_TIMEOUT)
            except OSError:
                continue
            if status == 200 and needle in body:
                delays[name] = time.monotonic() - since
            else:
                stale += 1
        if all(delay is not None for delay in delays.values()):
            break
        time.sleep(POLL_PAUSE)
    return delays, stale


def logged_in(servers: list[Gunicorn], username: str) -> list[AdminClient]:
    """One browser per instance, each logged in (as a person with two tabs open)."""
    clients = []
    for server in servers:
        client = AdminClient(server.url())
        client.log_in(username, PASSWORD)
        clients.append(client)
    return clients


def site_host(servers: list[Gunicorn]) -> str:
    """The site's one name, as the readers' requests give it (lua_rotation's ports): the first instance's."""
    return f"127.0.0.1:{servers[0].port}"


def both(servers: list[Gunicorn], saving: int) -> dict[str, Gunicorn]:
    return {"saving": servers[saving], "other": servers[1 - saving]}


def correct_in_a_loop(clients, servers, award, page, stop: threading.Event, edits: list[Edit]) -> None:
    """An editor's corrections to one published award, on the two instances in turn, until `stop`."""
    path = f"/admin/measures/award/{award.pk}/change/"
    number = 0
    while not stop.is_set():
        number += 1
        saving = number % 2
        recipient = f"{award.recipient}（第{number}次修订）"
        try:
            status = clients[saving].save(
                path, {"recipient": recipient, "change_reason": f"基准测试：第{number}次修订"}
            )
        except OSError as error:
            log(f"correction of award {award.pk} failed: {error}")
            edits.append(Edit("correction", accepted=False))
            continue
        answered = time.monotonic()
        if status != 302:
            log(f"correction of award {award.pk} refused: HTTP {status}")
            edits.append(Edit("correction", accepted=False))
            continue
        edits.append(
            Edit(
                "correction", True, *visible_after(both(servers, saving), site_host(servers), page, recipient, answered)
            )
        )


def publish_in_turn(clients, servers, drafts: list[Draft], stop: threading.Event, edits: list[Edit]) -> None:
    """A reviewer publishing the drafts one at a time through 发布所选草稿, until `stop` or none is left."""
    from measures.editing.actions import CONFIRMED

    for number, draft in enumerate(drafts):
        if stop.is_set():
            return
        saving = number % 2
        client = clients[saving]
        try:
            token = client.form(CHANGELIST)["csrfmiddlewaretoken"]
            selected = {"csrfmiddlewaretoken": token, "action": "publish_selected_drafts", "_selected_action": draft.pk}
            status, _headers, text = client.request("POST", CHANGELIST, selected)
            if status == 200 and 'id="publish_form"' in text:
                confirmed = {**selected, CONFIRMED: "1", "publisher_reason": "基准测试"}
                status, _headers, text = client.request("POST", CHANGELIST, confirmed)
                accepted = status == 302
            else:
                accepted = False
        except (OSError, KeyError) as error:
            log(f"publication of measure {draft.pk} failed: {error!r}")
            accepted = False
        if not accepted:
            log(f"publication of measure {draft.pk} refused: HTTP {status}")
            edits.append(Edit("publication", accepted=False))
            continue
        answered = time.monotonic()
        edits.append(
            Edit(
                "publication",
                True,
                *visible_after(both(servers, saving), site_host(servers), draft.path, draft.title, answered),
            )
        )
    log("the reviewer has published every draft")


def mixed_rows(table: Table, first: Gunicorn, second: Gunicorn, seconds: int, policy_slug: str, seed: int) -> None:
    servers = [first, second]
    paths = reader_paths(policy_slug)
    broken = [
        (server.url(path), status)
        for server in servers
        for path in paths
        if (status := http_get(server.url(path), {"Host": site_host(servers)})[0]) != 200
    ]
    if broken:
        raise RuntimeError(f"readers' URLs not answering 200: {broken}")
    editors, reviewer = office_accounts()
    awards = awards_to_correct(policy_slug)
    log("mixed load: importing the reviewer's drafts")
    # Enough for a publication every 2 s; the reviewer's pace here is slower (changelist, confirmation, publication).
    drafts = import_drafts(seed, count=max(seconds // 2, 1))
    people = [logged_in(servers, name) for name in [*editors, reviewer]]
    script = lua_rotation(paths, [first.port, second.port])

    wrk(first.url("/"), WARM_SECONDS, READERS, threads=2, script=script)  # every worker warm: caches, connections
    log(f"mixed load: {READERS} readers alone for {seconds} s")
    alone = wrk(first.url("/"), seconds, READERS, threads=2, script=script)

    stop, edits = threading.Event(), []
    workers = [
        threading.Thread(
            target=correct_in_a_loop,
            args=(clients, servers, award, f"/policies/{policy_slug}/measures/{award.listed_measure_number}/"),
            kwargs={"stop": stop, "edits": edits},
        )
        for clients, award in zip(people[:EDITORS], awards, strict=True)
    ]
    workers.append(threading.Thread(target=publish_in_turn, args=(people[EDITORS], servers, drafts, stop, edits)))
    log(f"mixed load: {READERS} readers with {EDITORS} editors and a reviewer for {seconds} s")
    for worker in workers:
        worker.start()
    try:
        busy = wrk(first.url("/"), seconds, READERS, threads=2, script=script)
    finally:
        stop.set()
        for worker in workers:
            worker.join()

    for name, result in (("alone", alone), ("with the editors", busy)):
        if result.errors:
            log(f"wrk, readers {name}:\n{result.output}")
        table.add(
            f"mixed load: {READERS} readers {name}, {len(paths)} URLs on both instances: errors",
            f"{result.non_2xx_3xx} + {result.socket_errors} socket",
            "",
            "",
            "0",
            result.errors == 0,
        )
        table.add(
            f"  readers {name}: req/s, p50 / p99",
            f"{result.requests_per_second:.0f} req/s, {result.p50_ms:.1f} / {result.p99_ms:.1f} ms",
            "",
            "",
            "",
            None,
        )
    corrections = sum(edit.kind == "correction" for edit in edits)
    failed = sum(edit.error for edit in edits)
    table.add(
        f"mixed load: edits ({corrections} corrections saved, {len(edits) - corrections} drafts published "
        f"in {seconds} s): refused or never seen",
        failed,
        "",
        "",
        "0",
        failed == 0 and corrections > 0 and len(edits) > corrections,
    )
    seen = {
        where: [e.delays[where] * 1000 for e in edits if e.delays.get(where) is not None] for where in both(servers, 0)
    }
    stale = sum(edit.stale for edit in edits)
    table.add(
        "mixed load: answers asked for after an edit's response that did not show it", stale, "", "", "0", stale == 0
    )
    metric = "mixed load: an edit visible on both instances after its response, max"
    if all(seen.values()):
        slowest = max(max(delays) for delays in seen.values())
        detail = " / ".join(f"{where} p95 {percentile(d, 95):.0f}, max {max(d):.0f} ms" for where, d in seen.items())
        add_timed(table, metric, slowest, VISIBLE_MS, baseline=detail)
    else:
        table.add(metric, "no edit seen", "", "", f"≤ {VISIBLE_MS} ms", False)
    ratio = busy.p99_ms / alone.p99_ms
    table.add(
        "mixed load: readers' p99 with the editors vs alone",
        f"{busy.p99_ms:.1f} ms",
        f"{alone.p99_ms:.1f} ms",
        f"{ratio:.2f}",
        f"≤ {P99_RATIO}",
        ratio <= P99_RATIO,
    )
