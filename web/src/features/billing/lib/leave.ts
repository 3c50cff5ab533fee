// Leaving the app for Stripe (Checkout, the portal, a hosted invoice): a full navigation to the URL
// the API answered. Apart so that tests replace it (jsdom does not navigate).
export function leaveFor(url: string): void {
  window.location.assign(url);
}
