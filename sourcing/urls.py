from django.urls import path

from . import views

app_name = "sourcing"

urlpatterns = [
    path("anclas/colegas/", views.anchor_colleagues, name="anchor_colleagues"),
    path("anclas/oportunidades/", views.anchor_home, name="anchor_home"),
    path("anclas/oportunidades/nueva/", views.anchor_opportunity_new, name="anchor_opportunity_new"),
    path("anclas/oportunidades/<int:pk>/", views.anchor_opportunity, name="anchor_opportunity"),
    path(
        "anclas/oportunidades/<int:pk>/<slug:action>/",
        views.anchor_opportunity_action,
        name="anchor_opportunity_action",
    ),
    path("anclas/invitaciones/<int:pk>/paso/", views.anchor_invitation_step, name="anchor_invitation_step"),
    path("oportunidades/archivos/<int:pk>/", views.attachment_download, name="attachment"),
    path("oportunidades/respuestas/documentos/<int:pk>/", views.response_document, name="response_document"),
    path("mi-cuenta/oportunidades/", views.sme_opportunities, name="sme_opportunities"),
    path("mi-cuenta/oportunidades/<int:pk>/", views.sme_opportunity, name="sme_opportunity"),
    path("staff/sourcing/", views.staff_opportunities, name="staff_opportunities"),
    path("staff/sourcing/nueva/", views.staff_opportunity_new, name="staff_opportunity_new"),
]
