"""The Chalice application: one Blueprint per module, the http middleware, CORS preflight routes,
and (in later modules) the event handlers. No logic and no SQL here."""
from chalice import Chalice, Response

from chalicelib.appointments.routes import bp as appointment_routes
from chalicelib.auth.routes import bp as auth_routes
from chalicelib.availability.routes import bp as availability_routes
from chalicelib.booking.routes import bp as booking_routes
from chalicelib.business.routes import bp as business_routes
from chalicelib.core import http, security
from chalicelib.customers.routes import bp as customer_routes
from chalicelib.locations.routes import bp as location_routes
from chalicelib.services.routes import bp as service_routes
from chalicelib.staff.routes import bp as staff_routes
from chalicelib.system.routes import bp as system_routes

app = Chalice(app_name="booking")
app.register_middleware(http.middleware, "http")
app.register_blueprint(security.auth_blueprint)
for blueprint in (auth_routes, business_routes, location_routes, service_routes, staff_routes, availability_routes,
                  customer_routes, appointment_routes, booking_routes, system_routes):
    app.register_blueprint(blueprint)


def preflight(**_path: str) -> Response:
    """CORS preflight: the middleware adds the headers (the allowed origin is a setting)."""
    return Response(body="", status_code=204)


for _path in list(app.routes):
    app.route(_path, methods=["OPTIONS"], name=f"preflight{_path}")(preflight)
