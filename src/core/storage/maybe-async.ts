/**
 * Values the read path computes at once where it can, and as a promise only where an asynchronous
 * step is needed (LangGraph's serializer reviving a shape fast-revive.ts leaves to it, a format
 * other than JSON). A worker that has run LangGraph has AsyncLocalStorage enabled, which calls a
 * hook for every promise made: a history page of 50 checkpoints made about 5,000 promises, most
 * of them in this read path, for values that were ready at once.
 */
export type MaybePromise<T> = T | Promise<T>;

/** Decoded values are data (JSON, revived LangChain objects), never promises, so this tells them apart. */
export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** `next(value)`, at once when `value` is ready. */
export function andThen<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isPromise(value) ? value.then(next) : next(value);
}

/** The values, at once when every one is ready. */
export function all<T>(values: readonly MaybePromise<T>[]): MaybePromise<T[]> {
  return values.some(isPromise) ? Promise.all(values) : (values as T[]);
}
