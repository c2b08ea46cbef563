"""The read-only JSON API, /api/v1/: a face over the domain (published content only, the award
finder's FilterSet, the search module), with its OpenAPI document at /api/schema/."""
