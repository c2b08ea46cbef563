"""The words an award is stored in: the values of Award.Limit, Award.Recurrence and Award.Nature.

Declared here, at the bottom layer, because the text readers (which know no models) need them as much as
the domain's choices (measures/domain/models.py), which take their values from here, and the pages; each
word is written once in the code (the migrations keep their own frozen copies)."""

# Award.Limit: a fixed amount, or at most the amount (最高, 不超过, 以内).
EXACT = "exact"
CEILING = "ceiling"

# Award.Recurrence: given once (一次性), every year (每年), or the text does not say.
ONCE = "once"
PER_YEAR = "per_year"
# 未注明: the policy's text does not say (also how an award is delivered, ApplicationInfo.delivery_mode).
UNSPECIFIED = "unspecified"

# Award.Nature: 奖励, 补助 or 支持.
REWARD = "reward"
SUBSIDY = "subsidy"
SUPPORT = "support"
