/**
 * Cloud audit packs on records shaped as the services write them: AWS CloudTrail (and the Elastic AWS
 * module's ECS form), the Microsoft 365 Management Activity API, and the GitHub audit log.
 */
import { describe, expect, it } from 'vitest';
import { expectHarmless, expectTop, matches } from './helpers.js';

function cloudtrail(eventName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', userName: 'alice' },
    eventTime: '2024-03-12T10:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.5',
    userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0',
    requestParameters: null,
    responseElements: null,
    requestID: '0c4e4a3f-9a1b-4c2d-8e7f-1a2b3c4d5e6f',
    eventID: 'f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    ...extra,
  };
}

function consoleLogin(result: 'Success' | 'Failure', mfa: 'Yes' | 'No', identity: Record<string, unknown>): Record<string, unknown> {
  return cloudtrail('ConsoleLogin', {
    userIdentity: identity,
    eventSource: 'signin.amazonaws.com',
    eventType: 'AwsConsoleSignIn',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    responseElements: { ConsoleLogin: result },
    additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: mfa },
    ...(result === 'Failure' ? { errorMessage: 'Failed authentication' } : {}),
  });
}

const IAM_USER = { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: 'arn:aws:iam::123456789012:user/alice', accountId: '123456789012', userName: 'alice' };
const ROOT = { type: 'Root', principalId: '123456789012', arn: 'arn:aws:iam::123456789012:root', accountId: '123456789012' };

