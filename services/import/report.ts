// What every import (register extract, staff directory) reports.

/** Rejections kept in a report (all are passed to the caller's callback as they come). */
export const MAX_KEPT_REJECTIONS = 1000;

export interface RowRejection {
  line: number;
  reason: string;
}

export interface ImportReport {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  /** Entries the file no longer contains. */
  removed: number;
  rejected: number;
  /** The first MAX_KEPT_REJECTIONS rejected rows, by line. */
  rejections: RowRejection[];
}

/** A report's counts, as the audit rows and the logs give them. */
export function reportCounts(report: ImportReport): Pick<ImportReport, 'rows' | 'created' | 'updated' | 'unchanged' | 'removed' | 'rejected'> {
  const { rows, created, updated, unchanged, removed, rejected } = report;
  return { rows, created, updated, unchanged, removed, rejected };
}
