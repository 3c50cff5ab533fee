// "/services/:serviceId" ("new": create): every field of a service, who performs it (each with an
// own duration and price if they differ), and archiving. Saving sends a PATCH with the `version` the
// form was loaded at (someone else's change in between is a 409 "reload"), then the performer set
// (PUT) when it changed.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { CheckField } from "../../../components/ui/check-field";
import { ConfirmDialog } from "../../../components/ui/confirm";
import { Field } from "../../../components/ui/field";
import { PageHeader } from "../../../components/ui/page-header";
import { RecordLoader } from "../../../components/ui/record-loader";
import { SaveBar } from "../../../components/ui/save-bar";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import { ApiError, type Schemas } from "../../../lib/api-client";
import { formatMinutes, roleAtLeast } from "../../../lib/format";
import { applyApiError } from "../../../lib/forms";
import { useMe } from "../../../lib/session";
import { useStaffList, type StaffMember } from "../../staff/api/staff";
import { serviceKey, useService, useServices, useServiceWrites, type Service } from "../api/services";
import {
  performerChoices,
  performersBody,
  performersChanged,
  SERVICE_FIELDS,
  serviceBody,
  serviceChanged,
  serviceFieldOf,
  serviceValues,
  type ServiceValues,
} from "./service-values";
import "./services.css";

export function ServiceEditor({ serviceId }: { serviceId: string }) {
  return serviceId === "new" ? <LoadedEditor service={null} reload={null} /> : <ExistingService serviceId={serviceId} />;
}

function ExistingService({ serviceId }: { serviceId: string }) {
  const query = useService(serviceId);
  return (
    <RecordLoader
      query={query}
      loading="Loading the service…"
      failure="We couldn't load this service."
      title="Service"
      back={{ to: "/services", label: "Back to services" }}
    >
      {(service, reload) => <LoadedEditor service={service} reload={reload} />}
    </RecordLoader>
  );
}

/** Waits for what the form needs besides the service: the staff to choose from and the business. */
function LoadedEditor({ service, reload }: { service: Service | null; reload: (() => Promise<Service | undefined>) | null }) {
  const me = useMe();
  const staff = useStaffList({ includeInactive: true });
  const categories = useServices({ includeArchived: true });
  if (me.isPending || staff.isPending) return <Loading label="Loading…" />;
  if (me.isError || staff.isError) {
    return (
      <div className="page">
        <PageHeader title={service?.name ?? "New service"} />
        <Alert tone="error" title="We couldn't load the staff list.">{(me.error ?? staff.error)?.message}</Alert>
      </div>
    );
  }
  const known = [...new Set((categories.data ?? []).map((s) => s.category).filter((c): c is string => Boolean(c)))].sort();
  return (
    <ServiceForm
      service={service}
      reload={reload}
      staff={staff.data}
      categories={known}
      currency={me.data.business.currency}
      policy={me.data.business.booking_policy}
      canEdit={roleAtLeast(me.data.role, "admin")}
    />
  );
}

