import type { ReactNode } from "react";

/** What a list shows when it has nothing yet, with the action that fills it. */
export function EmptyState({ title, children, action }: { title: ReactNode; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <h2>{title}</h2>
      {children && <p className="muted">{children}</p>}
      {action && <div className="placeholder-actions">{action}</div>}
    </div>
  );
}
