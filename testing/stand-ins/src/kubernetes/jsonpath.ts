/**
 * kubectl's `-o jsonpath=` templates (docs: "JSONPath Support") as far as reading fields goes:
 * literal text around `{…}` expressions made of `.field`, `.field\.with\.dots`, `['field']`,
 * `[n]` and `[*]`. Several results print space-separated; a missing field prints nothing (kubectl's
 * default `--allow-missing-template-keys`). `range`, filters and functions are refused.
 */
export class JsonPathError extends Error {}

export function renderJsonPath(template: string, data: unknown): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += literalText(template.slice(i, open));
    const close = template.indexOf('}', open);
    if (close < 0) throw new JsonPathError(`unclosed action`);
    const expression = template.slice(open + 1, close).trim();
    out += evaluate(expression, data).map(render).join(' ');
    i = close + 1;
  }
  return out;
}

function literalText(text: string): string {
  return text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function evaluate(expression: string, data: unknown): unknown[] {
  if (/^(range|end|if|else)\b/.test(expression) || /[?()@]/.test(expression)) {
    throw new JsonPathError(`stand-in: the jsonpath expression {${expression}} is not modelled`);
  }
  let rest = expression.replace(/^\$/, '');
  let current: unknown[] = [data];
  while (rest.length) {
    let step: { key: string } | { index: number } | { all: true };
    if (rest.startsWith('.')) {
      const match = /^\.((?:\\.|[^.[\\])*)/.exec(rest)!;
      rest = rest.slice(match[0].length);
      if (match[1] === '') continue;
      step = { key: match[1]!.replace(/\\(.)/g, '$1') };
    } else if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      if (close < 0) throw new JsonPathError(`unterminated array: ${expression}`);
      const inner = rest.slice(1, close).trim();
      rest = rest.slice(close + 1);
      if (inner === '*') step = { all: true };
      else if (/^-?\d+$/.test(inner)) step = { index: Number(inner) };
      else if (/^'.*'$|^".*"$/.test(inner)) step = { key: inner.slice(1, -1) };
      else throw new JsonPathError(`stand-in: the jsonpath subscript [${inner}] is not modelled`);
    } else {
      throw new JsonPathError(`unrecognized character in action: ${expression}`);
    }
    current = current.flatMap((value) => {
      if ('all' in step) {
        if (Array.isArray(value)) return value;
        return value && typeof value === 'object' ? Object.values(value) : [];
      }
      if ('index' in step) {
        if (!Array.isArray(value)) return [];
        const item = value.at(step.index);
        return item === undefined ? [] : [item];
      }
      if (value && typeof value === 'object' && !Array.isArray(value) && step.key in value) {
        return [(value as Record<string, unknown>)[step.key]];
      }
      return [];
    });
  }
  return current;
}
