import { describe, expect, it } from 'vitest';
import { normalizeUsername } from '../../../src/engine/extract/index.js';
import { extract } from './helpers.js';

function users(message: string): string[] {
  return extract(message).filter((line) => line.startsWith('USERNAME '));
}

describe('usernames', () => {
  it.each([
    ['Failed password for root from 185.22.13.9 port 22 ssh2', ['USERNAME root USER']],
    ['Failed password for invalid user admin from 185.22.13.9 port 22 ssh2', ['USERNAME admin USER']],
    ['Failed none for invalid user Oracle from 185.22.13.9 port 22 ssh2', ['USERNAME Oracle USER']],
    ['Accepted publickey for vagrant from 10.0.2.2 port 63673 ssh2', ['USERNAME vagrant USER']],
    ['Invalid user test from 10.0.2.2', ['USERNAME test USER']],
    ['input_userauth_request: invalid user webmaster [preauth]', ['USERNAME webmaster USER']],
    ['Disconnecting: Too many authentication failures for admin [preauth]', ['USERNAME admin USER']],
    ['pam_unix(sshd:session): session opened for user root by (uid=0)', ['USERNAME root USER']],
    ['pam_unix(sshd:session): session closed for user news', ['USERNAME news USER']],
    ['Failed SSH login from 185.22.13.9 user root', ['USERNAME root USER']],
    ['web: user alice logged in from 8.8.8.8', ['USERNAME alice USER']],
    ['authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=173.234.31.186  user=root', ['USERNAME root USER']],
    ['vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls', ['USERNAME root TARGET_USER', 'USERNAME vagrant USER']],
    ['     tsg : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls', ['USERNAME root TARGET_USER', 'USERNAME tsg USER']],
    ['new user: name=apache, UID=48, GID=48, home=/usr/share/httpd', ['USERNAME apache TARGET_USER']],
    ['type=USER_AUTH msg=audit(1.2:3): pid=1 uid=0 acct="Admin" exe="/usr/sbin/sshd" res=failed', ['USERNAME Admin USER']],
    ['CEF extension suser=CORP\\alice duser=bob$', ['USERNAME CORP\\alice USER', 'USERNAME bob$ TARGET_USER']],
  ])('%s', (message, expected) => {
    expect(users(message)).toEqual(expected);
  });

  it.each([
    'pam_unix(sshd:auth): check pass; user unknown',
    'authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
    'session opened for user (none) by (uid=0)',
    'Failed password for invalid user  from 185.22.13.9 port 22 ssh2',
    'Invalid user  from 185.22.13.9',
    'user NOT in sudoers ; TTY=pts/1',
    'Received disconnect from 1.2.3.4: 11: No more user authentication methods available. [preauth]',
    'Received disconnect from 1.2.3.4: 11: Closed due to user request. [preauth]',
    'new group: name=apache, GID=48',
    'Kernel command line: ro root=LABEL=/ rhgb quiet',
    'user=- user="" USER=invalid logname=unknown',
  ])('no username in %s', (message) => {
    expect(users(message)).toEqual([]);
  });

  it('trims but never lower-cases', () => {
    expect(normalizeUsername('  Administrator ')).toBe('Administrator');
    expect(normalizeUsername('"root"')).toBe('root');
    for (const placeholder of ['unknown', '-', '(none)', 'invalid', 'N/A', '', '  ']) {
      expect(normalizeUsername(placeholder), placeholder).toBeUndefined();
    }
  });
});
