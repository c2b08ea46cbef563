from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "政策措施"

    def ready(self):
        from django.db.models.signals import post_migrate
        from simple_history.signals import post_create_historical_record, pre_create_historical_record

        from measures.domain.public_history import record_change, stamp_batch
        from measures.editing.editors import sync_editors_group

        # After every migrate, once Django has created the permissions: keep the editors group
        # holding exactly the content permissions it needs (and nothing on users or groups).
        post_migrate.connect(sync_editors_group, sender=self)
        # Every saved or deleted measure, clause and award: what the public saw of it, and when that changed.
        pre_create_historical_record.connect(stamp_batch, dispatch_uid="measures.domain.public_history.batch")
        post_create_historical_record.connect(record_change, dispatch_uid="measures.domain.public_history")
