"""The change service: Watch over gRPC, backed by the event stream."""

# The words of `deskbridge watch KIND` → resource kinds ("" is every kind).
KINDS = {
    "tickets": "ticket",
    "comments": "comment",
    "users": "user",
    "groups": "group",
    "companies": "company",
    "locations": "location",
    "help-desks": "help_desk",
    "help-desk-levels": "help_desk_level",
    "articles": "article",
    "article-categories": "article_category",
    "announcements": "announcement",
    "approvals": "approval",
    "internal-notes": "internal_note",
    "time-entries": "time_entry",
    "all": "",
}
