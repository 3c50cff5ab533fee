import { DeadLettersScreen } from "../../../features/admin/components/dead-letters-screen";

export default function Route() {
  return <DeadLettersScreen />;
}
