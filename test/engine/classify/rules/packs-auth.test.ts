/**
 * Authentication and privilege packs (sshd, PAM, sudo/su/doas, Linux accounts, Windows Security, generic
 * wording) on lines written in the real formats: RFC 3164 syslog as rsyslog writes auth.log, Windows
 * events as NXLog/OTRF-style JSON and as Winlogbeat ECS documents.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectNotCategory, expectTop, matches } from './helpers.js';

const syslog = (program: string, message: string) => `Mar 12 10:15:41 bastion-2 ${program}: ${message}`;
const sshd = (message: string) => syslog('sshd[4121]', message);
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/normalize/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the seed sentence and generic wording', () => {
  it('files "Failed SSH login from 185.22.13.9 user root" (no header, format UNKNOWN) as brute force', () => {
    const top = expectTop('Failed SSH login from 185.22.13.9 user root', 'BRUTE_FORCE', 'generic-failed-login');
    expect(top.signals).toEqual(['AUTH_FAILURE']);
    expect(top.techniques).toEqual(['T1110']);
    expect(top.matched).toEqual([expect.stringContaining('("Failed SSH login")')]);
  });

  it.each([
    'login failed for user bob from 198.51.100.20',
    'Authentication failed for admin@example.com (invalid password)',
    'myapp[881]: user=carol event=signin result=FAILED reason="Invalid password"',
    '2024-03-12T10:00:00Z WARN auth: Login incorrect for user oracle',
  ])('files generic failure wording as brute force: %s', (line) => {
    expectTop(line, 'BRUTE_FORCE');
  });

  it('files lockouts, malware, phishing and C2 wording into their categories', () => {
    expectTop('Account admin has been locked out after 5 failed attempts', 'BRUTE_FORCE');
    expectTop('Endpoint alert: ransomware behaviour, files being encrypted on FS-01', 'MALWARE');
    expectTop('User reported a phishing e-mail from billing@examp1e.com', 'PHISHING');
    expectTop('Host 10.0.0.23 shows beaconing activity to 203.0.113.80 every 60s', 'BEACONING');
  });

  it('keeps "successful login" and "no threats found" wording harmless', () => {
    expect(expectHarmless('User bob logged in successfully from 198.51.100.20')[0]?.signals).toEqual(['AUTH_SUCCESS']);
    expectHarmless('Scan complete: no threats found, 0 infected files');
  });
});

describe('sshd', () => {
  it('files failed passwords, invalid users and auth-limit disconnects as brute force', () => {
    expect(expectTop(sshd('Failed password for root from 203.0.113.45 port 51122 ssh2'), 'BRUTE_FORCE', 'sshd-failed-password').signals).toEqual(['AUTH_FAILURE']);
    expectTop(sshd('Failed password for invalid user oracle from 203.0.113.45 port 51124 ssh2'), 'BRUTE_FORCE', 'sshd-failed-password');
    expectTop(sshd('Failed none for invalid user guest from 203.0.113.45 port 51126 ssh2'), 'BRUTE_FORCE', 'sshd-failed-password');
    expectTop(sshd('Invalid user deploy from 203.0.113.45 port 51128'), 'BRUTE_FORCE', 'sshd-invalid-user');
    expectTop(sshd('input_userauth_request: invalid user deploy [preauth]'), 'BRUTE_FORCE', 'sshd-userauth-invalid-user');
    expectTop(sshd('Disconnecting authenticating user root 203.0.113.45 port 51130: Too many authentication failures [preauth]'), 'BRUTE_FORCE', 'sshd-too-many-failures');
    expectTop(sshd('error: maximum authentication attempts exceeded for root from 203.0.113.45 port 51132 ssh2 [preauth]'), 'BRUTE_FORCE', 'sshd-too-many-failures');
    expectTop(sshd('message repeated 4 times: [ Failed password for root from 203.0.113.45 port 51134 ssh2]'), 'BRUTE_FORCE', 'sshd-repeated-failures');
    expectTop(sshd('error: Received disconnect from 203.0.113.45 port 51136:3: com.jcraft.jsch.JSchException: Auth fail [preauth]'), 'BRUTE_FORCE');
    expectTop(sshd('User root from 203.0.113.45 not allowed because not listed in AllowUsers'), 'BRUTE_FORCE', 'sshd-login-refused-by-policy');
  });

  it('does not count summary lines as extra failed attempts', () => {
    const found = matches(sshd('Disconnecting authenticating user root 203.0.113.45 port 51130: Too many authentication failures [preauth]'));
    expect(found.flatMap((m) => m.signals)).toEqual([]);
  });

  it('files break-in warnings, banner-less connections and protocol probes as suspicious access', () => {
    expectTop(
      sshd('reverse mapping checking getaddrinfo for 45-113-0-203.static.example.net [203.0.113.45] failed - POSSIBLE BREAK-IN ATTEMPT!'),
      'SUSPICIOUS_ACCESS',
      'sshd-possible-break-in',
    );
    expectTop(sshd('Did not receive identification string from 203.0.113.77 port 61000'), 'SUSPICIOUS_ACCESS', 'sshd-no-identification');
    expectTop(sshd('kex_exchange_identification: Connection closed by remote host'), 'SUSPICIOUS_ACCESS', 'sshd-protocol-probe');
    expectTop(sshd('Unable to negotiate with 203.0.113.77 port 61002: no matching key exchange method found.'), 'SUSPICIOUS_ACCESS');
  });

  it('matches bare sshd messages without a syslog header, and sshd-session (OpenSSH 9.8+)', () => {
    expectTop('Failed password for root from 185.22.13.9 port 22 ssh2', 'BRUTE_FORCE', 'sshd-failed-password');
    expectTop(syslog('sshd-session[9]', 'Failed password for admin from 203.0.113.45 port 4000 ssh2'), 'BRUTE_FORCE', 'sshd-failed-password');
  });

  it('does not read sshd wording into other programs', () => {
    expectNotCategory(syslog('myapp[12]', 'Invalid user settings from config file'), 'BRUTE_FORCE');
  });

  it('near miss: a successful login is BENIGN with AUTH_SUCCESS, and a root login adds PRIVILEGED_LOGON', () => {
    const ok = expectHarmless(sshd('Accepted publickey for deploy from 198.51.100.20 port 50022 ssh2: ED25519 SHA256:Zm9vYmFy'));
    expect(ok.map((m) => [m.ruleId, m.signals])).toEqual([['sshd-accepted-login', ['AUTH_SUCCESS']]]);
    const root = expectHarmless(sshd('Accepted password for root from 198.51.100.20 port 50024 ssh2'));
    expect(root.map((m) => [m.ruleId, m.signals])).toEqual([['sshd-accepted-root-login', ['AUTH_SUCCESS', 'PRIVILEGED_LOGON']]]);
  });

  it('reads Wazuh and Filebeat ECS wrappers of sshd lines', () => {
    expectTop(fixture('wazuh-sshd-5712.json'), 'BRUTE_FORCE', 'wazuh-authentication-failures');
    expect(matches(fixture('wazuh-sshd-5712.json')).map((m) => m.ruleId)).toContain('sshd-invalid-user');
    expectTop(fixture('ecs-filebeat-sshd.json'), 'BRUTE_FORCE', 'sshd-failed-password');
    expectHarmless(fixture('wazuh-sshd-5715.json'));
  });
});

describe('PAM and login', () => {
  it('files PAM failures as brute force, counting only non-sshd ones as attempts', () => {
    const ftp = expectTop(syslog('vsftpd[772]', 'pam_unix(vsftpd:auth): authentication failure; logname= uid=0 euid=0 tty=ftp ruser=bob rhost=203.0.113.45  user=bob'), 'BRUTE_FORCE', 'pam-auth-failure');
    expect(ftp.signals).toEqual(['AUTH_FAILURE']);
    const viaSshd = matches(sshd('pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.45  user=root'));
    expect(viaSshd.map((m) => [m.ruleId, m.category, m.signals])).toEqual([['pam-sshd-auth-failure', 'BRUTE_FORCE', []]]);
  });

  it('files unknown users, repeated failures, lockouts and console failures as brute force', () => {
    expectTop(sshd('pam_unix(sshd:auth): check pass; user unknown'), 'BRUTE_FORCE', 'pam-user-unknown');
    expectTop(sshd('PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.45  user=root'), 'BRUTE_FORCE', 'pam-more-failures');
    expectTop(syslog('sshd[77]', 'pam_faillock(sshd:auth): Consecutive login failures for user alice account temporarily locked'), 'BRUTE_FORCE', 'pam-account-locked');
    expectTop(syslog('login[1203]', "FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure"), 'BRUTE_FORCE', 'login-failed');
  });

  it('near miss: sessions opening and closing are BENIGN', () => {
    expectHarmless(sshd('pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)'));
    expectHarmless(syslog('CRON[3310]', 'pam_unix(cron:session): session closed for user root'));
    expectHarmless(syslog('login[1203]', 'ROOT LOGIN  ON tty1'));
  });
});

describe('sudo, su and doas', () => {
  const sudo = (user: string, rest: string) => syslog('sudo', `${user.padStart(8)} : ${rest}`);

  it('files sudo by a user not in sudoers, refused commands and wrong passwords as privilege misuse', () => {
    expectTop(sudo('intern', 'user NOT in sudoers ; TTY=pts/1 ; PWD=/home/intern ; USER=root ; COMMAND=/bin/cat /etc/shadow'), 'PRIVILEGE_MISUSE', 'sudo-user-not-in-sudoers');
    expectTop(sudo('web', 'command not allowed ; TTY=pts/0 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/su -'), 'PRIVILEGE_MISUSE', 'sudo-command-not-allowed');
    const wrong = expectTop(sudo('alice', '3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/ls'), 'PRIVILEGE_MISUSE', 'sudo-incorrect-password');
    expect(wrong.signals).toEqual(['AUTH_FAILURE']);
    expectTop(syslog('sudo', 'pam_unix(sudo:auth): authentication failure; logname=alice uid=1000 euid=0 tty=/dev/pts/0 ruser=alice rhost=  user=alice'), 'PRIVILEGE_MISUSE', 'sudo-incorrect-password');
  });

  it('files root shells and sensitive commands run with sudo as privilege misuse', () => {
    const cmd = (command: string) => sudo('alice', `TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=${command}`);
    expectTop(cmd('/bin/bash'), 'PRIVILEGE_MISUSE', 'sudo-root-shell');
    expectTop(cmd('/bin/sh'), 'PRIVILEGE_MISUSE', 'sudo-root-shell');
    expectTop(cmd('/usr/bin/su -'), 'PRIVILEGE_MISUSE', 'sudo-root-shell');
    expectTop(cmd('/usr/bin/passwd root'), 'PRIVILEGE_MISUSE', 'sudo-account-change');
    expectTop(cmd('/usr/sbin/visudo'), 'PRIVILEGE_MISUSE', 'sudo-account-change');
    expectTop(cmd('/usr/sbin/usermod -aG sudo mallory'), 'PRIVILEGE_MISUSE', 'sudo-account-change');
    expectTop(cmd('/usr/bin/chmod 4755 /tmp/.x'), 'PRIVILEGE_MISUSE', 'sudo-setuid-change');
    expectTop(cmd('/bin/chmod u+s /usr/bin/find'), 'PRIVILEGE_MISUSE', 'sudo-setuid-change');
    expectTop(cmd('/usr/bin/cat /etc/shadow'), 'PRIVILEGE_MISUSE', 'sudo-shadow-access');
    expectTop(cmd('/usr/bin/find /tmp -exec /bin/sh -p ; -quit'), 'PRIVILEGE_MISUSE', 'sudo-shell-escape');
    expectTop(cmd('/usr/bin/python3 -c import pty;pty.spawn("/bin/bash")'), 'PRIVILEGE_MISUSE', 'sudo-shell-escape');
  });

  it('reads Wazuh sudo alerts (data.srcuser/dstuser/command)', () => {
    const found = matches(fixture('wazuh-sudo-5402.json'));
    expect(found.map((m) => m.ruleId)).toContain('sudo-other-command');
    // The command fetches a script from a bare IP address, which the URL and process packs notice.
    expect(found[0]?.category).toBe('MALWARE');
  });

  it('near miss: a routine sudo by an allowed admin is BENIGN with PRIVILEGED_LOGON', () => {
    const routine = (command: string) => expectHarmless(sudo('admin', `TTY=pts/2 ; PWD=/home/admin ; USER=root ; COMMAND=${command}`));
    expect(routine('/bin/ls -la /var/log')[0]).toMatchObject({ ruleId: 'sudo-routine-command', signals: ['PRIVILEGED_LOGON'] });
    expect(routine('/usr/bin/systemctl status nginx')[0]?.ruleId).toBe('sudo-routine-command');
    expect(routine('/usr/bin/apt-get upgrade -y')[0]?.ruleId).toBe('sudo-routine-command');
    expect(routine('/opt/backup/run-nightly.sh')[0]).toMatchObject({ ruleId: 'sudo-other-command', signals: ['PRIVILEGED_LOGON'] });
    expect(expectHarmless(sudo('admin', 'TTY=pts/2 ; PWD=/srv ; USER=postgres ; COMMAND=/usr/bin/psql'))[0]).toMatchObject({ ruleId: 'sudo-as-other-user', signals: [] });
  });

  it('files su failures and su to root as privilege misuse, su to another user as BENIGN', () => {
    expectTop(syslog('su[2201]', 'FAILED SU (to root) alice on pts/0'), 'PRIVILEGE_MISUSE', 'su-failed');
    expectTop(syslog('su[2201]', 'pam_unix(su-l:auth): authentication failure; logname=alice uid=1000 euid=0 tty=pts/0 ruser=alice rhost=  user=root'), 'PRIVILEGE_MISUSE', 'su-failed');
    expectTop(syslog('su[2201]', '(to root) alice on pts/0'), 'PRIVILEGE_MISUSE', 'su-to-root');
    expectTop(syslog('su[2201]', 'pam_unix(su-l:session): session opened for user root(uid=0) by alice(uid=1000)'), 'PRIVILEGE_MISUSE', 'su-to-root');
    expectHarmless(syslog('su[2201]', '(to postgres) alice on pts/0'));
  });

  it('files doas refusals and root shells, and keeps ordinary doas commands BENIGN', () => {
    expectTop(syslog('doas', 'command not permitted for alice: /usr/sbin/pkg_add nmap'), 'PRIVILEGE_MISUSE', 'doas-refused');
    expectTop(syslog('doas', 'failed auth for alice'), 'PRIVILEGE_MISUSE', 'doas-refused');
    expectTop(syslog('doas', 'alice ran command ksh as root from /home/alice'), 'PRIVILEGE_MISUSE', 'doas-root-shell-or-sensitive');
    expectHarmless(syslog('doas', 'alice ran command rcctl restart httpd as root from /home/alice'));
  });
});

describe('Linux accounts', () => {
  it('files a second UID 0 account, admin-group additions and root password changes as privilege misuse', () => {
    expectTop(syslog('useradd[990]', 'new user: name=sysupd, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/1'), 'PRIVILEGE_MISUSE', 'linux-uid0-user-created');
    expectTop(syslog('usermod[991]', "add 'mallory' to group 'sudo'"), 'PRIVILEGE_MISUSE', 'linux-user-added-to-admin-group');
    expectTop(syslog('gpasswd[992]', 'user mallory added by root to group wheel'), 'PRIVILEGE_MISUSE', 'linux-user-added-to-admin-group');
    expectTop(syslog('passwd[993]', 'pam_unix(passwd:chauthtok): password changed for root'), 'PRIVILEGE_MISUSE', 'linux-root-password-changed');
    expectTop(syslog('useradd[994]', 'new user: name=jdoe, UID=1004, GID=1004, home=/home/jdoe, shell=/bin/bash, from=/dev/pts/0'), 'PRIVILEGE_MISUSE', 'linux-user-created');
  });

  it('near miss: package-created service accounts and groups are BENIGN', () => {
    expectHarmless(syslog('useradd[995]', 'new user: name=nginx, UID=998, GID=996, home=/var/lib/nginx, shell=/sbin/nologin, from=none'));
    expectHarmless(syslog('groupadd[996]', 'new group: name=nginx, GID=996'));
  });
});

describe('Windows Security events', () => {
  const win = (id: number, data: Record<string, unknown> = {}) => ({
    EventTime: '2024-03-12 11:02:44',
    Hostname: 'DC01.corp.example.com',
    SourceName: 'Microsoft-Windows-Security-Auditing',
    Channel: 'Security',
    EventID: id,
    ...data,
  });

  it('files 4625, 4771, 4776 failures and 4740 lockouts as brute force', () => {
    const failed = expectTop(win(4625, { EventType: 'AUDIT_FAILURE', TargetUserName: 'svc_backup', LogonType: '3', IpAddress: '198.51.100.66', Status: '0xc000006d' }), 'BRUTE_FORCE', 'win-failed-logon');
    expect(failed).toMatchObject({ signals: ['AUTH_FAILURE'], techniques: ['T1110'] });
    expectTop(win(4771, { TargetUserName: 'alice', Status: '0x18', IpAddress: '::ffff:10.0.0.40' }), 'BRUTE_FORCE', 'win-kerberos-preauth-failed');
    expectTop(win(4776, { TargetUserName: 'admin', Status: '0xc000006a', Workstation: 'KALI' }), 'BRUTE_FORCE', 'win-ntlm-validation-failed');
    expectTop(win(4740, { SubjectUserName: 'DC01$', TargetUserName: 'bob' }), 'BRUTE_FORCE', 'win-account-locked-out');
    expectTop(fixture('ecs-winlogbeat-4625.json'), 'BRUTE_FORCE', 'win-failed-logon');
    expectTop(fixture('wazuh-windows-60122.json'), 'BRUTE_FORCE', 'win-failed-logon');
  });

  it('near miss: 4624 logons of type 2, 3 and 10 (even RDP from outside) are BENIGN with AUTH_SUCCESS', () => {
    for (const type of ['2', '3', '10']) {
      const found = expectHarmless(win(4624, { EventType: 'AUDIT_SUCCESS', SubjectUserName: '-', TargetUserName: 'alice', LogonType: type, IpAddress: '203.0.113.9' }));
      expect(found[0]).toMatchObject({ ruleId: 'win-logon-success', signals: ['AUTH_SUCCESS'] });
    }
    expect(expectHarmless(win(4624, { TargetUserName: 'SYSTEM', LogonType: '5' }))[0]).toMatchObject({ ruleId: 'win-service-logon', signals: [] });
  });

  it('marks 4672 for people as PRIVILEGED_LOGON, not for the machine accounts', () => {
    expect(expectHarmless(win(4672, { SubjectUserName: 'admin.jane', PrivilegeList: 'SeDebugPrivilege' }))[0]?.signals).toEqual(['PRIVILEGED_LOGON']);
    expect(matches(win(4672, { SubjectUserName: 'SYSTEM' }))).toEqual([]);
    expect(matches(win(4672, { SubjectUserName: 'WS7$' }))).toEqual([]);
  });

  it('files account creation and privileged group changes as privilege misuse', () => {
    expectTop(win(4720, { SubjectUserName: 'admin.jane', TargetUserName: 'svc-update' }), 'PRIVILEGE_MISUSE', 'win-user-created');
    for (const id of [4728, 4732, 4756]) {
      expectTop(win(id, { SubjectUserName: 'admin.jane', TargetUserName: 'Domain Admins', MemberName: 'CN=mallory,CN=Users,DC=corp,DC=example,DC=com' }), 'PRIVILEGE_MISUSE', 'win-privileged-group-member-added');
    }
    expectTop(win(4732, { SubjectUserName: 'admin.jane', TargetUserName: 'Administrators' }), 'PRIVILEGE_MISUSE');
    expect(matches(win(4732, { SubjectUserName: 'admin.jane', TargetUserName: 'Print Helpers' }))).toEqual([]);
  });

  it('files log clearing, audit policy changes and suspicious services', () => {
    expectTop(win(1102, { SourceName: 'Microsoft-Windows-Eventlog', SubjectUserName: 'admin.jane' }), 'SUSPICIOUS_ACCESS', 'win-audit-log-cleared');
    expectTop({ EventID: 104, Channel: 'System', SourceName: 'Microsoft-Windows-Eventlog', Computer: 'WS1' }, 'SUSPICIOUS_ACCESS', 'win-audit-log-cleared');
    expectTop(win(4719, { SubjectUserName: 'admin.jane' }), 'SUSPICIOUS_ACCESS', 'win-audit-policy-changed');
    expectTop({ EventID: 7045, Channel: 'System', SourceName: 'Service Control Manager', Computer: 'WS1', ServiceName: 'xKZtq', ImagePath: '%COMSPEC% /b /c start /b /min powershell -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA' }, 'MALWARE', 'win-suspicious-service-installed');
    expectTop({ EventID: 7045, Channel: 'System', SourceName: 'Service Control Manager', Computer: 'WS1', ServiceName: 'PSEXESVC', ImagePath: '%SystemRoot%\\PSEXESVC.exe' }, 'SUSPICIOUS_ACCESS', 'win-psexec-service');
    expectTop(win(4769, { TargetUserName: 'alice@CORP.EXAMPLE.COM', ServiceName: 'svc_sql', TicketEncryptionType: '0x17' }), 'SUSPICIOUS_ACCESS', 'win-kerberoasting');
    expect(matches(win(4769, { TargetUserName: 'WS1$@CORP', ServiceName: 'DC01$', TicketEncryptionType: '0x17' }))).toEqual([]);
  });
});
