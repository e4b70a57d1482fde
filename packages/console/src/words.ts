/** "1 row", "300 rows": a count with its noun in the number it takes. */
export function countOf(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
