import { GettingStartedScreen } from "../../../features/onboarding/components/getting-started-screen";

export default function Route() {
  return <GettingStartedScreen />;
}
