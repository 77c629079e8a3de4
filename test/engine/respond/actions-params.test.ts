import { describe, expect, it } from 'vitest';
import { validateParams } from '../../../src/engine/respond/actions/params.js';
import { formatTtl, parseTtl } from '../../../src/engine/respond/actions/ttl.js';
import { ValidationError } from '../../../src/errors.js';

function refusal(kind: Parameters<typeof validateParams>[0], params: unknown): ValidationError {
  try {
    validateParams(kind, params);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`${kind} accepted ${JSON.stringify(params)}`);
}

describe('action parameters', () => {
  it('BLOCK_IP and UNBLOCK_IP take a valid IPv4 or IPv6 address, canonicalised, and an optional ttl', () => {
    expect(validateParams('BLOCK_IP', { ip: ' 185.22.13.9 ' })).toEqual({ ip: '185.22.13.9' });
    expect(validateParams('BLOCK_IP', { ip: '2001:DB8:0:0::1', ttl: '30m' })).toEqual({ ip: '2001:db8::1', ttl: 1_800_000 });
    expect(validateParams('BLOCK_IP', { ip: '::ffff:185.22.13.9', ttl: 60_000 })).toEqual({ ip: '185.22.13.9', ttl: 60_000 });
    expect(validateParams('UNBLOCK_IP', { ip: '185.22.13.9' })).toEqual({ ip: '185.22.13.9' });
    expect(refusal('BLOCK_IP', { ip: '185.22.13' }).message).toBe('BLOCK_IP: ip "185.22.13" is not an IPv4 or IPv6 address');
    expect(refusal('BLOCK_IP', { ip: '1.2.3.4; rm -rf /' }).field).toBe('params.ip');
    expect(refusal('BLOCK_IP', {}).message).toBe('BLOCK_IP: ip is required');
    expect(refusal('BLOCK_IP', { ip: '1.2.3.4', ttl: 'forever' }).message).toBe('BLOCK_IP: ttl ttl "forever" is not a duration like 90s, 30m, 24h or 7d');
    expect(refusal('BLOCK_IP', { ip: '1.2.3.4', ttl: '91d' }).message).toMatch(/ttl must be between 1s and 90d/);
    expect(refusal('BLOCK_IP', { ip: '1.2.3.4', port: 22 }).message).toBe('BLOCK_IP: unknown parameter port');
    expect(refusal('UNBLOCK_IP', { ip: '1.2.3.4', ttl: '1h' }).message).toBe('UNBLOCK_IP: unknown parameter ttl');
  });

  it('ISOLATE_HOST and RELEASE_HOST take a host name (lower-cased) or an address, nothing that could smuggle a command', () => {
    expect(validateParams('ISOLATE_HOST', { host: 'WEB-01.corp.example', ttl: '4h' })).toEqual({ host: 'web-01.corp.example', ttl: 14_400_000 });
    expect(validateParams('RELEASE_HOST', { host: '10.0.0.5' })).toEqual({ host: '10.0.0.5' });
    expect(refusal('ISOLATE_HOST', { host: 'web-01 && curl x' }).message).toMatch(/^ISOLATE_HOST: host "web-01 && curl x" is not a host name/);
    expect(refusal('ISOLATE_HOST', { host: '-oProxyCommand' }).field).toBe('params.host');
    expect(refusal('RELEASE_HOST', { host: 42 }).message).toBe('RELEASE_HOST: host must be a string');
  });

  it('DISABLE_USER and RESET_PASSWORD take an account name as directories spell it', () => {
    expect(validateParams('DISABLE_USER', { user: 'CORP\\alice' })).toEqual({ user: 'CORP\\alice' });
    expect(validateParams('RESET_PASSWORD', { user: 'bob@corp.example' })).toEqual({ user: 'bob@corp.example' });
    expect(validateParams('DISABLE_USER', { user: 'WS01$' })).toEqual({ user: 'WS01$' });
    expect(refusal('DISABLE_USER', { user: "alice'; Remove-ADUser" }).message).toMatch(/^DISABLE_USER: user must be an account name/);
    expect(refusal('RESET_PASSWORD', {}).message).toBe('RESET_PASSWORD: user is required');
  });

  it('CREATE_TASK, ESCALATE, ADD_TAG, SET_SEVERITY and NOTIFY check their fields', () => {
    expect(validateParams('CREATE_TASK', { title: ' Check auth logs ', assigneeGroup: 'tier1' })).toEqual({ title: 'Check auth logs', assigneeGroup: 'tier1' });
    expect(refusal('CREATE_TASK', { title: '' }).message).toBe('CREATE_TASK: title must not be empty');
    expect(refusal('CREATE_TASK', { title: 'x'.repeat(201) }).message).toBe('CREATE_TASK: title must be at most 200 characters');
    expect(validateParams('ESCALATE', { reason: 'root brute force' })).toEqual({ reason: 'root brute force' });
    expect(refusal('ESCALATE', { group: 'tier2' }).message).toBe('ESCALATE: reason is required');
    expect(validateParams('ADD_TAG', { tag: 'contained' })).toEqual({ tag: 'contained' });
    expect(refusal('ADD_TAG', { tag: 'x'.repeat(65) }).message).toBe('ADD_TAG: tag must be at most 64 characters');
    expect(validateParams('SET_SEVERITY', { severity: 'critical' })).toEqual({ severity: 'CRITICAL' });
    expect(refusal('SET_SEVERITY', { severity: 'URGENT' }).field).toBe('params.severity');
    expect(validateParams('NOTIFY', { title: 'Blocked', text: 'done', event: 'playbook.done' })).toEqual({ title: 'Blocked', text: 'done', event: 'playbook.done' });
    expect(refusal('NOTIFY', { title: 'x' }).message).toBe('NOTIFY: text is required');
    expect(refusal('NOTIFY', { title: 'x', text: 'y', event: 'Bad Event' }).message).toMatch(/event must be a dotted lower-case event name/);
  });

  it('reads and writes TTLs as nftables does', () => {
    expect(parseTtl('24h')).toBe(86_400_000);
    expect(parseTtl('7d')).toBe(604_800_000);
    expect(parseTtl('90s')).toBe(90_000);
    expect(formatTtl(86_400_000)).toBe('24h');
    expect(formatTtl(1_800_000)).toBe('30m');
    expect(formatTtl(90_000)).toBe('90s');
  });
});
