import type { ReactNode } from "react";

/** A customer's page (booking, manage link): the business is the subject, not our product. */
export function CustomerLayout({ children, footer }: { children: ReactNode; footer?: ReactNode }) {
  return (
    <div className="customer-layout">
      <main id="main" className="customer-main" tabIndex={-1}>
        <div className="customer-card">{children}</div>
      </main>
      <footer className="customer-foot">
        {footer ?? (
          <>
            Online booking by <strong>Booking</strong>
          </>
        )}
      </footer>
    </div>
  );
}
