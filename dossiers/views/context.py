"""Template context: the signed-in user's unread notification count for the page header (queried lazily)."""

from django.utils.functional import SimpleLazyObject


def notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # Lazy: pages that do not show the header (PDFs, partials) pay no query.
    from dossiers.notify.inbox import unread_count

    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
