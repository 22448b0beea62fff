/**
 * Command-line flags the way the Go tools we stand in for read them (spf13/pflag, used by docker,
 * compose and kubectl): `--name value`, `--name=value`, `-n value`, `-nvalue`, grouped booleans
 * (`-it`), `--` ends flags. Flags are declared per command; anything else is an unknown flag.
 */
export interface FlagSpec {
  /** Long name without dashes → whether it takes a value. */
  long: Record<string, boolean>;
  /** Short letter → long name. */
  short?: Record<string, string>;
  /** Stop at the first positional argument (docker run IMAGE COMMAND..., docker compose SUBCOMMAND). */
  stopAtPositional?: boolean;
}

export interface ParsedFlags {
  values: Map<string, string[]>;
  positionals: string[];
  has(name: string): boolean;
  last(name: string): string | undefined;
  all(name: string): string[];
}

export class FlagError extends Error {}

export function parseFlags(argv: readonly string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const add = (name: string, value: string) => values.set(name, [...(values.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, ...inline] = arg.slice(2).split('=');
      const takesValue = spec.long[name!];
      if (takesValue === undefined) throw new FlagError(`unknown flag: --${name}`);
      if (!takesValue) {
        add(name!, inline.length ? inline.join('=') : 'true');
        continue;
      }
      if (inline.length) add(name!, inline.join('='));
      else if (i + 1 < argv.length) add(name!, argv[++i]!);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const name = spec.short?.[letter];
        if (!name) throw new FlagError(`unknown shorthand flag: '${letter}' in ${arg}`);
        if (!spec.long[name]) {
          add(name, 'true');
          continue;
        }
        const rest = arg.slice(j + 1).replace(/^=/, '');
        if (rest) add(name, rest);
        else if (i + 1 < argv.length) add(name, argv[++i]!);
        else throw new FlagError(`flag needs an argument: '${letter}' in -${letter}`);
        break;
      }
      continue;
    }
    positionals.push(arg);
    if (spec.stopAtPositional) {
      positionals.push(...argv.slice(i + 1));
      break;
    }
  }
  return {
    values,
    positionals,
    has: (name) => values.has(name) && values.get(name)!.at(-1) !== 'false',
    last: (name) => values.get(name)?.at(-1),
    all: (name) => values.get(name) ?? [],
  };
}
