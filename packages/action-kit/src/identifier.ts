/**
 * What the runner must never see in a name, or it could read a line holding the name as a
 * workflow command: a line break or any other control or invisible character (the runner's
 * matching skips some of those), `::` at the start, `##[` anywhere.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/**
 * Why `value` cannot be a name (an environment, a ref, an image tag, an env key, a tag key or
 * value, a check name), or undefined when it can; worded to follow "Input 'x' " or "checks[0].name ".
 */
export function identifierProblem(value: string): string | undefined {
  const invisible = INVISIBLE.exec(value)?.[0];
  if (invisible !== undefined) {
    const code = invisible.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return `must be one line of visible characters, but holds U+${code} (a control or invisible character)`;
  }
  if (value.trimStart().startsWith('::'))
    return "must not start with '::' (the runner would read the line as a workflow command)";
  if (value.includes('##[')) return "must not hold '##[' (the runner would read it as a workflow command)";
  return undefined;
}
