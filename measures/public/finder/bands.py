"""The award finder's amount bands (band=…): ranges of amounts in 万元, used by its filters and its counts."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from measures.text import money


@dataclass(frozen=True)
class AmountBand:
    """A range of amounts in 万元: low ≤ amount < high (an open end is None)."""

    slug: str
    label: str
    low_wan: int | None
    high_wan: int | None

    @property
    def q(self) -> Q:
        condition = Q()
        if self.low_wan is not None:
            condition &= Q(amount_yuan__gte=money.wan_to_yuan(self.low_wan))
        if self.high_wan is not None:
            condition &= Q(amount_yuan__lt=money.wan_to_yuan(self.high_wan))
        return condition


AMOUNT_BANDS = (
    AmountBand("under-100", _("100万元以下"), None, 100),
    AmountBand("100-500", _("100–500万元"), 100, 500),
    AmountBand("500-1000", _("500–1000万元"), 500, 1000),
    AmountBand("1000-plus", _("1000万元及以上"), 1000, None),
)
BANDS_BY_SLUG = {band.slug: band for band in AMOUNT_BANDS}
