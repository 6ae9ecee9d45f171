"""A tiny, separate Django project: a real OpenID provider (django-oauth-toolkit with OIDC)
that `learnloop/accounts/tests/test_sso.py` starts as a subprocess, with its own SQLite
database and an RSA key generated at test time. Not part of Learnloop."""
