// Placeholder until the screen is moved (owner: see /work/notes/web-plan.md).
export default function Route() {
  return <p>book</p>;
}
