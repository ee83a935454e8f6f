"""Pages that gather from every app: home (choose a scheme), the staff dashboard, the network view."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from carers import selectors as carer_selectors
from matching import selectors as matching_selectors
from schemes import selectors as scheme_selectors
from schemes.permissions import Role
from schemes.views import SchemeView


@login_required
def home(request):
    memberships = scheme_selectors.memberships_for_user(user=request.user)
    for m in memberships:  # carers go to their portal, staff to the scheme's Today page
        portal = m.role == Role.CARER
        m.entry_url = reverse("portal:home", args=[m.scheme.slug]) if portal else m.scheme.get_absolute_url()
    if len(memberships) == 1 and not request.user.is_network_viewer:
        return redirect(memberships[0].entry_url)
    return render(request, "home.html", {"memberships": memberships})


@login_required
def network(request):
    if not request.user.is_network_viewer:
        raise PermissionDenied("Only network viewers see pooled figures")
    return render(request, "network.html", {"rows": scheme_selectors.network_summary()})


class DashboardView(SchemeView, TemplateView):
    """What needs doing today in this scheme. Each app contributes its own section as it lands."""

    scheme_permission = "view_scheme"
    template_name = "dashboard.html"

    def get_context_data(self, **kwargs):
        membership = self.request.membership
        context = super().get_context_data(**kwargs)
        context["notifications"] = scheme_selectors.unread_notifications(
            user=self.request.user, scheme=self.request.current_scheme
        )
        if membership.has("view_records"):
            context["people_counts"] = scheme_selectors.people_counts_by_status()
            context["carers"] = carer_selectors.dashboard_summary(scheme=self.request.current_scheme)
            context["matching"] = matching_selectors.dashboard_summary(
                scheme=self.request.current_scheme, today=timezone.localdate()
            )
        return context
