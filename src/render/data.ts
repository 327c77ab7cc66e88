import { stringify } from 'yaml';

/** JSON output: two-space indent, trailing newline (stable contract). */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}

/** YAML output, YAML 1.1 so `yes`/`on` stay quoted for kubectl. */
export function renderYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0 });
}
