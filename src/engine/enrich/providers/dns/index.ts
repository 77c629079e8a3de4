export { createDnsEnricher, type DnsEnricherOptions, type DnsRecords, type DnsRecordType, type MxRecord } from './dns-enricher.js';
export { assessAnswers, type AnswerAssessment } from './answer-ranges.js';
