/** Items separated by commas or newlines, trimmed; blanks dropped: how every list input is written. */
export function splitList(value: string): string[] {
  return value
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
