"""The newsroom's roles: Django groups and the permissions each one holds.

Applied by a data migration and by ``load_demo``; re-applying is harmless.
"""

# Readers' error reports are the standards desk's inbox: whoever handles
# corrections reads them and marks them handled.
ERROR_REPORTS = ["desk.view_errorreport", "desk.change_errorreport"]

# Reporters and editors bring pictures to their stories; only editors delete
# them from the library.
PICTURES = ["pictures.add_picture", "pictures.change_picture", "pictures.view_picture"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    "reporter": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.submit_article",
        "articles.view_section",
        "articles.view_tag",
        "factcheck.view_claim",
        "factcheck.view_source",
        "factcheck.view_sourcerole",
        *PICTURES,
    ],
    "editor": [
        "articles.add_article",
        "articles.change_article",
        "articles.view_article",
        "articles.edit_any_article",
        "articles.view_articlerevision",
        "articles.submit_article",
        "articles.approve_article",
        "factcheck.assign_claim",
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "articles.add_tag",
        "articles.change_tag",
        "articles.view_tag",
        "articles.add_previewlink",
        "articles.change_previewlink",
        "articles.view_previewlink",
        "factcheck.add_claim",
        "factcheck.change_claim",
        "factcheck.view_claim",
        "factcheck.add_source",
        "factcheck.change_source",
        "factcheck.view_source",
        "factcheck.delete_source",
        "factcheck.add_sourcerole",
        "factcheck.change_sourcerole",
        "factcheck.delete_sourcerole",
        "factcheck.view_sourcerole",
        "factcheck.view_claimreview",
        "audit.view_auditentry",
        *ERROR_REPORTS,
        *PICTURES,
        "pictures.delete_picture",
    ],
    "fact-checker": [
        "articles.view_article",
        "articles.view_articlerevision",
        "articles.view_section",
        "articles.view_tag",
        # Claims are reviewed on the desk (``claim_review``), never changed,
        # dismissed or merged in the admin; sources are the editors' registry.
        "factcheck.view_claim",
        "factcheck.review_claim",
        "factcheck.view_source",
        "factcheck.view_sourcerole",
        "factcheck.view_claimreview",
        "factcheck.add_evidence",
        "factcheck.view_evidence",
        *ERROR_REPORTS,
    ],
    "publisher": [
        "articles.view_article",
        "articles.view_articlerevision",
        "articles.view_section",
        "articles.view_tag",
        # A newsroom with one editor still has an ordinary approval: a
        # publisher who did not work on the story.
        "articles.approve_article",
        "articles.publish_article",
        "articles.override_approval_gate",
        "factcheck.view_claim",
        "factcheck.view_source",
        "factcheck.view_sourcerole",
        "factcheck.view_claimreview",
        "audit.view_auditentry",
        *ERROR_REPORTS,
    ],
}


def sync_roles(group_model, permission_model, app_labels=None) -> None:
    """Create the role groups and give each exactly its permissions.

    ``app_labels`` limits the permissions to those apps: an early migration
    runs before a later app's tables (and so its permissions) exist, and the
    later app's own role migration applies the whole table.
    """
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            if app_labels is not None and app_label not in app_labels:
                continue
            wanted.append(
                permission_model.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(wanted)
