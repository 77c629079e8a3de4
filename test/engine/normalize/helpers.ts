import { readFileSync } from 'node:fs';

/** Reads a JSON sample from test/fixtures. */
export function fixtureJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

export function fixtureLines(path: string): string[] {
  return readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
}

export const NOW = Date.UTC(2024, 2, 12, 12, 0, 0);
