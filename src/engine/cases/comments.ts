/**
 * Comments on a case, journaled on it (COMMENTED, audit `case.comment`) so they appear in its timeline.
 * Closed cases still take comments: people discuss a case after it is done. Comments do not bump the case
 * version, so commenting never makes someone else's pending edit stale.
 */
import type { Clock } from '../../clock.js';
import { NotFoundError } from '../../errors.js';
import { IdPrefix, newId } from '../../ids.js';
import type { CaseStore } from '../../store/case-store.js';
import type { CaseCommentRecord } from '../../store/records.js';
import type { TaskStore } from '../../store/task-store.js';
import type { CaseJournal } from './journal.js';
import { cleanText, oneLine } from './lifecycle.js';
import { CaseEventKind } from './model.js';

export const COMMENT_MAX = 20_000;

export function createComments(deps: { tasks: TaskStore; cases: CaseStore; journal: CaseJournal; clock: Clock }) {
  const { tasks, cases, journal, clock } = deps;
  return {
    addComment(caseId: string, body: string, actor: string): CaseCommentRecord {
      const text = cleanText('body', body, { max: COMMENT_MAX });
      return cases.transaction(() => {
        const theCase = cases.get(caseId);
        if (!theCase) throw new NotFoundError('case', caseId);
        const now = clock();
        const comment: CaseCommentRecord = { id: newId(IdPrefix.CaseComment, now), caseId, author: actor, body: text, createdAt: now };
        tasks.insertComment(comment);
        journal.record({
          caseId,
          kind: CaseEventKind.COMMENTED,
          actor,
          summary: `${actor} commented on case #${theCase.number}: ${oneLine(text)}`,
          detail: { commentId: comment.id },
          audit: { action: 'case.comment', after: { commentId: comment.id, body: text } },
        });
        return comment;
      });
    },
  };
}

export type Comments = ReturnType<typeof createComments>;
