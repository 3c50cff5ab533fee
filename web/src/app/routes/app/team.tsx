import { TeamScreen } from "../../../features/team/components/team";

export default function Route() {
  return <TeamScreen />;
}
