import { useState } from "react";
import { Link } from "react-router";
import { Alert } from "../../../components/ui/alert";
import { Button } from "../../../components/ui/button";
import { Dialog } from "../../../components/ui/dialog";
import { Loading } from "../../../components/ui/spinner";
import { useToast } from "../../../components/ui/toast";
import type { Schemas } from "../../../lib/api-client";
import { PLANS_PATH } from "../../billing/lib/words";
import { useNotificationTemplates } from "../api/notifications";
import { audienceLabel, channelLabel, CHANNELS, messageDescription, messageLabel, templateRows } from "../utils/notifications";
import { TemplateEditor, type Sample } from "./template-editor";

/** The wording of each message on each channel, a dialog per template. */
export function TemplatesSection({ canEdit, planAllows, sample }: { canEdit: boolean; planAllows: boolean; sample: Sample }) {
  const templates = useNotificationTemplates();
  const toast = useToast();
  const [openKey, setOpenKey] = useState<string | null>(null);
  const open = templates.data?.items.find((t) => t.key === openKey) ?? null;
  const editable = canEdit && planAllows;
  const notice = !canEdit
    ? "Only admins and owners can change the messages."
    : !planAllows
      ? "Your plan does not include custom message templates. This is the default wording; upgrade your plan to write your own."
      : undefined;

  const cell = (template: Schemas["NotificationTemplate"] | undefined, channel: Schemas["NotificationTemplate"]["channel"]) => {
    if (!template) {
      return (
        <td key={channel} data-label={channelLabel(channel)} className="muted">
          Not sent by {channelLabel(channel)}
        </td>
      );
    }
    const summary = template.channel === "email" ? template.content.subject : `${template.content.name ?? ""} (${template.content.language ?? ""})`;
    return (
      <td key={channel} data-label={channelLabel(channel)}>
        <div className="template-cell">
          <div className="template-line">
            {template.custom ? <span className="badge badge-brand">Custom</span> : <span className="badge badge-muted">Default</span>}
            <Button size="sm" aria-label={`${editable ? "Edit" : "View"} ${messageLabel(template.message)} by ${channelLabel(channel)}`} onClick={() => setOpenKey(template.key)}>
              {editable ? "Edit" : "View"}
            </Button>
          </div>
          <span className="template-summary muted" title={summary}>
            {summary}
          </span>
        </div>
      </td>
    );
  };

  return (
    <section className="card card-flush" aria-labelledby="templates-title">
      <div className="card-head">
        <h2 id="templates-title" className="card-title">
          Message templates
        </h2>
        <p className="muted card-sub">
          {planAllows ? "The wording of each message on each channel: your own, or the default." : "The wording of each message on each channel."}
        </p>
        {!planAllows && (
          <Alert tone="warning" actions={<Link className="btn btn-sm" to={PLANS_PATH}>Compare plans</Link>}>
            Your plan does not include custom message templates. You can read the default wording; upgrade your plan to write your own.
          </Alert>
        )}
      </div>
      {templates.isPending ? (
        <Loading label="Loading the messages…" />
      ) : templates.isError ? (
        <Alert
          tone="error"
          actions={
            <Button size="sm" onClick={() => void templates.refetch()}>
              Try again
            </Button>
          }
        >
          Couldn't load the messages. {templates.error.message}
        </Alert>
      ) : templates.data.items.length === 0 ? (
        <p className="muted empty-line">There are no messages to set up.</p>
      ) : (
        <div className="table-wrap">
          <table className="table template-table">
            <caption className="sr-only">Messages and their wording on each channel</caption>
            <thead>
              <tr>
                <th scope="col">Message</th>
                {CHANNELS.map((c) => (
                  <th key={c} scope="col">
                    {channelLabel(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {templateRows(templates.data.items).map((row) => (
                <tr key={row.message}>
                  <th scope="row" className="template-message">
                    <span className="template-name">{messageLabel(row.message)}</span>
                    <span className="template-about">
                      {audienceLabel(row.audience)}. {messageDescription(row.message)}
                    </span>
                  </th>
                  {CHANNELS.map((c) => cell(row.channels[c], c))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Dialog open={open !== null} title={open ? `${messageLabel(open.message)} · ${channelLabel(open.channel)}` : ""} onClose={() => setOpenKey(null)} wide>
        {open && (
          <TemplateEditor
            key={`${open.key}-${open.version ?? "default"}`}
            template={open}
            readOnly={!editable}
            notice={notice}
            sample={sample}
            onDone={(said) => {
              setOpenKey(null);
              toast(`${messageLabel(open.message)} (${channelLabel(open.channel)}) ${said}`);
            }}
            onReload={() => {
              setOpenKey(null);
              void templates.refetch();
            }}
          />
        )}
      </Dialog>
    </section>
  );
}
