"""Load a policy from its JSON file in fixtures/ into the database, idempotently.

Rows are matched by natural keys (policy slug; pillar, measure, source number; clause and award
position), never by database ids. For each row the loader either creates it, leaves it alone
(already equal), updates it (it still holds what the loader wrote last: `updated_by` is empty),
or keeps it (an editor has changed it since: `updated_by` is set) unless `force` is given.
Rows that exist only in the database, such as a measure an editor added, are never touched.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from measures.domain import public_history
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.text import money

# The reasons (变更说明) the loader's saves carry into history.
IMPORT_REASON = "导入政策数据文件"
OVERWRITE_REASON = "按数据文件覆盖编辑修改"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # rows an editor changed, left as the editor left them

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


class PolicyLoader:
    def __init__(self, force: bool = False):
        self.force = force
        self.report = LoadReport()

    def load_file(self, path: Path) -> LoadReport:
        return self.load(json.loads(Path(path).read_text(encoding="utf-8")))

    @transaction.atomic
    @public_history.batched
    def load(self, data: dict) -> LoadReport:
        policy_fields = dict(data["policy"])
        slug = policy_fields.pop("slug")
        for name in ("issue_date", "effective_date"):
            if policy_fields.get(name):
                policy_fields[name] = datetime.date.fromisoformat(policy_fields[name])
        policy = self._sync(Policy, {"slug": slug}, policy_fields)

        for position, source in enumerate(data.get("sources", []), start=1):
            self._sync(PolicySource, {"policy": policy, "position": position}, source)

        pillars = {}
        for pillar in data["pillars"]:
            pillars[pillar["number"]] = self._sync(
                Pillar, {"policy": policy, "number": pillar["number"]}, {"title": pillar["title"]}
            )

        for item in data["measures"]:
            measure = self._sync(
                Measure,
                {"policy": policy, "number": item["number"]},
                {"title": item["title"], "pillar": pillars[item["pillar"]]},
            )
            for position, clause_data in enumerate(item["clauses"], start=1):
                clause_fields = {k: v for k, v in clause_data.items() if k != "awards"}
                # A pending draft of a change shares its clause's position: match the clause itself.
                key = {"measure": measure, "position": position, "draft_of": None}
                clause = self._sync(Clause, key, clause_fields)
                for award_position, award_data in enumerate(clause_data["awards"], start=1):
                    award_fields = dict(award_data)
                    award_fields["amount_yuan"] = money.wan_to_yuan(award_fields.pop("amount_wan"))
                    self._sync(Award, {"clause": clause, "position": award_position}, award_fields)
        return self.report

    def _sync(self, model, key: dict, values: dict):
        obj = model.objects.filter(**key).first()
        if obj is None:
            obj = model(**key, **values)
            obj.full_clean()
            obj._change_reason = IMPORT_REASON  # recorded in the row's history
            obj.save()
            self.report.created += 1
            return obj
        differing = [name for name, value in values.items() if getattr(obj, name) != value]
        if not differing:
            self.report.unchanged += 1
        elif obj.updated_by_id is not None and not self.force:
            self.report.kept.append(
                f"{model._meta.verbose_name}「{obj}」（{obj.updated_by} 于 "
                f"{timezone.localtime(obj.updated_at):%Y-%m-%d %H:%M} 修改：{', '.join(differing)}）"
            )
        else:
            for name in differing:
                setattr(obj, name, values[name])
            obj._change_reason = OVERWRITE_REASON if obj.updated_by_id is not None else IMPORT_REASON
            obj.updated_by = None  # the row holds the file's content again
            obj.full_clean()
            obj.save()
            self.report.updated += 1
        return obj
