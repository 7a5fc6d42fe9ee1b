"""KnowledgeService: which RPCs change what (the runtime does the rest)."""

from __future__ import annotations

from deskbridge.runtime.dispatch import Dependencies, EventRule
from deskbridge.runtime.servicers import mask_paths, register_routed

EVENTS = {
    "CreateArticle": EventRule("article", "created"),
    "UpdateArticle": EventRule("article", "updated", changed_fields=mask_paths),
    "DeleteArticle": EventRule("article", "deleted"),
    "AddArticleAttachments": EventRule("article", "attachments_changed"),
    "DeleteArticleAttachment": EventRule("article", "attachments_changed"),
    "CreateArticleCategory": EventRule("article_category", "created"),
    "UpdateArticleCategory": EventRule("article_category", "updated", changed_fields=mask_paths),
    "DeleteArticleCategory": EventRule("article_category", "deleted"),
    "CreateAnnouncement": EventRule("announcement", "created"),
    "UpdateAnnouncement": EventRule("announcement", "updated", changed_fields=mask_paths),
    "CloseAnnouncement": EventRule("announcement", "closed", changed_fields=["state"]),
    "AddAnnouncementUpdate": EventRule("announcement", "updated"),
}


def register(server, deps: Dependencies) -> None:
    register_routed(server, deps, "knowledge", EVENTS)
