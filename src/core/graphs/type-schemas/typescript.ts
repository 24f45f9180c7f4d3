// The TypeScript compiler, loaded with require: importing its 9 MB CommonJS file as an ES module
// (through tsx's loader, when running from source) took 2-3 s of the 3 s budget; require takes 0.4 s.
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

export const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
/** The compiler's types under the same name as its value, as `import ts from "typescript"` gives them. */
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace ts {
  export type CallExpression = TypeScript.CallExpression;
  export type CompilerOptions = TypeScript.CompilerOptions;
  export type Expression = TypeScript.Expression;
  export type Node = TypeScript.Node;
  export type ObjectLiteralExpression = TypeScript.ObjectLiteralExpression;
  export type Program = TypeScript.Program;
  export type PropertyName = TypeScript.PropertyName;
  export type SourceFile = TypeScript.SourceFile;
  export type Type = TypeScript.Type;
  export type TypeChecker = TypeScript.TypeChecker;
  export type TypeNode = TypeScript.TypeNode;
  export type TypeReference = TypeScript.TypeReference;
  export type UnionType = TypeScript.UnionType;
}
