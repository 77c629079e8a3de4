/**
 * The committed text model: it loads, it is what the committed corpus trains into, it answers
 * hand-written lines (not in the corpus) correctly with sensible explanations, and training is
 * deterministic. Speed is measured by `npm run train`, not asserted here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  corpusTrainingExamples,
  createTextModel,
  DEFAULT_MODEL_PATH,
  loadTextModel,
  parseModel,
  readCorpus,
  stringifyModel,
  trainTextModel,
} from '../../../../src/engine/classify/model/index.js';
import { CATEGORIES, type Category } from '../../../../src/engine/classify/types.js';

const model = loadTextModel();

/** Lines written for this test in real formats (the message part the classify stage passes). */
const CASES: Array<[Category, string, string]> = [
  ['BRUTE_FORCE', 'Failed password for invalid user oracle from 45.134.26.77 port 40122 ssh2', 'password'],
  ['BRUTE_FORCE', 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=45.134.26.77  user=root', 'authentication'],
  ['BRUTE_FORCE', 'warning: unknown[80.94.95.12]: SASL LOGIN authentication failed: authentication failure', 'failed'],
  ['MALWARE', '/srv/share/incoming/setup_2.exe: Win.Trojan.Emotet-9953 FOUND', 'found'],
  ['MALWARE', 'powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBiAEMAbABpAGUAbgB0ACkA', 'powershell.exe'],
  ['MALWARE', 'vssadmin.exe delete shadows /all /quiet', 'vssadmin.exe'],
  ['PHISHING', 'User dave@acme.org reported a suspicious email asking to confirm his Office 365 password (Report Phishing button)', 'phishing'],
  ['PHISHING', 'Message from billing@paypa1-account-verify.top to carol@acme.org with subject "Your account has been suspended" contains a link to a fake sign-in page', 'subject'],
  ['BEACONING', 'ET MALWARE Cobalt Strike Beacon Observed {TCP} 10.1.2.3:51123 -> 198.51.100.7:443', 'beacon'],
  ['BEACONING', 'Host 10.1.2.3 contacted update-cdn.xyz every 60 seconds with identical 312-byte requests: possible C2 beaconing', 'beaconing'],
  ['PRIVILEGE_MISUSE', 'mallory : user NOT in sudoers ; TTY=pts/3 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/bash', 'sudoers'],
  ['PRIVILEGE_MISUSE', 'FAILED SU (to root) mallory on pts/3', 'root'],
  ['PRIVILEGE_MISUSE', 'new user: name=backdoor, UID=0, GID=0, home=/root, shell=/bin/bash', 'root'],
  ['SUSPICIOUS_ACCESS', 'Did not receive identification string from 162.142.125.9 port 43210', 'identification'],
  ['SUSPICIOUS_ACCESS', '203.0.113.50 - - [12/Oct/2025:11:02:33 +0000] "GET /index.php?id=1%27%20UNION%20SELECT%20user,pass%20FROM%20accounts-- HTTP/1.1" 200 512 "-" "sqlmap/1.8"', 'get'],
];

const ORDINARY = [
  'pam_unix(cron:session): session opened for user root by (uid=0)',
  'pam_unix(sshd:session): session closed for user carol',
  'Started Session 42 of user carol.',
  'Started PostgreSQL database server.',
  'Accepted publickey for carol from 10.20.0.15 port 50122 ssh2: ED25519 SHA256:Q2hhbmdlTWU',
  'synchronized to 10.20.0.1, stratum 2',
];

describe('the committed text model', () => {
  it.each(CASES)('predicts %s for "%s"', (category, line, word) => {
    const p = model.predict(line);
    expect(p.category).toBe(category);
    expect(p.confidence).toBe(p.probabilities[category]);
    expect(p.topFeatures.length).toBeGreaterThan(0);
    expect(p.topFeatures.map((f) => f.feature)).toContain(word);
    // Strongest first, each pushing toward the answer.
    const weights = p.topFeatures.map((f) => f.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(weights.every((w) => w > 0)).toBe(true);
  });

  it.each(ORDINARY)('calls an ordinary line BENIGN: "%s"', (line) => {
    expect(model.predict(line).category).toBe('BENIGN');
  });

  it('gives a probability to every category, summing to 1', () => {
    for (const line of ['', 'x', CASES[0]![1]]) {
      const p = model.predict(line);
      expect(Object.keys(p.probabilities).sort()).toEqual([...CATEGORIES].sort());
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      expect(p.confidence).toBe(Math.max(...Object.values(p.probabilities)));
    }
  });

  it('was trained from the committed corpus, and retraining it gives the same bytes', () => {
    const { records, sha256 } = readCorpus();
    const committed = readFileSync(DEFAULT_MODEL_PATH, 'utf8');
    const stored = parseModel(committed);
    expect(stored.corpus.fileSha256, 'data/training/corpus.jsonl changed: run `npm run train`').toBe(sha256);
    expect(stored.version).toBe(model.version);
    const retrained = stringifyModel(trainTextModel(corpusTrainingExamples(records), { corpusFileSha256: sha256 }));
    // A difference here with an unchanged corpus means the featurizer, trainer or normalizer changed.
    expect(retrained === committed, 'the committed model is stale: run `npm run train`').toBe(true);
  }, 120_000);
});

describe('training', () => {
  const examples = corpusTrainingExamples(readCorpus().records.filter((_, i) => i % 7 === 0));

  it('is deterministic: training twice gives byte-identical model files', () => {
    const a = stringifyModel(trainTextModel(examples, { epochs: 10 }));
    const b = stringifyModel(trainTextModel(examples, { epochs: 10 }));
    expect(a).toBe(b);
    expect(parseModel(a).version).toMatch(/^lr-[0-9a-f]{12}$/);
  });

  it('changes the version when the examples change', () => {
    const a = trainTextModel(examples, { epochs: 2 });
    const b = trainTextModel(examples.slice(1), { epochs: 2 });
    expect(a.version).not.toBe(b.version);
  });

  it('learns a toy problem and names the features it used', () => {
    const toy = [
      ...Array.from({ length: 20 }, (_, i) => ({ text: `virus found in file${i}.exe`, category: 'MALWARE' as const })),
      ...Array.from({ length: 20 }, (_, i) => ({ text: `backup finished for volume ${i}`, category: 'BENIGN' as const })),
    ];
    const m = createTextModel(trainTextModel(toy, { epochs: 50 }));
    const p = m.predict('virus found in report.exe');
    expect(p.category).toBe('MALWARE');
    expect(p.topFeatures.map((f) => f.feature)).toEqual(expect.arrayContaining(['virus', 'found']));
    expect(m.predict('backup finished for volume 99').category).toBe('BENIGN');
  });

  it('refuses model files it cannot trust', () => {
    const good = JSON.parse(stringifyModel(trainTextModel(examples, { epochs: 1 }))) as Record<string, unknown>;
    expect(() => parseModel(JSON.stringify({ ...good, format: 'other' }))).toThrow(/not a vigil text model/);
    expect(() => parseModel(JSON.stringify({ ...good, formatVersion: 99 }))).toThrow(/npm run train/);
    expect(() => parseModel(JSON.stringify({ ...good, featurizer: { hashBits: 8 } }))).toThrow(/featurizer/);
    expect(() => parseModel(JSON.stringify({ ...good, weights: [1, 2, 3] }))).toThrow(/weights/);
    expect(() => loadTextModel('/nonexistent/model.json')).toThrow(/npm run train/);
  });
});
