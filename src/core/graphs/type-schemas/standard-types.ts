// The standard library the type reader gives the compiler instead of TypeScript's own: only what
// state types are written with (arrays, records, dates, the utility types). TypeScript's ES5 and
// ES2015 libraries are 260 KB to parse and bind, which was half of the 2 s a first request took;
// a type this file lacks reads as any value (`{}`).
export const STANDARD_TYPES_FILE = "__threadline_standard_types__.d.ts";

export const STANDARD_TYPES = `
interface Array<T> { length: number; [n: number]: T; }
interface ReadonlyArray<T> { readonly length: number; readonly [n: number]: T; }
interface Boolean {} interface Number {} interface String { readonly length: number } interface Object {} interface Function {}
interface CallableFunction extends Function {} interface NewableFunction extends Function {}
interface IArguments {} interface RegExp {} interface Symbol {}
interface Date { toISOString(): string }
interface Promise<T> { then<R>(f: (value: T) => R): Promise<R> }
interface PromiseLike<T> { then<R>(f: (value: T) => R): PromiseLike<R> }
interface Map<K, V> { get(key: K): V | undefined }
interface Set<T> { has(value: T): boolean }
interface TemplateStringsArray extends ReadonlyArray<string> {}
type Awaited<T> = T extends PromiseLike<infer U> ? Awaited<U> : T;
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
`;
