/** One pass/fail check against a target from an issue; `detail` holds the measured figures. */
export interface TargetResult {
  target: string;
  pass: boolean;
  detail: string;
}

export interface BenchResult {
  /** Human-readable report (tables), printed as is. */
  report: string;
  /** Machine-readable figures; printed as one `BENCH_JSON ` line. */
  json: Record<string, unknown>;
  targets: TargetResult[];
}

/** A benchmark module in bench/: registered in bench/index.ts. */
export interface BenchModule {
  name: string;
  run(): Promise<BenchResult>;
}
