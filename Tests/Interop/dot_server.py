"""A django-oauth-toolkit (DOT) authorization server for pds-auth's interoperability test.

One file, configured in code: no Django project on disk. On start it makes a fresh
SQLite database in DATA_DIR (migrate --run-syncdb), creates a user and three applications:

- a confidential client, whose secret is generated here and printed once (DOT stores
  only its hash), and a public client (no secret), both for the authorization-code grant
  with redirect URI http://127.0.0.1/callback, consent skipped;
- a public client for the device grant (RFC 8628), polled every second
  (DEVICE_FLOW_INTERVAL 1), whose users approve or deny at /o/device/.

PKCE is required of both and refresh tokens rotate (DOT's defaults, set explicitly so a
change of default cannot weaken the test). A registered http://127.0.0.1 redirect URI
matches any port (RFC 8252 section 7.3, DOT's check_redirect_to_uri_allowed), so the
client's listener may use an ephemeral port.

Then it serves on 127.0.0.1:PORT (0: a free port chosen here) DOT's endpoints under /o/
(authorize/, token/, revoke_token/, device-authorization/, device/), its RFC 8414 metadata
for the issuer http://127.0.0.1:PORT/o at the RFC 8414 section 3.1 address
/.well-known/oauth-authorization-server/o, its RFC 9728 resource metadata at
/.well-known/oauth-protected-resource, GET /api/whoami, a resource that takes a bearer
access token (DOT's ProtectedResourceView: 403 otherwise), and GET /api/whoami-rfc9728, the
same behind DOT's RFC 9728 opt-in (401 with a WWW-Authenticate resource_metadata otherwise),
and prints one line:

    READY {"port": 41234, "django": "5.2.19", "django_oauth_toolkit": "3.4.1",
           "oauthlib": "3.3.1", "confidential": {"client_id": ..., "client_secret": ...},
           "public": {"client_id": ...}, "device": {"client_id": ...}}

and, with --ready-file, writes the same JSON (plus its pid) to that file atomically.
Every request and the answers of the OAuth endpoints are logged to stderr (or --log), for
the test to show when something fails.

It stops (exit 0, within 0.1 s) when --stop-file appears, when DATA_DIR is removed, or
when the --parent-pid process is gone: it cannot outlive a test runner that was killed.

Usage: python dot_server.py --data DIR [--port PORT] [--ready-file F] [--log F]
                            [--stop-file F] [--parent-pid PID] [--rfc9700]
"""

import argparse
import json
import os
import secrets
import socketserver
import sys
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from django.conf import settings

REDIRECT_URI = "http://127.0.0.1/callback"
USERNAME = "interop-user"


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def configure(data_dir, rfc9700, base):
    oauth2_provider = {
        "PKCE_REQUIRED": True,
        "ROTATE_REFRESH_TOKEN": True,
        "ALLOWED_REDIRECT_URI_SCHEMES": ["http"],
        "SCOPES": {"read": "Read", "write": "Write"},
        "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
        # The device grant: where users enter the code, and polls a second apart (DOT's
        # default is 5 s) so the tests stay quick.
        "OAUTH_DEVICE_VERIFICATION_URI": base + "/o/device/",
        "OAUTH_DEVICE_VERIFICATION_URI_COMPLETE": lambda user_code: base + "/o/device/?user_code=" + user_code,
        "DEVICE_FLOW_INTERVAL": 1,
    }
    if rfc9700:
        # The RFC 9700 (OAuth 2.0 Security BCP) gates that DOT plans to turn on by default
        # in 4.0: only S256 for PKCE, the `iss` parameter on the authorization response
        # (RFC 9207), access tokens only in the Authorization header, hashed token storage.
        oauth2_provider.update({
            "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
            "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
            "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
            "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
            "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
            "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
        })
    settings.configure(
        DEBUG=False,
        SECRET_KEY=secrets.token_urlsafe(32),
        ALLOWED_HOSTS=["127.0.0.1"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            __name__ + ".RequestLogMiddleware",
            __name__ + ".SignedInTestUserMiddleware",
        ],
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(data_dir, "dot.sqlite3")}},
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        # Tables straight from the models, as Django's test runner does with MIGRATE=False:
        # 0.2 s instead of 3 s of replaying some 35 migrations (whose data steps only
        # convert rows an empty database does not have).
        MIGRATION_MODULES={"auth": None, "contenttypes": None, "oauth2_provider": None},
        USE_TZ=True,
        # Fast hashing of the client secret: this is a test, not a deployment.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        OAUTH2_PROVIDER=oauth2_provider,
        LOGGING={
            "version": 1,
            "disable_existing_loggers": False,
            "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
            # Why DOT refused something (redirect URI mismatches, PKCE, client auth).
            "loggers": {
                "oauth2_provider": {"handlers": ["stderr"], "level": "DEBUG"},
                "oauthlib": {"handlers": ["stderr"], "level": "DEBUG"},
                "django.request": {"handlers": ["stderr"], "level": "WARNING"},
            },
        },
    )
    django.setup()


