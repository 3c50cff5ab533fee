"""The Chalice application: one Blueprint per module, the http middleware, CORS preflight routes, the
readers of events (notifications, Google Calendar sync), and the event handlers (the outbox's queue
consumer and the schedules). No logic and no SQL here."""
from chalice import Chalice, Rate, Response
from chalice.app import CloudWatchEvent, SQSEvent

from chalicelib.admin.routes import bp as admin_routes
from chalicelib.admin.tenant_routes import bp as tenant_routes
from chalicelib.appointments.routes import bp as appointment_routes
from chalicelib.auth.routes import bp as auth_routes
from chalicelib.availability.routes import bp as availability_routes
from chalicelib.booking.routes import bp as booking_routes
from chalicelib.billing.routes import bp as billing_routes
from chalicelib.billing.subscription_routes import bp as subscription_routes
from chalicelib.business.routes import bp as business_routes
from chalicelib.calendar import reader as calendar_reader
from chalicelib.calendar.busy_routes import bp as calendar_busy_routes
from chalicelib.calendar.routes import bp as calendar_routes
from chalicelib.core import http, log, security
from chalicelib.core.settings import settings
from chalicelib.customers.routes import bp as customer_routes
from chalicelib.events import jobs as event_jobs
from chalicelib.events import readers
from chalicelib.locations.routes import bp as location_routes
from chalicelib.notifications import jobs
from chalicelib.notifications import reader as notification_reader
from chalicelib.notifications.log_routes import bp as notification_log_routes
from chalicelib.notifications.routes import bp as notification_routes
from chalicelib.services.routes import bp as service_routes
from chalicelib.staff.routes import bp as staff_routes
from chalicelib.system import deploy_migrations, retention
from chalicelib.system.routes import bp as system_routes

app = Chalice(app_name="booking")
log.redact_records(app.log)
app.register_middleware(http.middleware, "http")
app.register_blueprint(security.auth_blueprint)
for blueprint in (auth_routes, business_routes, location_routes, service_routes, staff_routes, availability_routes,
                  customer_routes, appointment_routes, booking_routes, notification_routes, notification_log_routes,
                  billing_routes, subscription_routes, calendar_routes, calendar_busy_routes, admin_routes, tenant_routes,
                  system_routes):
    app.register_blueprint(blueprint)
# Who reads the outbox's events; each keeps its own delivery state (chalicelib/events/readers.py).
readers.subscribe(notification_reader.READER)
readers.subscribe(calendar_reader.READER)


def preflight(**_path: str) -> Response:
    """CORS preflight: the middleware adds the headers (the allowed origin is a setting)."""
    return Response(body="", status_code=204)


for _path in list(app.routes):
    app.route(_path, methods=["OPTIONS"], name=f"preflight{_path}")(preflight)


# One message at a time: Chalice cannot report a partial batch failure, so a batch of several
# would be retried whole, messages already delivered included.
@app.on_sqs_message(queue=settings().notifications_queue or "booking-local-notifications.fifo", batch_size=1)
def notification_worker(event: SQSEvent) -> None:
    for record in event:
        event_jobs.deliver(record.body)


@app.schedule(Rate(1, unit=Rate.MINUTES))
def outbox_sweep(event: CloudWatchEvent) -> None:
    event_jobs.sweep()


@app.schedule(Rate(5, unit=Rate.MINUTES))
def reminder_sweep(event: CloudWatchEvent) -> None:
    jobs.sweep_reminders()


# Daily: rows past their retention period, deleted in short batches within a time budget.
@app.schedule(Rate(1, unit=Rate.DAYS))
def retention_sweep(event: CloudWatchEvent) -> None:
    retention.sweep()


# Daily: trials ending and ended, businesses past due beyond the grace period (a webhook lost), usage
# reported to Stripe's meters. Imported when it runs: no API request needs billing's jobs.
@app.schedule(Rate(1, unit=Rate.DAYS))
def billing_sweep(event: CloudWatchEvent) -> None:
    from chalicelib.billing import jobs as billing_jobs

    billing_jobs.daily()


# Every 15 minutes: each Google Calendar connection synced (push is not fully reliable), push channels
# renewed before they expire, booking events Google refused retried. Imported when it runs.
@app.schedule(Rate(15, unit=Rate.MINUTES))
def calendar_sync(event: CloudWatchEvent) -> None:
    from chalicelib.calendar import jobs as calendar_jobs

    calendar_jobs.every_15_minutes()


# Called by the deploy (a CloudFormation custom resource, infra/booking_infra/app_stack.py), never by a
# request: applies pending migrations as the schema owner before the deploy finishes.
@app.lambda_function(name="migrate")
def migrate(event: dict, context: object) -> dict:
    return deploy_migrations.on_deploy(event)
