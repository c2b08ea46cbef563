"""The `editors` group: content editors at the bureau.

They may add, change and view the policy content, and delete the parts below a policy (a
mistaken clause or award); they may not delete a policy, and have no permission at all on
users or groups. They see how many people follow what by e-mail, not who. The group is brought
in line after every `migrate` (see apps.py), so a
permission added to a new model reaches the editors without a manual step.
"""

from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "editors"

# model name -> actions the editors get on it
EDITOR_PERMISSIONS = {
    "policy": ("view", "add", "change"),
    "policysource": ("view", "add", "change", "delete"),
    "pillar": ("view", "add", "change", "delete"),
    "measure": ("view", "add", "change", "delete"),
    "clause": ("view", "add", "change", "delete"),
    "award": ("view", "add", "change", "delete"),
    "relateddocument": ("view", "add", "change", "delete"),
    "relateddocumentmeasure": ("view", "add", "change", "delete"),
    # Who can apply and how (measures/domain/eligibility.py): a kind or a department still linked is
    # protected from deletion by the database (PROTECT), so deleting one is safe to allow.
    "recipientkind": ("view", "add", "change", "delete"),
    "awardrecipientkind": ("view", "add", "change", "delete"),
    "department": ("view", "add", "change", "delete"),
    "applicationinfo": ("view", "add", "change", "delete"),
    "applicationdepartment": ("view", "add", "change", "delete"),
    "applicationguide": ("view", "add", "change", "delete"),
    # Search's synonym list (measures/search/synonyms.py): words, not content; a row may simply go.
    "searchsynonym": ("view", "add", "change", "delete"),
    # 政策问答 (measures/domain/questions.py): editors word and answer them; a reviewer publishes them.
    "questionanswer": ("view", "add", "change", "delete"),
    # How many people follow what, never who: the addresses need `view_subscriber_address`, which
    # the group does not have (an administrator gives it to a person, in the user's page).
    "subscription": ("view",),
    # 审核 (measures/editing/review.py): editors submit drafts and read the reviews; deciding (publishing
    # or returning) is the reviewers group's.
    "draftreview": ("view", "add"),
    "reviewevent": ("view",),
    # 纠错 and 提问 (measures/editing/feedback_admin.py): editors take, answer or refuse messages; nobody
    # adds one (visitors do) or deletes one (the figures on /feedback/ count them).
    "feedback": ("view", "change"),
}


def editor_permissions():
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    return Permission.objects.filter(content_type__app_label="measures", codename__in=codenames)


def sync_editors_group(**kwargs):
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(editor_permissions())
    return group