class SignedInTestUserMiddleware:
    """Stands in for the person at the browser: every request is made as the test user,
    signed in already, so the authorization endpoint never asks for a password. DOT's
    token and revocation endpoints authenticate the client, not this user, so this
    changes nothing there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.contrib.auth import get_user_model

        request.user = get_user_model().objects.get(username=USERNAME)
        return self.get_response(request)


class RequestLogMiddleware:
    """Logs each request and, for the OAuth endpoints, the answer (the test shows this
    log when an expectation fails; secrets included: they are a test's throwaway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        body = request.body.decode("utf-8", "replace") if request.method == "POST" else ""
        response = self.get_response(request)
        line = f"{request.method} {request.get_full_path()}"
        if body:
            line += f" body={body}"
        line += f" -> {response.status_code}"
        if response.has_header("Location"):
            line += f" Location: {response['Location']}"
        if request.path in ("/o/token/", "/o/revoke_token/", "/o/device-authorization/"):
            line += f" answer={response.content.decode('utf-8', 'replace')}"
        log(line)
        return response


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # RequestLogMiddleware logs what matters
        pass


def create_clients():
    from django.contrib.auth import get_user_model
    from oauth2_provider.models import get_application_model

    user = get_user_model().objects.create_user(USERNAME)
    Application = get_application_model()
    common = {
        "user": user,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": REDIRECT_URI,
        "skip_authorization": True,
    }
    secret = secrets.token_urlsafe(32)
    # client_secret is hashed when saved (hash_client_secret): keep the plain value.
    confidential = Application.objects.create(
        name="pds-auth interop (confidential)", client_type=Application.CLIENT_CONFIDENTIAL,
        client_secret=secret, **common)
    public = Application.objects.create(
        name="pds-auth interop (public)", client_type=Application.CLIENT_PUBLIC, **common)
    device = Application.objects.create(
        name="pds-auth interop (device)", client_type=Application.CLIENT_PUBLIC, user=user,
        authorization_grant_type=Application.GRANT_DEVICE_CODE)
    return {
        "confidential": {"client_id": confidential.client_id, "client_secret": secret},
        "public": {"client_id": public.client_id},
        "device": {"client_id": device.client_id},
    }


def exit_when_told(data_dir, stop_file, parent_pid):
    # A test runner killed with SIGKILL cannot stop its helpers: notice and leave.
    while True:
        if parent_pid is not None and os.getppid() != parent_pid:
            os._exit(0)
        if stop_file is not None and os.path.exists(stop_file):
            os._exit(0)
        if not os.path.isdir(data_dir):
            os._exit(0)
        time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, help="an empty directory for the SQLite database")
    parser.add_argument("--port", type=int, default=0, help="the port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--ready-file", help="write the READY JSON here (atomically) too")
    parser.add_argument("--log", help="log here instead of stderr")
    parser.add_argument("--stop-file", help="exit when this file appears")
    parser.add_argument("--parent-pid", type=int, help="exit when this process is gone")
    parser.add_argument("--rfc9700", action="store_true", help="turn on DOT's RFC 9700 compliance gates")
    arguments = parser.parse_args()
    if arguments.parent_pid is not None and os.getppid() != arguments.parent_pid:
        sys.exit("dot_server: the parent process is gone already")
    threading.Thread(target=exit_when_told, daemon=True,
                     args=(arguments.data, arguments.stop_file, arguments.parent_pid)).start()
    if arguments.log:
        sys.stderr = open(arguments.log, "a", buffering=1, encoding="utf-8")

    # Bound first, so the settings can name the real port (the device verification URI).
    server = make_server("127.0.0.1", arguments.port, lambda environ, start: [],
                         server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}"
    configure(arguments.data, arguments.rfc9700, base)
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from django.urls import include, path

    from django.http import JsonResponse
    from oauth2_provider.views import OAuthProtectedResourceMetadataView, OAuthServerMetadataView
    from oauth2_provider.views.generic import ProtectedResourceView
    from oauth2_provider.views.mixins import ProtectedResourceMetadataMixin

    class WhoAmI(ProtectedResourceView):
        """A resource behind DOT's bearer-token check: 200 and the token's user for a
        valid access token, 403 for any other."""

        def get(self, request):
            return JsonResponse({"username": request.resource_owner.username})

    class WhoAmIRFC9728(ProtectedResourceMetadataMixin, WhoAmI):
        """The same resource with DOT's RFC 9728 opt-in: 401 and a challenge naming the
        resource metadata at the server's root (whose resource is this origin)."""

        resource_metadata_url = base + "/.well-known/oauth-protected-resource"

    global urlpatterns
    urlpatterns = [
        path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
        # RFC 8414 section 3.1: the metadata of the issuer <base>/o at the origin's
        # well-known address with the issuer's path appended, as DOT's docs advise for a
        # prefixed mount; RFC 9728's at the root.
        path(".well-known/oauth-authorization-server/<path:issuer_path>", OAuthServerMetadataView.as_view()),
        path(".well-known/oauth-protected-resource", OAuthProtectedResourceMetadataView.as_view()),
        path("api/whoami", WhoAmI.as_view()),
        path("api/whoami-rfc9728", WhoAmIRFC9728.as_view()),
    ]

    call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
    clients = create_clients()
    server.set_app(get_wsgi_application())
    import oauth2_provider
    import oauthlib
    ready = {"port": port, "django": django.get_version(), "django_oauth_toolkit": oauth2_provider.__version__,
             "oauthlib": oauthlib.__version__, **clients}
    if arguments.ready_file:
        temporary = arguments.ready_file + ".tmp"
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump({"pid": os.getpid(), **ready}, file)
        os.replace(temporary, arguments.ready_file)
    print("READY " + json.dumps(ready), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
