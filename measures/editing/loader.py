"""Load a policy from its JSON file in fixtures/ into the database, idempotently.

Rows are matched by natural keys (policy slug; pillar, measure, source number; clause and award
position), never by database ids. For each row the loader either creates it, leaves it alone
(already equal), updates it (it still holds what the loader wrote last), or keeps it (someone has
changed it since) unless `force` is given. "What the loader wrote last" is read from the row's
history: the newest version the loader recorded (its reasons are LOADER_REASONS), compared field by
field with the row now. Publishing, withdrawing or re-saving a row unchanged does not take it from
the loader; changing a field the file gives does. Rows that exist only in the database, such as a
measure an editor added, are never touched.
"""

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from measures.domain import public_history
from measures.domain.documents import RelatedDocument, RelatedDocumentMeasure
from measures.domain.eligibility import AwardRecipientKind, RecipientKind
from measures.domain.models import Award, Clause, Measure, Pillar, Policy, PolicySource
from measures.search.synonyms import SearchSynonym
from measures.text import money

# The reasons (变更说明) the loader's saves carry into history, by which it knows its own versions.
IMPORT_REASON = "导入政策数据文件"
OVERWRITE_REASON = "按数据文件覆盖编辑修改"
LOADER_REASONS = (IMPORT_REASON, OVERWRITE_REASON)


def _given(item: dict, *names: str) -> dict:
    """The fields of `names` that the file gives for `item`: an optional field it leaves out (an English
    gloss) is left as the editors have it."""
    return {name: item[name] for name in names if name in item}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # rows an editor changed, left as the editor left them


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
                Pillar, {"policy": policy, "number": pillar["number"]}, _given(pillar, "title", "title_en")
            )

        kinds = {}
        for kind in data.get("recipient_kinds", []):
            kind_fields = dict(kind)
            kinds[kind["slug"]] = self._sync(RecipientKind, {"slug": kind_fields.pop("slug")}, kind_fields)

        for row in data.get("search_synonyms", []):
            self._synonyms(row["words"])

        measures = {}
        for item in data["measures"]:
            measure = measures[item["number"]] = self._sync(
                Measure,
                {"policy": policy, "number": item["number"]},
                {**_given(item, "title", "title_en"), "pillar": pillars[item["pillar"]]},
            )
            for position, clause_data in enumerate(item["clauses"], start=1):
                clause_fields = {k: v for k, v in clause_data.items() if k != "awards"}
                # A pending draft of a change shares its clause's position: match the clause itself.
                key = {"measure": measure, "position": position, "draft_of": None}
                clause = self._sync(Clause, key, clause_fields)
                for award_position, award_data in enumerate(clause_data["awards"], start=1):
                    award_fields = dict(award_data)
                    award_fields["amount_yuan"] = money.wan_to_yuan(award_fields.pop("amount_wan"))
                    slugs = award_fields.pop("kinds", [])
                    award = self._sync(Award, {"clause": clause, "position": award_position}, award_fields)
                    for slug in slugs:
                        if slug not in kinds:
                            raise ValueError(
                                f"奖补“{award.source_phrase}”标注的申报主体类别 {slug} 不在 recipient_kinds 中。"
                            )
                        self._link(award, kinds[slug])

        for position, document_data in enumerate(data.get("related_documents", []), start=1):
            document_fields = {k: v for k, v in document_data.items() if k != "measures"}
            if document_fields.get("date"):
                document_fields["date"] = datetime.date.fromisoformat(document_fields["date"])
            document = self._sync(RelatedDocument, {"policy": policy, "position": position}, document_fields)
            for number in document_data.get("measures", []):
                if number not in measures:
                    raise ValueError(f"相关文件《{document.title}》涉及第{number}条措施，但数据文件中没有这条措施。")
                # A link has no content besides its two ends: it is created when missing, never changed.
                self._sync(RelatedDocumentMeasure, {"document": document, "measure": measures[number]}, {})
        return self.report

    def _link(self, award, kind):
        """Tag an award with a kind. A link has no content besides its two ends: it is created when
        missing, unless the loader created it before and it is gone, which means an editor removed it
        (kept so, unless `force`)."""
        key = {"award": award, "kind": kind}
        if AwardRecipientKind.objects.filter(**key).exists():
            self.report.unchanged += 1
            return
        removed = AwardRecipientKind.history.filter(award=award, kind=kind, history_type="-").exists()
        if removed and not self.force:
            self.report.kept.append(f"奖补金额「{award}」的申报主体类别「{kind}」（已由编辑移除）")
            return
        link = AwardRecipientKind(**key)
        link._change_reason = OVERWRITE_REASON if removed else IMPORT_REASON
        link.save()
        self.report.created += 1

    def _synonyms(self, words: str):
        """Add a row of search's synonyms. A row is its words: it is created when missing, unless the
        loader created it before and it has changed or gone since, which means an editor changed it
        (kept so, unless `force`)."""
        if SearchSynonym.objects.filter(words=words).exists():
            self.report.unchanged += 1
            return
        loaded = SearchSynonym.history.filter(words=words, history_change_reason__in=LOADER_REASONS).exists()
        if loaded and not self.force:
            self.report.kept.append(f"搜索近义词「{words}」（已由编辑修改或删除）")
            return
        row = SearchSynonym(words=words)
        row.full_clean()
        row._change_reason = OVERWRITE_REASON if loaded else IMPORT_REASON
        row.save()
        self.report.created += 1

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
        changed_since = self._changed_since_loaded(model, obj, values)
        if not differing:
            self.report.unchanged += 1
        elif changed_since and not self.force:
            who = f"{obj.updated_by} 于 " if obj.updated_by_id else ""
            self.report.kept.append(
                f"{model._meta.verbose_name}「{obj}」（{who}"
                f"{timezone.localtime(obj.updated_at):%Y-%m-%d %H:%M} 修改：{', '.join(changed_since)}）"
            )
        else:
            for name in differing:
                setattr(obj, name, values[name])
            obj._change_reason = OVERWRITE_REASON if changed_since else IMPORT_REASON
            obj.updated_by = None  # the row holds the file's content again
            obj.full_clean()
            obj.save()
            self.report.updated += 1
        return obj

    @staticmethod
    def _changed_since_loaded(model, obj, values: dict) -> list[str]:
        """The fields the file gives that differ from the newest version the loader recorded (all of
        them when it never recorded one: the row is someone else's). One query."""
        loaded = (
            model.history.filter(id=obj.pk, history_change_reason__in=LOADER_REASONS)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if loaded is None:
            return list(values)
        attnames = {name: model._meta.get_field(name).attname for name in values}
        return [name for name, attname in attnames.items() if getattr(loaded, attname) != getattr(obj, attname)]
