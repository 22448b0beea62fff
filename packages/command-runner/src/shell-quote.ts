/**
 * The one way a value reaches a generated script: single-quoted, with `'` written as `'\''`.
 * Inside single quotes bash gives no character any meaning, so `$( )`, backticks, `;`, newlines
 * and unicode stay data.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A string, or a bash array of strings. */
export type ShellValue = string | readonly string[];

/**
 * `NAME='value'` (or `NAME=('a' 'b')`) lines for the top of a script; names are checked, values
 * quoted. A value holding `$`, a backtick, a quote or a backslash gets a shellcheck directive
 * above it: shellcheck would read it as code meant to expand, and it is data.
 */
export function shellAssignments(
  values: Record<string, ShellValue>,
  options: { export?: boolean } = {},
): string {
  return Object.entries(values)
    .flatMap(([name, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Not a shell variable name: ${name}`);
      const quoted = typeof value === 'string' ? shellQuote(value) : `(${value.map(shellQuote).join(' ')})`;
      const directive = dataDirective(typeof value === 'string' ? value : value.join(' '));
      return [...(directive ? [directive] : []), `${options.export ? 'export ' : ''}${name}=${quoted}`];
    })
    .join('\n');
}

function dataDirective(text: string): string | undefined {
  const codes = [...(/[$`]/.test(text) ? ['SC2016'] : []), ...(/["'\\]/.test(text) ? ['SC2089'] : [])];
  return codes.length > 0
    ? `# shellcheck disable=${codes.join(',')} # a value: quoted data, never code`
    : undefined;
}

/**
 * A value carried as base64 and decoded on the host: for multi-line user commands and anything
 * that should not even appear quoted in the SSM console's parameter view.
 */
export function base64Decoded(value: string): string {
  return `"$(printf '%s' ${shellQuote(Buffer.from(value, 'utf8').toString('base64'))} | base64 -d)"`;
}
