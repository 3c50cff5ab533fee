import { BookingPage } from "../../../features/customer-pages/components/booking-page";

export default function Route() {
  return <BookingPage />;
}
