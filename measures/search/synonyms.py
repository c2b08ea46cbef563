"""Search's synonym list (近义词): rows of words that mean the same to an applicant (补贴、补助、资助), kept by
editors in the admin with their history. A query holding one word of a row is also searched with the
others (measures/search/widening.py); the clauses and their derived stores are not touched."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from measures.domain.models import Audited, ContentQuerySet
from measures.text.word_lists import join_words, split_words

MAX_SYNONYMS = 8  # words in one row: a query term is searched with at most this many


class SearchSynonym(Audited):
    words = models.CharField(
        "近义词",
        max_length=200,
        unique=True,
        help_text="意思相同、可以互换的词，用顿号（、）分开，如“补贴、补助、资助”。"
        "搜索其中任何一个词，也会搜索其他几个，结果页会说明。",
    )

    objects = ContentQuerySet.as_manager()
    history = HistoricalRecords()

    duplicate_number_message = "已有完全相同的一组近义词。"

    class Meta:
        verbose_name = "搜索近义词"
        verbose_name_plural = "搜索近义词"
        ordering = ["words"]

    def __str__(self):
        return self.words.replace("、", "↔")

    @property
    def word_list(self) -> list[str]:
        return split_words(self.words)

    def clean(self):
        super().clean()
        words = self.word_list
        if len(words) < 2:
            raise ValidationError({"words": "至少填写两个不同的词，用顿号（、）分开。"})
        if len(words) > MAX_SYNONYMS:
            raise ValidationError({"words": f"一组最多 {MAX_SYNONYMS} 个词。"})
        self.words = join_words(words)
