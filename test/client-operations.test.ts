import { readFileSync } from 'node:fs';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../schema/index.js';

describe('client-examples/operations.graphql', () => {
  it('holds only named operations that are valid against the schema', () => {
    const document = parse(readFileSync(new URL('../client-examples/operations.graphql', import.meta.url), 'utf8'));
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const names = document.definitions.map((d) => ('name' in d ? d.name?.value : undefined));
    expect(names.every(Boolean)).toBe(true);
    expect(names).toContain('CaseDetail');
  });
});
