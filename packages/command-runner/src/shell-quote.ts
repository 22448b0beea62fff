/**
 * The one way a value reaches a generated script: single-quoted, with `'` written as `'\''`.
 * Inside single quotes bash gives no character any meaning, so `$( )`, backticks, `;`, newlines
 * and unicode stay data.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `NAME='value'` lines for the top of a script; names are checked, values quoted. */
export function shellAssignments(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not a shell variable name: ${name}`);
      return `${name}=${shellQuote(value)}`;
    })
    .join('\n');
}

/**
 * A value carried as base64 and decoded on the host: for multi-line user commands and anything
 * that should not even appear quoted in the SSM console's parameter view.
 */
export function base64Decoded(value: string): string {
  return `"$(printf '%s' ${shellQuote(Buffer.from(value, 'utf8').toString('base64'))} | base64 -d)"`;
}
