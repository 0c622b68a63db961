// A compact map from numeric keys (integers below 2^53) to numbers: two sorted Float64Arrays,
// 16 bytes per entry and no object per entry, so that the state an import keeps about every
// pupil, guardian and link it has met stays small for files of hundreds of thousands of rows.
// Written in bulk (one merge per batch), read by binary search.
export class CompactNumberMap {
  private keys = new Float64Array(1024);
  private values = new Float64Array(1024);
  private length = 0;

  get size(): number {
    return this.length;
  }

  private indexOf(key: number): number {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = this.keys[mid] as number;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(key: number): number | undefined {
    const i = this.indexOf(key);
    return i === -1 ? undefined : this.values[i];
  }

  /** Sets every entry of `entries` (existing keys are overwritten). */
  setAll(entries: Map<number, number>): void {
    const inserts: number[] = [];
    for (const [key, value] of entries) {
      const i = this.indexOf(key);
      if (i === -1) inserts.push(key);
      else this.values[i] = value;
    }
    if (!inserts.length) return;
    inserts.sort((a, b) => a - b);
    const total = this.length + inserts.length;
    if (total > this.keys.length) {
      const capacity = Math.max(total, Math.ceil(this.keys.length * 1.5));
      const keys = new Float64Array(capacity);
      const values = new Float64Array(capacity);
      keys.set(this.keys.subarray(0, this.length));
      values.set(this.values.subarray(0, this.length));
      this.keys = keys;
      this.values = values;
    }
    // Merge from the end, in place.
    let i = this.length - 1;
    let j = inserts.length - 1;
    for (let k = total - 1; j >= 0; k--) {
      const insert = inserts[j] as number;
      if (i >= 0 && (this.keys[i] as number) > insert) {
        this.keys[k] = this.keys[i] as number;
        this.values[k] = this.values[i] as number;
        i--;
      } else {
        this.keys[k] = insert;
        this.values[k] = entries.get(insert) as number;
        j--;
      }
    }
    this.length = total;
  }

  /** Calls `fn` for every entry, in key order. */
  forEach(fn: (key: number, value: number) => void): void {
    for (let i = 0; i < this.length; i++) fn(this.keys[i] as number, this.values[i] as number);
  }
}
