// Reads a `keys import` file: a JSON array (or {"keys": [...]}) or a CSV with a header row, each entry a key of
// another system by its SHA-256 digest: digest, name, and optionally scopes, role, expires_at, key_prefix.
import { UsageError } from './args.js';

export interface ImportEntry {
  digest: string;
  name: string;
  scopes?: string[];
  role?: string;
  expires_at?: string | null;
  key_prefix?: string;
}

const FIELDS = ['digest', 'name', 'scopes', 'role', 'expires_at', 'key_prefix'];

/** Splits one CSV line (RFC 4180 quotes). */
function csvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') out.push(cur), (cur = '');
    else cur += ch;
  }
  out.push(cur);
  return out;
}

function entry(raw: Record<string, unknown>, where: string): ImportEntry {
  for (const k of Object.keys(raw)) if (!FIELDS.includes(k)) throw new UsageError(`${where}: unknown field ${JSON.stringify(k)} (known: ${FIELDS.join(', ')})`);
  if (typeof raw.digest !== 'string' || !/^[0-9a-fA-F]{64}$/.test(raw.digest)) throw new UsageError(`${where}: digest must be 64 hex characters (a SHA-256)`);
  if (typeof raw.name !== 'string' || raw.name === '') throw new UsageError(`${where}: name is required`);
  const e: ImportEntry = { digest: raw.digest.toLowerCase(), name: raw.name };
  if (raw.scopes !== undefined && raw.scopes !== '') e.scopes = Array.isArray(raw.scopes) ? (raw.scopes as string[]) : String(raw.scopes).split(/[ ;]+/).filter(Boolean);
  if (raw.role !== undefined && raw.role !== '') e.role = String(raw.role);
  if (raw.expires_at !== undefined && raw.expires_at !== '') e.expires_at = raw.expires_at as string | null;
  if (raw.key_prefix !== undefined && raw.key_prefix !== '') e.key_prefix = String(raw.key_prefix);
  return e;
}

export function parseImportFile(text: string, file: string): ImportEntry[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(data) ? data : (data as { keys?: unknown }).keys;
    if (!Array.isArray(list)) throw new UsageError(`${file}: expected an array of keys, or {"keys": [...]}`);
    return list.map((r, i) => entry(r as Record<string, unknown>, `${file} entry ${i + 1}`));
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  const header = csvLine(lines[0]).map((h) => h.trim());
  if (!header.includes('digest') || !header.includes('name')) throw new UsageError(`${file}: the CSV header must name the columns digest and name (got ${lines[0]})`);
  return lines.slice(1).map((l, i) => {
    const cells = csvLine(l);
    return entry(Object.fromEntries(header.map((h, j) => [h, cells[j] ?? ''])), `${file} line ${i + 2}`);
  });
}
