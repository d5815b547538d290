from django.urls import path

from .views import anchor, staff

app_name = "cohorts"

urlpatterns = [
    path("anclas/", anchor.anchor_home, name="anchor_home"),
    path("anclas/cohortes/<int:pk>/", anchor.anchor_cohort, name="anchor_cohort"),
    path("anclas/candidatos/<int:pk>/revision/", anchor.anchor_review, name="anchor_review"),
    path("staff/cohorts/", staff.cohort_list, name="staff_cohorts"),
    path("staff/cohorts/<int:pk>/", staff.cohort_detail, name="staff_cohort"),
    path("staff/cohorts/<int:pk>/<slug:action>/", staff.cohort_action, name="staff_cohort_action"),
    path("staff/candidates/<int:pk>/<slug:action>/", staff.candidate_action, name="staff_candidate_action"),
]