describe('AWS CloudTrail', () => {
  it('files console sign-in failures as brute force', () => {
    const top = expectTop(consoleLogin('Failure', 'No', IAM_USER), 'BRUTE_FORCE', 'aws-console-login-failed');
    expect(top.signals).toEqual(['AUTH_FAILURE']);
    expect(matches(consoleLogin('Failure', 'No', IAM_USER)).map((m) => m.ruleId)).toEqual(['aws-console-login-failed']);
  });

  it('files a root sign-in without MFA as suspicious access with a privileged logon', () => {
    const top = expectTop(consoleLogin('Success', 'No', ROOT), 'SUSPICIOUS_ACCESS', 'aws-root-console-login-without-mfa');
    expect(top.signals).toEqual(['AUTH_SUCCESS', 'PRIVILEGED_LOGON']);
  });

  it('near miss: a console sign-in with MFA is BENIGN (root adds PRIVILEGED_LOGON)', () => {
    expect(expectHarmless(consoleLogin('Success', 'Yes', IAM_USER)).map((m) => [m.ruleId, m.signals])).toEqual([['aws-console-login-success', ['AUTH_SUCCESS']]]);
    expect(expectHarmless(consoleLogin('Success', 'Yes', ROOT)).map((m) => [m.ruleId, m.signals])).toEqual([['aws-root-console-login-mfa', ['AUTH_SUCCESS', 'PRIVILEGED_LOGON']]]);
  });

  it('files IAM privilege grants as privilege misuse, AdministratorAccess the strongest', () => {
    const admin = expectTop(cloudtrail('AttachUserPolicy', { requestParameters: { userName: 'mallory', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }), 'PRIVILEGE_MISUSE', 'aws-iam-admin-policy');
    expect(admin).toMatchObject({ severity: 'HIGH', techniques: ['T1098.003'] });
    expectTop(cloudtrail('PutUserPolicy', { requestParameters: { userName: 'mallory', policyName: 'x', policyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}' } }), 'PRIVILEGE_MISUSE', 'aws-iam-admin-policy');
    expectTop(cloudtrail('AttachRolePolicy', { requestParameters: { roleName: 'ci', policyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' } }), 'PRIVILEGE_MISUSE', 'aws-iam-policy-change');
    expectTop(cloudtrail('CreateAccessKey', { requestParameters: { userName: 'mallory' }, responseElements: { accessKey: { accessKeyId: 'AKIAEXAMPLE', status: 'Active', userName: 'mallory' } } }), 'PRIVILEGE_MISUSE', 'aws-access-key-created');
  });

  it('files switching off CloudTrail or GuardDuty as suspicious access', () => {
    expectTop(cloudtrail('StopLogging', { eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail' } }), 'SUSPICIOUS_ACCESS', 'aws-logging-disabled');
    expectTop(cloudtrail('DeleteTrail', { eventSource: 'cloudtrail.amazonaws.com', requestParameters: { name: 'org-trail' } }), 'SUSPICIOUS_ACCESS', 'aws-logging-disabled');
    expectTop(cloudtrail('DeleteDetector', { eventSource: 'guardduty.amazonaws.com', requestParameters: { detectorId: '12abc34d567e8fa901bc2d34e56789f0' } }), 'SUSPICIOUS_ACCESS', 'aws-logging-disabled');
  });

  it('reads the Elastic AWS module form (event.provider, event.action, event.outcome)', () => {
    expectTop({ '@timestamp': '2024-03-12T10:00:00Z', event: { provider: 'signin.amazonaws.com', action: 'ConsoleLogin', outcome: 'failure' }, source: { ip: '203.0.113.5' }, user: { name: 'alice' }, aws: { cloudtrail: { user_identity: { type: 'IAMUser' } } } }, 'BRUTE_FORCE', 'aws-console-login-failed');
  });

  it('near miss: read-only API calls do not fire', () => {
    expect(matches(cloudtrail('ListUsers', { readOnly: true }))).toEqual([]);
    expect(matches(cloudtrail('DescribeInstances', { eventSource: 'ec2.amazonaws.com', readOnly: true }))).toEqual([]);
  });
});

describe('Microsoft 365', () => {
  const o365 = (operation: string, extra: Record<string, unknown> = {}) => ({
    CreationTime: '2024-03-12T10:00:00',
    Id: '7f9e2b1c-3d4a-4b5c-8d6e-0f1a2b3c4d5e',
    Operation: operation,
    OrganizationId: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d',
    RecordType: 1,
    ResultStatus: 'True',
    UserKey: '10037FFE8A2B3C4D',
    UserType: 0,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: '203.0.113.5:52110',
    UserId: 'bob@contoso.example',
    ...extra,
  });

  it('files sign-in failures as brute force and successes as BENIGN', () => {
    expectTop(o365('UserLoginFailed', { RecordType: 15, Workload: 'AzureActiveDirectory', ResultStatus: 'Failed', LogonError: 'InvalidPasswordAttempt', ClientIP: '203.0.113.5' }), 'BRUTE_FORCE', 'o365-login-failed');
    expect(expectHarmless(o365('UserLoggedIn', { RecordType: 15, Workload: 'AzureActiveDirectory', ResultStatus: 'Success' }))[0]?.signals).toEqual(['AUTH_SUCCESS']);
  });

  it('files forwarding inbox rules and mailbox forwarding as suspicious access', () => {
    const rule = o365('New-InboxRule', { ObjectId: 'bob\\.', Parameters: [{ Name: 'AlwaysDeleteOutlookRulesBlob', Value: 'False' }, { Name: 'Name', Value: '.' }, { Name: 'ForwardTo', Value: 'collector@evil.example' }, { Name: 'StopProcessingRules', Value: 'True' }] });
    expect(expectTop(rule, 'SUSPICIOUS_ACCESS', 'o365-inbox-forwarding-rule').techniques).toEqual(['T1114.003']);
    expectTop(o365('Set-Mailbox', { Parameters: [{ Name: 'Identity', Value: 'bob' }, { Name: 'ForwardingSmtpAddress', Value: 'smtp:collector@evil.example' }, { Name: 'DeliverToMailboxAndForward', Value: 'True' }] }), 'SUSPICIOUS_ACCESS', 'o365-mailbox-forwarding');
    expectTop(o365('New-InboxRule', { Parameters: [{ Name: 'Name', Value: '..' }, { Name: 'SubjectContainsWords', Value: 'invoice;payment' }, { Name: 'MoveToFolder', Value: 'RSS Feeds' }] }), 'SUSPICIOUS_ACCESS', 'o365-inbox-hiding-rule');
  });

  it('files admin role assignments as privilege misuse', () => {
    const add = o365('Add member to role.', {
      RecordType: 8,
      Workload: 'AzureActiveDirectory',
      ResultStatus: 'Success',
      ObjectId: 'mallory@contoso.example',
      ModifiedProperties: [{ Name: 'Role.ObjectID', NewValue: '62e90394-69f5-4237-9190-012177145e10', OldValue: '' }, { Name: 'Role.DisplayName', NewValue: 'Global Administrator', OldValue: '' }],
    });
    expectTop(add, 'PRIVILEGE_MISUSE', 'o365-admin-role-assigned');
    expectTop(o365('Add member to role.', { RecordType: 8, Workload: 'AzureActiveDirectory', ModifiedProperties: [{ Name: 'Role.DisplayName', NewValue: 'Reports Reader', OldValue: '' }] }), 'PRIVILEGE_MISUSE', 'o365-role-assigned');
  });

  it('files consent grants, malware in SharePoint and audit bypass', () => {
    expectTop(o365('Consent to application.', { RecordType: 8, Workload: 'AzureActiveDirectory', ObjectId: 'Mail Helper Pro' }), 'PHISHING', 'o365-app-consent');
    expectTop(o365('FileMalwareDetected', { RecordType: 6, Workload: 'SharePoint', ObjectId: 'https://contoso.sharepoint.example/sites/fin/Shared Documents/invoice.docm' }), 'MALWARE', 'o365-malware-file');
    expectTop(o365('Set-AdminAuditLogConfig', { Parameters: [{ Name: 'AdminAuditLogEnabled', Value: 'False' }] }), 'SUSPICIOUS_ACCESS', 'o365-audit-disabled');
  });

  it('near miss: reading mail and ordinary inbox rules do not fire', () => {
    expect(matches(o365('MailItemsAccessed', { OperationProperties: [{ Name: 'MailAccessType', Value: 'Bind' }] }))).toEqual([]);
    expect(matches(o365('New-InboxRule', { Parameters: [{ Name: 'Name', Value: 'Newsletters' }, { Name: 'From', Value: 'news@example.org' }, { Name: 'MoveToFolder', Value: 'Newsletters' }] }))).toEqual([]);
  });
});

describe('GitHub audit log', () => {
  const gh = (action: string, extra: Record<string, unknown> = {}) => ({
    '@timestamp': 1710237600000,
    _document_id: 'Xq3nY8QeQ1aZb2Cd3Ef4Gh',
    action,
    actor: 'alice',
    actor_id: 1001,
    actor_location: { country_code: 'NL' },
    org: 'acme',
    org_id: 9001,
    created_at: 1710237600000,
    ...extra,
  });

  it('files owner additions and promotions as privilege misuse', () => {
    expectTop(gh('org.add_member', { user: 'mallory', user_id: 4242, permission: 'admin' }), 'PRIVILEGE_MISUSE', 'github-org-admin-added');
    expectTop(gh('org.update_member', { user: 'bob', user_id: 4243, permission: 'admin', old_permission: 'read' }), 'PRIVILEGE_MISUSE', 'github-org-member-promoted');
  });

  it('files a repository made public and 2FA switched off as suspicious access', () => {
    expectTop(gh('repo.access', { repo: 'acme/payments-core', repo_id: 77, visibility: 'public', previous_visibility: 'private' }), 'SUSPICIOUS_ACCESS', 'github-repo-made-public');
    expectTop(gh('org.disable_two_factor_requirement'), 'SUSPICIOUS_ACCESS', 'github-2fa-requirement-disabled');
  });

  it('files personal access token creation as low-weight suspicious access', () => {
    const top = expectTop(gh('personal_access_token.request_created', { user: 'bob' }), 'SUSPICIOUS_ACCESS', 'github-token-created');
    expect(top.confidence).toBeLessThanOrEqual(0.4);
  });

  it('near miss: members joining as members and private repositories do not fire', () => {
    expect(matches(gh('org.add_member', { user: 'carol', permission: 'read' }))).toEqual([]);
    expect(matches(gh('repo.create', { repo: 'acme/new-service', visibility: 'private' }))).toEqual([]);
    expect(matches(gh('repo.access', { repo: 'acme/docs', visibility: 'private', previous_visibility: 'public' }))).toEqual([]);
  });
});
