// Lays out a checkpoint history (newest first) in lanes the way `git log --graph` does: a lane waits for
// a checkpoint's parent; children that share a parent (a fork) meet at it, and a lane is reused once freed.

export interface LaneInput {
  id: string;
  parentId: string | null;
}

export interface LaneRow {
  /** The lane of the checkpoint's dot. */
  col: number;
  /** Lanes with a line coming in from the row above. */
  top: number[];
  /** Of `top`, the lanes (besides `col`) whose line ends at this dot: the children of a fork. */
  merges: number[];
  /** Lanes with a line going on to the row below. */
  bottom: number[];
}

/** Keeps lane state between calls, so pages can be laid out as they arrive. */
export class LaneLayout {
  private lanes: (string | null)[] = [];
  readonly rows: LaneRow[] = [];
  width = 1;

  add(items: readonly LaneInput[]): void {
    for (const item of items) this.rows.push(this.place(item));
  }

  private place(item: LaneInput): LaneRow {
    const top = this.occupied();
    const waiting = top.filter((i) => this.lanes[i] === item.id);
    let col: number;
    if (waiting.length > 0) {
      col = waiting[0]!;
    } else {
      // A branch head: the newest checkpoint of a branch, which no later checkpoint points to.
      col = this.lanes.indexOf(null);
      if (col === -1) col = this.lanes.push(null) - 1;
    }
    const merges = waiting.slice(1);
    for (const m of merges) this.lanes[m] = null;
    this.lanes[col] = item.parentId;
    while (this.lanes.length && this.lanes[this.lanes.length - 1] === null) this.lanes.pop();
    const bottom = this.occupied();
    this.width = Math.max(this.width, col + 1, ...bottom.map((b) => b + 1));
    return { col, top, merges, bottom };
  }

  private occupied(): number[] {
    const out: number[] = [];
    this.lanes.forEach((v, i) => v !== null && out.push(i));
    return out;
  }
}

export function layoutLanes(items: readonly LaneInput[]): { rows: LaneRow[]; width: number } {
  const layout = new LaneLayout();
  layout.add(items);
  return { rows: layout.rows, width: layout.width };
}
