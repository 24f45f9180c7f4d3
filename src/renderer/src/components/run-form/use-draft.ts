// Text that a field holds while it is being typed and cannot yet be a value ("1.", "-", half a JSON object):
// kept here, reported as a problem (which blocks Run), and replaced when the value changes from outside.
import { useEffect, useRef, useState } from "react";
import type { Read } from "../../lib/schema-form";

export type Report = (error: string | null) => void;

export interface Draft {
  text: string;
  error: string | null;
  change: (text: string) => void;
}

export function useDraft<T>(value: T, format: (v: T) => string, read: (text: string) => Read<T>, commit: (v: T) => void, report: Report): Draft {
  const [text, setText] = useState(() => format(value));
  const [error, setError] = useState<string | null>(null);
  const latest = useRef({ value, format, read, report });
  latest.current = { value, format, read, report };
  const shown = JSON.stringify(value ?? null);

  useEffect(() => {
    // A change from outside (reset, the JSON tab): show it, unless the text already says the same.
    const { value, format, read, report } = latest.current;
    setText((typed) => {
      const parsed = read(typed);
      return parsed.ok && JSON.stringify(parsed.value ?? null) === shown ? typed : format(value);
    });
    setError(null);
    report(null);
  }, [shown]);

  // A field that goes away takes its problem with it.
  useEffect(() => () => latest.current.report(null), []);

  const change = (next: string) => {
    setText(next);
    const parsed = read(next);
    const problem = parsed.ok ? null : parsed.error;
    setError(problem);
    report(problem);
    if (parsed.ok) commit(parsed.value);
  };
  return { text, error, change };
}
