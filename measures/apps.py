from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "政策措施"

    def ready(self):
        from django.db.models.signals import post_migrate

        from measures.editors import sync_editors_group

        # After every migrate, once Django has created the permissions: keep the editors group
        # holding exactly the content permissions it needs (and nothing on users or groups).
        post_migrate.connect(sync_editors_group, sender=self)
