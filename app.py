"""The Chalice application: one Blueprint per module, the http middleware, CORS preflight routes,
and (in later modules) the event handlers. No logic and no SQL here."""
from chalice import Chalice, Response

from chalicelib.auth.routes import bp as auth_routes
from chalicelib.business.routes import bp as business_routes
from chalicelib.core import http, security
from chalicelib.system.routes import bp as system_routes

app = Chalice(app_name="booking")
app.register_middleware(http.middleware, "http")
app.register_blueprint(security.auth_blueprint)
for blueprint in (auth_routes, business_routes, system_routes):
    app.register_blueprint(blueprint)


def preflight(**_path: str) -> Response:
    """CORS preflight: the middleware adds the headers (the allowed origin is a setting)."""
    return Response(body="", status_code=204)


for _path in list(app.routes):
    app.route(_path, methods=["OPTIONS"], name=f"preflight{_path}")(preflight)
