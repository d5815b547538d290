from django.urls import path

from .views import account, invitations, participations, privacy, registration, staff

app_name = "suppliers"

urlpatterns = [
    path("registro/", registration.signup, name="signup"),
    path("registro/correo-enviado/", registration.signup_sent, name="signup-sent"),
    path("registro/verificar/<str:token>/", registration.verify_email, name="verify-email"),
    path("registro/empresa/", registration.company, name="company"),
    path("registro/crecimiento/", registration.growth, name="growth"),
    path("registro/mercado/", registration.market, name="market"),
    path("registro/documentos/", registration.finish, name="finish"),
    path("registro/revisar/", registration.review, name="review"),
    path("registro/guardado/", registration.saved, name="saved"),
    path("aviso-de-privacidad/", registration.privacy_notice, name="privacy"),
    path("mi-cuenta/", account.account, name="account"),
    path("mi-cuenta/perfil/", account.profile, name="profile"),
    path("mi-cuenta/aviso-de-privacidad/", account.privacy_accept, name="privacy-accept"),
    path("mi-cuenta/programas/", participations.programs, name="programs"),
    path("mi-cuenta/programas/<int:program_id>/unirse/", participations.program_join, name="program-join"),
    path("mi-cuenta/programa-actual/", participations.participation_switch, name="participation-switch"),
    path("documentos/<int:pk>/", account.document_download, name="document"),
    path("staff/registrations/", staff.registration_list, name="staff-list"),
    path("staff/registrations/<int:pk>/", staff.registration_detail, name="staff-detail"),
    path("staff/invitations/", invitations.invitation_imports, name="staff-invitations"),
    path("staff/invitations/<int:pk>/", invitations.invitation_import_detail, name="staff-invitation-import"),
    path(
        "staff/invitations/<int:pk>/problems.csv", invitations.invitation_import_errors, name="staff-invitation-errors"
    ),
]

# The SME's ARCO pages, under /privacy/ in their own namespace (``privacy:``).
privacy_patterns = (
    [
        path("my-data/", privacy.my_data, name="my-data"),
        path("my-data/export.json", privacy.my_data_export, name="my-data-export"),
        path("my-data/erase/", privacy.my_data_erase, name="my-data-erase"),
    ],
    "privacy",
)
