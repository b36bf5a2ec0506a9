// Command-line words and flags: `keys create --project prj_1 --name ci --json` -> positionals and flags.

export class UsageError extends Error {}

export interface Parsed {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Flags that never take a value. */
const BOOLEAN = new Set(['json', 'help', 'h', 'include-revoked', 'all', 'all-projects', 'yes']);

export function parseArgs(argv: string[]): Parsed {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2 && a !== '-')) {
      const body = a.replace(/^--?/, '');
      const eq = body.indexOf('=');
      const name = eq >= 0 ? body.slice(0, eq) : body;
      if (eq >= 0) flags.set(name, body.slice(eq + 1));
      else if (BOOLEAN.has(name)) flags.set(name, true);
      else {
        const value = argv[i + 1];
        if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
        flags.set(name, value);
        i++;
      }
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export class Args {
  private readonly used = new Set<string>(['json', 'help', 'h', 'url', 'token', 'profile']);
  constructor(private readonly parsed: Parsed) {}

  get json(): boolean {
    return this.parsed.flags.has('json');
  }

  flag(name: string): string | undefined {
    this.used.add(name);
    const v = this.parsed.flags.get(name);
    if (v === true) throw new UsageError(`--${name} needs a value`);
    return v;
  }

  required(name: string, what: string): string {
    const v = this.flag(name);
    if (v === undefined || v === '') throw new UsageError(`--${name} <${what}> is required`);
    return v;
  }

  bool(name: string): boolean {
    this.used.add(name);
    return this.parsed.flags.has(name);
  }

  integer(name: string): number | undefined {
    const v = this.flag(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number (got ${JSON.stringify(v)})`);
    return Number(v);
  }

  list(name: string): string[] | undefined {
    const v = this.flag(name);
    return v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean);
  }

  positional(i: number, what: string): string {
    const v = this.parsed.positionals[i];
    if (v === undefined) throw new UsageError(`<${what}> is required`);
    return v;
  }

  /** Refuses flags the command does not know (a typo must not be ignored). */
  done(maxPositionals: number): void {
    for (const name of this.parsed.flags.keys()) if (!this.used.has(name)) throw new UsageError(`unknown flag --${name}`);
    if (this.parsed.positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${JSON.stringify(this.parsed.positionals[maxPositionals])}`);
  }
}
