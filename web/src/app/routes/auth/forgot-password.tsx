import { ForgotPassword } from "../../../features/auth/components/forgot-password";

export default function Route() {
  return <ForgotPassword />;
}
