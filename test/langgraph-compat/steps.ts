// What the parts of the scripted SDK session share: how a step is recorded, and how a call that
// may fail is recorded (its result, or the HTTP status it failed with).
export type RecordStep = (step: string, value: unknown) => void;

export async function failure(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await call() };
  } catch (error) {
    return { status: (error as { status?: number }).status ?? null };
  }
}
