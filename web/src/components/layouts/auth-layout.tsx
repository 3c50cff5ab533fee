import { Suspense } from "react";
import { Outlet, useLocation } from "react-router";
import { Loading } from "../ui/spinner";
import { Brand } from "./brand";

/** Log-in, sign-up and the account e-mails' pages: our product's pitch beside a card. */
export function AuthLayout() {
  const wide = useLocation().pathname === "/signup";
  return (
    <div className="public-layout">
      <aside className="public-aside">
        <div className="public-aside-inner">
          <Brand />
          <div className="public-pitch">
            <p className="pitch-title">Appointments that run themselves.</p>
            <ul className="pitch-list">
              <li>Online booking for salons, clinics and studios</li>
              <li>Reminders, buffers and cancellation rules built in</li>
              <li>Your whole team, each with their own calendar</li>
            </ul>
          </div>
          <p className="public-foot">14-day free trial · no card needed</p>
        </div>
      </aside>
      <main id="main" className="public-main" tabIndex={-1}>
        <div className="public-brand-mobile">
          <Brand />
        </div>
        <div className={`card public-card${wide ? " public-card-wide" : ""}`}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
    </div>
  );
}
