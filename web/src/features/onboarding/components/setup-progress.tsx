/** "3 of 5 steps done", with a bar. */
export function SetupProgress({ done, total }: { done: number; total: number }) {
  return (
    <div className="setup-progress">
      <p className="setup-progress-text">
        <strong>
          {done} of {total}
        </strong>{" "}
        steps done
      </p>
      <progress max={total} value={done} aria-label={`Setup: ${done} of ${total} steps done`} />
    </div>
  );
}
