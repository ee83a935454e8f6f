from django.urls import path

from . import views

app_name = "carers"

urlpatterns = [
    path("become-a-carer/", views.PublicEnquiryView.as_view(), name="public_enquiry"),
    path("become-a-carer/thanks/", views.PublicEnquiryThanksView.as_view(), name="public_enquiry_thanks"),
    path("carers/", views.HouseholdListView.as_view(), name="household_list"),
    path("carers/enquiry/", views.HouseholdCreateView.as_view(), name="household_create"),
    path("carers/compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("carers/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("carers/<int:pk>/record.pdf", views.HouseholdRecordPdfView.as_view(), name="household_record"),
    path("carers/<int:pk>/edit/", views.HouseholdUpdateView.as_view(), name="household_update"),
    path("carers/<int:pk>/members/add/", views.MemberAddView.as_view(), name="member_add"),
    path("carers/<int:pk>/checks/add/", views.CheckAddView.as_view(), name="check_add"),
    path("carers/<int:pk>/advance/", views.HouseholdAdvanceView.as_view(), name="household_advance"),
    path("carers/<int:pk>/end/", views.HouseholdEndView.as_view(), name="household_end"),
    path("carers/<int:pk>/suspend/", views.HouseholdSuspendView.as_view(), name="household_suspend"),
    path("carers/<int:pk>/lift-suspension/", views.HouseholdLiftSuspensionView.as_view(), name="household_lift"),
    path("carers/<int:pk>/review/", views.CarerReviewView.as_view(), name="carer_review"),
    path("carers/<int:pk>/terms/", views.TermsVaryView.as_view(), name="terms_vary"),
    path("carers/<int:pk>/deapproval/", views.DeapprovalReferView.as_view(), name="deapproval_refer"),
    path("checks/<int:pk>/evidence/", views.CheckEvidenceView.as_view(), name="check_evidence"),
    path("members/<int:pk>/invite/", views.MemberInviteView.as_view(), name="member_invite"),
    path("members/<int:pk>/portal-end/", views.MemberAccessEndView.as_view(), name="member_access_end"),
    path("uploads/<int:pk>/evidence/", views.UploadEvidenceView.as_view(), name="upload_evidence"),
    path("uploads/<int:pk>/accept/", views.UploadAcceptView.as_view(), name="upload_accept"),
    path("uploads/<int:pk>/return/", views.UploadReturnView.as_view(), name="upload_return"),
    path("panels/", views.PanelListView.as_view(), name="panel_list"),
    path("panels/add/", views.PanelCreateView.as_view(), name="panel_create"),
    path("panels/<int:pk>/", views.PanelDetailView.as_view(), name="panel_detail"),
    path("panels/<int:pk>/agenda/", views.PanelAgendaAddView.as_view(), name="panel_agenda_add"),
    path("panel-items/<int:pk>/recommend/", views.PanelRecommendView.as_view(), name="panel_recommend"),
    path("panel-items/<int:pk>/decide/", views.PanelDecideView.as_view(), name="panel_decide"),
    path("panel-items/<int:pk>/appeal/", views.PanelAppealView.as_view(), name="panel_appeal"),
]
