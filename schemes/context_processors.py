from functools import cache

from .selectors import memberships_for_user, unread_count


def scheme(request):
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    return {
        "current_scheme": getattr(request, "current_scheme", None),
        "membership": membership,
        "scheme_perms": membership.permissions if membership else frozenset(),
        # Evaluated only when a template uses it (the scheme switcher), in one query.
        "my_memberships": (lambda: memberships_for_user(user=user)) if user and user.is_authenticated else (),
        # The bell in the menu: from the cache, so most pages ask the database nothing for it (and once a page).
        "unread_count": cache(lambda: unread_count(user=user, scheme=membership.scheme)) if membership else 0,
    }
