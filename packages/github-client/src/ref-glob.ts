/**
 * Globs over full refs, as `allowed-refs` writes them: `*` matches within one path segment, `**`
 * across segments, `?` one character but `/`; everything else is literal. Matched by walking the
 * pattern once over the set of reachable positions (time: pattern × text), never by building a
 * regular expression, which a long pattern makes too large to compile.
 */
export function globMatches(glob: string, text: string): boolean {
  let reach = new Array<boolean>(text.length + 1).fill(false);
  reach[0] = true;
  for (let p = 0; p < glob.length; p++) {
    const char = glob[p]!;
    const globstar = char === '*' && glob[p + 1] === '*';
    if (globstar) p++;
    const next = new Array<boolean>(text.length + 1).fill(false);
    for (let i = 0; i <= text.length; i++) {
      if (char === '*') {
        const extends_ = i > 0 && next[i - 1]! && (globstar || text[i - 1] !== '/');
        next[i] = reach[i]! || extends_;
      } else if (i > 0 && reach[i - 1]) {
        next[i] = char === '?' ? text[i - 1] !== '/' : text[i - 1] === char;
      }
    }
    reach = next;
  }
  return reach[text.length]!;
}
