// Who joins next, and the colour each user has on every card.

const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'] as const;
const PALETTE = ['#6366f1', '#0ea5e9', '#f59e0b', '#10b981', '#ec4899', '#8b5cf6', '#ef4444', '#14b8a6'] as const;

/** The first unused name of the list, then user-9, user-10, ... */
export function nextName(taken: readonly string[]): string {
  const free = PEOPLE.find((name) => !taken.includes(name));
  if (free) return free;
  let n = PEOPLE.length + 1;
  while (taken.includes(`user-${n}`)) n += 1;
  return `user-${n}`;
}

/** The same colour for a userId everywhere: its own card and the tiles others see of it. */
export function colourOf(userId: string): string {
  const index = (PEOPLE as readonly string[]).indexOf(userId);
  if (index >= 0) return PALETTE[index % PALETTE.length] ?? PALETTE[0];
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? PALETTE[0];
}
