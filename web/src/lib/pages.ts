// The API lists in pages (`next_cursor`); the short lists a screen shows whole (services, staff,
// locations) are read page by page up to a bound.
export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

export async function allPages<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < maxPages; n += 1) {
    const page: Page<T> = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.next_cursor ?? null;
    if (!cursor) break;
  }
  return items;
}
