from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from learnloop.accounts import forms, sso, sso_settings, views

app_name = "accounts"

urlpatterns = [
    path("setup/", views.setup, name="setup"),
    path(
        "login/",
        sso.SignInView.as_view(authentication_form=forms.SignInForm),
        name="login",
    ),
    path("logout/", sso.SignOutView.as_view(), name="logout"),
    path("sso/login/", sso.SSOLoginView.as_view(), name="sso-login"),
    path("sso/callback/", sso.SSOCallbackView.as_view(), name="sso-callback"),
    path("organisation/sso/", sso_settings.sso_settings, name="sso-settings"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=forms.QueuedPasswordResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password-reset-done"),
        ),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path("account/", views.profile, name="profile"),
    path("account/profile/", views.profile_update, name="profile-update"),
    path("organisation/", views.organisation, name="organisation"),
    path("teams/<slug:slug>/rename/", views.team_rename, name="team-rename"),
    path("account/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("people/", views.people, name="people"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/new/", views.team_create, name="team-create"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("teams/<slug:slug>/members/<int:pk>/", views.membership_update, name="membership-update"),
    path(
        "teams/<slug:slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
]
