/**
 * Compose's variable interpolation (docs: "Interpolation" in the Compose file reference;
 * compose-spec/compose-go `template`): `$VAR`, `${VAR}`, `${VAR:-default}` (unset or empty),
 * `${VAR-default}` (unset), `${VAR:?err}` / `${VAR?err}` (fail), `${VAR:+alt}` / `${VAR+alt}`,
 * `$$` for a literal `$`. The word after an operator is itself interpolated (nesting). An unset
 * variable becomes '' with Compose's warning. A `$` that starts none of these is an invalid template.
 */
export type Lookup = (name: string) => string | undefined;

/** `template` is what Compose prints after "invalid interpolation format for <path>." */
export class TemplateError extends Error {
  constructor(readonly template: string) {
    super(`Invalid template: ${JSON.stringify(template)}`);
  }
}

const NAME = /^[_a-z][_a-z0-9]*/i;

export function interpolate(
  template: string,
  lookup: Lookup,
  warnUnset: (name: string) => void = () => {},
): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    const named = NAME.exec(template.slice(dollar + 1));
    if (named) {
      out += variable(named[0], lookup, warnUnset);
      i = dollar + 1 + named[0].length;
      continue;
    }
    if (next !== '{') throw new TemplateError(template);
    const close = closingBrace(template, dollar);
    if (close < 0) throw new TemplateError(template);
    out += braced(template.slice(dollar + 2, close), template, lookup, warnUnset);
    i = close + 1;
  }
  return out;
}

/** The `}` closing the `${` at `start`, counting nested `${…}` (compose-go getFirstBraceClosingIndex). */
function closingBrace(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
    if (text.startsWith('${', i)) {
      depth++;
      i++;
    }
  }
  return -1;
}

function braced(body: string, template: string, lookup: Lookup, warnUnset: (name: string) => void): string {
  const named = NAME.exec(body);
  if (!named) throw new TemplateError(template);
  const name = named[0];
  const rest = body.slice(name.length);
  if (rest === '') return variable(name, lookup, warnUnset);
  const operator = /^(:?[-?+])/.exec(rest)?.[1];
  if (!operator) throw new TemplateError(template);
  // compose-go interpolates the word first, so a bad word fails even when it is not used.
  const word = interpolate(rest.slice(operator.length), lookup, warnUnset);
  const value = lookup(name);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (operator) {
    case ':-':
      return nonEmpty ? value : word;
    case '-':
      return set ? value : word;
    case ':?':
      if (!nonEmpty) throw new TemplateError(`required variable ${name} is missing a value: ${word}`);
      return value;
    case '?':
      if (!set) throw new TemplateError(`required variable ${name} is missing a value: ${word}`);
      return value;
    case ':+':
      return nonEmpty ? word : (value ?? '');
    default:
      return set ? word : '';
  }
}

function variable(name: string, lookup: Lookup, warnUnset: (name: string) => void): string {
  const value = lookup(name);
  if (value === undefined) warnUnset(name);
  return value ?? '';
}
