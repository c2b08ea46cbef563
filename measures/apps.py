from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "政策措施"

    def ready(self):
        # Imported here, not at the top: Django imports this module before the models are ready.
        from django.db.models.signals import post_migrate, post_save, pre_save
        from simple_history.signals import post_create_historical_record, pre_create_historical_record

        from measures.domain import public_history, upcoming
        from measures.domain.models import rows_recorded
        from measures.domain.review import DraftReview
        from measures.editing.editors import sync_editors_group
        from measures.editing.review import sync_reviewers_group

        # After every migrate, once Django has created the permissions: keep the editors group
        # holding exactly the content permissions it needs (and nothing on users or groups).
        post_migrate.connect(sync_editors_group, sender=self)
        # And the reviewers (审核) group holding the right to publish drafts.
        post_migrate.connect(sync_reviewers_group, sender=self)
        # Every saved, deleted or bulk-written measure, clause and award: what the public saw of it.
        pre_create_historical_record.connect(public_history.stamp_batch, dispatch_uid="public_history.batch")
        post_create_historical_record.connect(public_history.record_change, dispatch_uid="public_history.save")
        rows_recorded.connect(public_history.record_bulk_write, dispatch_uid="public_history.bulk")
        # A publication scheduled or lifted on a published measure shows on its page (已知的后续变化).
        pre_save.connect(upcoming.note_schedule_before, sender=DraftReview, dispatch_uid="upcoming.before")
        post_save.connect(upcoming.count_schedule, sender=DraftReview, dispatch_uid="upcoming.count")
