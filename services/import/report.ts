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
