// Published figures count people, and a count of one or two in a small group (a program in one
// kecamatan) comes close to naming them: "the one participant from Rakumpit is now a new
// entrepreneur". Public pages and open data therefore publish a count of 1 or 2 as suppressed
// (null, shown as "< 3"); 0 and 3 or more are published as they are. See docs/open-data.md.
export const smallCellThreshold = 3;

export function suppressSmall(count: number): number | null {
  return count > 0 && count < smallCellThreshold ? null : count;
}

// An amount that belongs to a count (the value of the aid given to `count` businesses) is
// suppressed with it: divided by a small count it tells one business's share.
export function suppressWith(amount: number, count: number): number | null {
  return suppressSmall(count) === null ? null : amount;
}
