/**
 * The runner's secret masker (actions/runner `SecretMasker` with the value encoders `HostContext`
 * registers): a secret is masked as itself and as each encoding a tool might print it in (base64 at
 * three byte offsets, JSON, URI and XML escapes, shell and expression quoting); every occurrence,
 * overlapping or adjacent ones merged, becomes `***`. Lines are masked when they are written, so a
 * value masked later does not change lines already written — as on GitHub.
 */
export class SecretMasker {
  private readonly originals = new Set<string>();
  private readonly values = new Set<string>();

  /** Masks `value` and, as the runner does for secrets and `add-mask`, each of its trimmed lines. */
  addSecret(value: string): void {
    this.addValue(value);
    for (const line of value.split(/[\r\n]/)) {
      const trimmed = line.trim();
      if (trimmed !== '') this.addValue(trimmed);
    }
  }

  /** `SecretMasker.AddValue`: the value and its encodings. */
  addValue(value: string): void {
    if (value === '' || this.originals.has(value)) return;
    this.originals.add(value);
    this.values.add(value);
    for (const encode of ENCODERS) {
      const encoded = encode(value);
      if (encoded !== '') this.values.add(encoded);
    }
  }

  /** The values given to `addSecret`/`addValue`, in the order first added. */
  get secrets(): string[] {
    return [...this.originals];
  }

  mask(input: string): string {
    if (input === '' || this.values.size === 0) return input;
    const ranges: [start: number, end: number][] = [];
    for (const value of this.values) {
      for (let at = input.indexOf(value); at >= 0; at = input.indexOf(value, at + 1)) {
        ranges.push([at, at + value.length]);
      }
    }
    if (ranges.length === 0) return input;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let written = 0;
    let current = ranges[0]!;
    for (const range of ranges.slice(1)) {
      if (range[0] <= current[1]) current = [current[0], Math.max(current[1], range[1])];
      else {
        out += `${input.slice(written, current[0])}***`;
        written = current[1];
        current = range;
      }
    }
    return `${out}${input.slice(written, current[0])}***${input.slice(current[1])}`;
  }
}

type Encoder = (value: string) => string;

const base64 = (bytes: Buffer) => bytes.toString('base64');
const base64Shifted =
  (shift: number): Encoder =>
  (value) => {
    const bytes = Buffer.from(value, 'utf8');
    return base64(bytes.length > shift ? bytes.subarray(shift) : bytes);
  };

function ampersandSection(value: string, before: boolean): string {
  if (!value.includes('&')) return '';
  const plus = value.indexOf('&+');
  let section: string;
  if (before) section = plus >= 0 ? value.slice(0, plus + 2) : value.slice(0, value.lastIndexOf('&') + 1);
  else if (plus >= 0) section = value.length > plus + 3 ? value.slice(plus + 3) : '';
  else section = value.slice(value.lastIndexOf('&') + 1);
  return section.length >= 6 ? section : '';
}

const ENCODERS: readonly Encoder[] = [
  (value) => base64(Buffer.from(value, 'utf8')),
  base64Shifted(1),
  base64Shifted(2),
  (value) => value.replaceAll('"', '\\"'),
  (value) => value.replaceAll("'", "''"),
  (value) => JSON.stringify(value).slice(1, -1),
  // Uri.EscapeDataString keeps only RFC 3986 unreserved characters.
  (value) =>
    encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  (value) =>
    value
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replaceAll('"', '&quot;')
      .replaceAll("'", '&apos;'),
  (value) => (value.length > 8 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : ''),
  (value) => ampersandSection(value, true),
  (value) => ampersandSection(value, false),
];

/** Masks `text` with `values` (each as `addSecret` would), e.g. for text written outside a step. */
export function applyMasks(text: string, values: readonly string[]): string {
  const masker = new SecretMasker();
  for (const value of values) if (value.trim() !== '') masker.addSecret(value);
  return masker.mask(text);
}
