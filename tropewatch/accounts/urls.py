from django.urls import path

from . import invitation_views, password_reset, setup_views, team_views, views

app_name = "accounts"

urlpatterns = [
    path("setup/", setup_views.setup_view, name="setup"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password-reset/", password_reset.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", password_reset.PasswordResetSentView.as_view(),
         name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", password_reset.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password-reset/done/", password_reset.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("two-factor/", views.two_factor_view, name="two_factor"),
    path("two-factor/recovery/", views.recovery_codes_view, name="recovery"),
    path("two-factor/qr.svg", views.two_factor_qr, name="two_factor_qr"),
    path("invite/<str:token>/", invitation_views.accept_view, name="accept"),
    path("join/<str:token>/", invitation_views.join_view, name="join"),
    path("o/<slug:org_slug>/invitations/", invitation_views.invitations_view,
         name="invitations"),
    path("o/<slug:org_slug>/invitations/bulk/", invitation_views.bulk_invitations_view,
         name="bulk_invitations"),
    path(
        "o/<slug:org_slug>/invitations/<int:invitation_id>/revoke/",
        invitation_views.revoke_invitation_view, name="revoke_invitation",
    ),
    path("o/<slug:org_slug>/signup-links/", invitation_views.signup_links_view,
         name="signup_links"),
    path("o/<slug:org_slug>/signup-links/<int:link_id>/revoke/",
         invitation_views.revoke_signup_link_view, name="revoke_signup_link"),
    path("o/<slug:org_slug>/team/", team_views.team_view, name="team"),
    path("o/<slug:org_slug>/team/<int:membership_id>/role/", team_views.change_role_view,
         name="change_role"),
    path("o/<slug:org_slug>/team/<int:membership_id>/remove/", team_views.remove_view,
         name="remove_member"),
    path("o/<slug:org_slug>/team/<int:membership_id>/second-factor/",
         team_views.reset_second_factor_view, name="reset_second_factor"),
]
