/**
 * What the invocation log may keep of a command line: everything but secrets. A URL's password,
 * the value of `-e KEY=value` / `--build-arg KEY=value`, and a password given as a flag become `***`.
 */
const VALUE_FLAGS = new Set(['-e', '--env', '--build-arg']);
const SECRET_FLAGS = new Set(['-p', '--password']);

export function redactArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const previous = argv[i - 1];
    if (previous !== undefined && SECRET_FLAGS.has(previous)) out.push('***');
    else if (previous !== undefined && VALUE_FLAGS.has(previous)) out.push(redactAssignment(arg));
    else if (/^(--env|--build-arg)=/.test(arg)) {
      const [flag, ...rest] = arg.split('=');
      out.push(`${flag}=${redactAssignment(rest.join('='))}`);
    } else if (/^--password=/.test(arg)) out.push('--password=***');
    else out.push(redactUrls(arg));
  }
  return out;
}

function redactAssignment(value: string): string {
  const equals = value.indexOf('=');
  return equals < 0 ? value : `${value.slice(0, equals)}=***`;
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`, wherever it appears in a string. */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi, '$1***@');
}
