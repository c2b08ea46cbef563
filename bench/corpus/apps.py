from django.apps import AppConfig


class CorpusConfig(AppConfig):
    """The synthetic library for the benchmarks (`manage.py generate_corpus`): a development-only app,
    which production settings do not install."""

    name = "bench.corpus"
    label = "corpus"
    verbose_name = "合成测试数据"
