// Paging through a list the API answers a page at a time (`next_cursor`): the cursors of the pages
// walked through are kept, so going back needs no cursor from the API and no page kept in memory.
import { useState } from "react";
import { Button } from "./button";

export interface PageCursors {
  /** the cursor of the page shown (null: the first) */
  cursor: string | null;
  onFirst: boolean;
  back: () => void;
  forward: (next: string) => void;
  /** back to the first page (a new filter, a change to the list) */
  reset: () => void;
}

export function usePageCursors(): PageCursors {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    onFirst: cursors.length === 1,
    back: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    forward: (next) => setCursors((c) => [...c, next]),
    reset: () => setCursors([null]),
  };
}

export function Pager({ pages, next, labels = ["Previous", "Next"] }: {
  pages: PageCursors;
  next: string | null | undefined;
  labels?: [string, string];
}) {
  return (
    <div className="card-head row-actions">
      <Button size="sm" disabled={pages.onFirst} onClick={pages.back}>
        {labels[0]}
      </Button>
      <Button size="sm" disabled={!next} onClick={() => next && pages.forward(next)}>
        {labels[1]}
      </Button>
    </div>
  );
}