function ServiceForm({
  service,
  reload,
  staff,
  categories,
  currency,
  policy,
  canEdit,
}: {
  service: Service | null;
  reload: (() => Promise<Service | undefined>) | null;
  staff: StaffMember[];
  categories: string[];
  currency: string;
  policy: Schemas["BookingPolicyAnswer"];
  canEdit: boolean;
}) {
  const writes = useServiceWrites();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  // The service as last read or saved: its `version` goes with the next PATCH.
  const [base, setBase] = useState(service);
  const [choices, setChoices] = useState(() => performerChoices(staff, service));
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [reloading, setReloading] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [archiving, setArchiving] = useState(false);
  const form = useForm<ServiceValues>({
    mode: "onSubmit",
    reValidateMode: "onChange",
    defaultValues: serviceValues(service, choices),
  });
  const { register, handleSubmit, setError, reset, watch, formState } = form;
  const { errors, isSubmitting } = formState;
  const readOnly = !canEdit || Boolean(base?.archived);
  const fieldNames = [
    ...SERVICE_FIELDS,
    ...choices.flatMap((_m, i) => [`performers.${i}.selected`, `performers.${i}.duration_min`, `performers.${i}.price`]),
  ];

  const invalidate = () => queryClient.invalidateQueries({ queryKey: ["services"] });

  const onSubmit = async (values: ServiceValues) => {
    setFormError(null);
    setStale(false);
    const body = serviceBody(values, currency);
    const { staff: performers, rows } = performersBody(values, currency);
    const placeError = (error: unknown) => {
      if (error instanceof ApiError && error.code === "stale_version") setStale(true);
      else setFormError(applyApiError(error, setError, fieldNames, (f) => serviceFieldOf(f, rows)));
    };
    if (!base) {
      let created: Service;
      try {
        created = await writes.create(body);
      } catch (error) {
        placeError(error);
        return;
      }
      if (performers.length) {
        try {
          await writes.setStaff(created.id, performers);
        } catch (error) {
          // The service exists: open it, so who performs it can be set again from there.
          await invalidate();
          toast(`“${created.name}” was created, but who performs it wasn't saved: ${error instanceof Error ? error.message : ""}`, "info");
          navigate(`/services/${created.id}`, { replace: true });
          return;
        }
      }
      await invalidate();
      toast(`“${created.name}” was created.`);
      navigate("/services");
      return;
    }
    let saved = base;
    try {
      if (serviceChanged(saved, body)) {
        saved = await writes.update(saved.id, { ...body, version: saved.version });
        setBase(saved);
      }
      if (performersChanged(saved, performers)) {
        saved = await writes.setStaff(saved.id, performers);
        setBase(saved);
      }
    } catch (error) {
      placeError(error);
      if (saved !== base) await invalidate();
      return;
    }
    queryClient.setQueryData(serviceKey(saved.id), saved);
    await invalidate();
    reset(serviceValues(saved, choices));
    toast("Changes saved.");
  };

  const reloadService = async () => {
    if (!reload) return;
    setReloading(true);
    try {
      const fresh = await reload();
      if (fresh) {
        const freshChoices = performerChoices(staff, fresh);
        setBase(fresh);
        setChoices(freshChoices);
        reset(serviceValues(fresh, freshChoices));
        setStale(false);
        setFormError(null);
      }
    } finally {
      setReloading(false);
    }
  };

  const archive = async () => {
    if (!base) return;
    setArchiving(true);
    try {
      await writes.archive(base.id);
      await invalidate();
      toast(`“${base.name}” was archived.`);
      navigate("/services");
    } catch (error) {
      setConfirming(false);
      setFormError(error instanceof Error ? error.message : "The service couldn't be archived.");
    } finally {
      setArchiving(false);
    }
  };

  const duration = Number(watch("duration_min"));
  const price = watch("price");
  const useColor = watch("use_color");
  const capacity = Number(watch("capacity"));
  const performerRows = watch("performers");

  return (
    <div className="page service-editor">
      <PageHeader
        title={base ? base.name : "New service"}
        lead={base ? "What customers book, how long it takes, what it costs and who does it." : "Add something customers can book."}
        actions={
          <Link className="btn btn-ghost" to="/services">
            All services
          </Link>
        }
      />
      {base?.archived && (
        <Alert tone="warning" title="This service is archived.">
          It can no longer be booked or changed. Its past appointments keep it.
        </Alert>
      )}
      {!canEdit && !base?.archived && <Alert tone="info">Only the owner and admins can change services.</Alert>}
      {stale && (
        <Alert
          tone="error"
          title="Someone else changed this service while you were editing."
          actions={
            <Button size="sm" busy={reloading} onClick={() => void reloadService()}>
              Reload the service
            </Button>
          }
        >
          Reload to see their changes, then make yours again. Reloading discards what you typed here.
        </Alert>
      )}
      <form className="card service-form" noValidate onSubmit={(e) => void handleSubmit(onSubmit)(e)}>
        <fieldset disabled={readOnly} className="service-fieldset">
          <section className="form-section" aria-labelledby="service-about">
            <div className="form-section-intro">
              <h2 id="service-about">About the service</h2>
              <p className="muted">What customers see on your booking page.</p>
            </div>
            <div className="form-section-fields">
              <Field label="Name" error={errors.name?.message}>
                <input
                  type="text"
                  autoComplete="off"
                  {...register("name", {
                    validate: (v) => v.trim() !== "" || "Give the service a name.",
                    maxLength: { value: 120, message: "Use at most 120 characters." },
                  })}
                />
              </Field>
              <Field label="Description" optional error={errors.description?.message} hint="A sentence or two on what's included.">
                <textarea rows={3} {...register("description", { maxLength: { value: 2000, message: "Use at most 2000 characters." } })} />
              </Field>
              <Field
                label="Category"
                optional
                error={errors.category?.message}
                hint="Services of one category are listed together, here and on your booking page."
              >
                <input
                  type="text"
                  list="service-categories"
                  autoComplete="off"
                  {...register("category", { maxLength: { value: 120, message: "Use at most 120 characters." } })}
                />
              </Field>
              <datalist id="service-categories">
                {categories.map((c) => (
                  <option key={c} value={c} />
                ))}
              </datalist>
              <div className={`field field-check${errors.color ? " has-error" : ""}`}>
                <label className="check-row">
                  <input type="checkbox" {...register("use_color")} />
                  Give it a colour on the calendar
                </label>
                {useColor && (
                  <div className="service-color">
                    <input type="color" aria-label="Colour" aria-invalid={errors.color ? true : undefined} {...register("color")} />
                    <span className="muted" aria-hidden="true">
                      {watch("color")}
                    </span>
                  </div>
                )}
                {errors.color && (
                  <p className="field-error" role="alert">
                    {errors.color.message}
                  </p>
                )}
              </div>
            </div>
          </section>

          <section className="form-section" aria-labelledby="service-time">
            <div className="form-section-intro">
              <h2 id="service-time">Time and price</h2>
              <p className="muted">Prices are in {currency}.</p>
            </div>
            <div className="form-section-fields">
              <div className="grid-2">
                <Field
                  label="Duration (minutes)"
                  error={errors.duration_min?.message}
                  hint={Number.isInteger(duration) && duration > 0 ? formatMinutes(duration) : undefined}
                >
                  <input type="number" inputMode="numeric" min={5} max={1440} step={5} {...register("duration_min", { validate: minutes(5, 1440, true) })} />
                </Field>
                <Field label={`Price (${currency})`} error={errors.price?.message}>
                  <input type="text" inputMode="decimal" autoComplete="off" placeholder="0.00" {...register("price", { validate: money(currency, true) })} />
                </Field>
              </div>
              <div className="grid-2">
                <Field
                  label="Break before (minutes)"
                  optional
                  error={errors.buffer_before_min?.message}
                  hint={`Time kept free before it, to get ready. Empty: your default (${formatMinutes(policy.buffer_before_min)}).`}
                >
                  <input type="number" inputMode="numeric" min={0} max={240} {...register("buffer_before_min", { validate: minutes(0, 240, false) })} />
                </Field>
                <Field
                  label="Break after (minutes)"
                  optional
                  error={errors.buffer_after_min?.message}
                  hint={`Time kept free after it, to tidy up. Empty: your default (${formatMinutes(policy.buffer_after_min)}).`}
                >
                  <input type="number" inputMode="numeric" min={0} max={240} {...register("buffer_after_min", { validate: minutes(0, 240, false) })} />
                </Field>
              </div>
              <Field
                label="Places per appointment"
                error={errors.capacity?.message}
                hint={capacity > 1 ? `A group session: up to ${capacity} customers book the same time.` : "1: one customer at a time. More makes it a group session, like a class."}
              >
                <input type="number" inputMode="numeric" min={1} max={500} {...register("capacity", { validate: minutes(1, 500, true, "Use a whole number from 1 to 500.") })} />
              </Field>
            </div>
          </section>

          <section className="form-section" aria-labelledby="service-booking">
            <div className="form-section-intro">
              <h2 id="service-booking">Booking</h2>
              <p className="muted">How customers can book it.</p>
            </div>
            <div className="form-section-fields">
              <CheckField
                label="Customers can book it online"
                hint="Off: only your team books it, from the calendar."
                error={errors.bookable_online?.message}
                {...register("bookable_online")}
              />
              <CheckField
                label="I confirm each booking myself"
                hint="Online bookings wait in Pending requests until you confirm or decline them."
                error={errors.requires_confirmation?.message}
                {...register("requires_confirmation")}
              />
              <CheckField
                label="Active"
                hint="Off: nobody can book it for now, without archiving it."
                error={errors.active?.message}
                {...register("active")}
              />
            </div>
          </section>

          <section className="form-section" aria-labelledby="service-staff">
            <div className="form-section-intro">
              <h2 id="service-staff">Who performs it</h2>
              <p className="muted">
                Customers can book only the people chosen here. Leave a person's duration or price empty to use the service's own.
              </p>
            </div>
            <div className="form-section-fields">
              {choices.length === 0 ? (
                <p className="muted">
                  You have no staff yet. <Link to="/staff?new=1">Add a staff member</Link>, then come back to choose who performs this service.
                </p>
              ) : (
                <ul className="performer-list" aria-label="Staff">
                  {choices.map((member, i) => {
                    const rowErrors = errors.performers?.[i];
                    const selected = performerRows?.[i]?.selected ?? false;
                    return (
                      <li key={member.id} className="performer">
                        <div className={`field field-check${rowErrors?.selected ? " has-error" : ""}`}>
                          <label className="check-row">
                            <input type="checkbox" aria-invalid={rowErrors?.selected ? true : undefined} {...register(`performers.${i}.selected`)} />
                            {member.name}
                            {!member.active && <span className="badge badge-muted">Inactive</span>}
                          </label>
                          {rowErrors?.selected && (
                            <p className="field-error" role="alert">
                              {rowErrors.selected.message}
                            </p>
                          )}
                        </div>
                        {selected && (
                          <div className="performer-overrides">
                            <Field label={`${member.name}'s duration (minutes)`} optional error={rowErrors?.duration_min?.message}>
                              <input
                                type="number"
                                inputMode="numeric"
                                min={5}
                                max={1440}
                                placeholder={Number.isFinite(duration) ? String(duration) : ""}
                                {...register(`performers.${i}.duration_min`, { validate: minutes(5, 1440, false) })}
                              />
                            </Field>
                            <Field label={`${member.name}'s price (${currency})`} optional error={rowErrors?.price?.message}>
                              <input
                                type="text"
                                inputMode="decimal"
                                autoComplete="off"
                                placeholder={price}
                                {...register(`performers.${i}.price`, { validate: money(currency, false) })}
                              />
                            </Field>
                          </div>
                        )}
                      </li>
                    );
                  })}
                </ul>
              )}
            </div>
          </section>
        </fieldset>
        {formError && (
          <div className="service-form-alert">
            <Alert tone="error">{formError}</Alert>
          </div>
        )}
        {!readOnly && (
          <SaveBar busy={isSubmitting} label={base ? "Save changes" : "Create service"} />
        )}
      </form>
      {base && !readOnly && (
        <section className="card danger-zone" aria-labelledby="service-archive">
          <h2 id="service-archive">Archive this service</h2>
          <p className="muted">Archived services can't be booked or changed. Appointments already made keep them.</p>
          <Button variant="danger-ghost" onClick={() => setConfirming(true)}>
            Archive service
          </Button>
        </section>
      )}
      <ConfirmDialog
        open={confirming}
        title={`Archive “${base?.name ?? ""}”?`}
        confirmLabel="Archive"
        danger
        busy={archiving}
        onConfirm={() => void archive()}
        onClose={() => setConfirming(false)}
      >
        Customers will no longer be able to book it, and it can't be changed afterwards. Existing appointments are kept.
      </ConfirmDialog>
    </div>
  );
}

/** A whole number in [min, max]; empty passes unless required. */
function minutes(min: number, max: number, required: boolean, message = `Use a whole number from ${min} to ${max}.`) {
  return (value: string) => {
    if (value.trim() === "") return required ? "This field is required." : true;
    const n = Number(value);
    return (Number.isInteger(n) && n >= min && n <= max) || message;
  };
}

/** An amount of money of zero or more; empty passes unless required. */
function money(currency: string, required: boolean) {
  return (value: string) => {
    if (value.trim() === "") return required ? "Enter a price (0 for free)." : true;
    const n = Number(value.replace(",", ".").trim());
    return (Number.isFinite(n) && n >= 0) || `Enter an amount in ${currency}, like 45.00.`;
  };
}
