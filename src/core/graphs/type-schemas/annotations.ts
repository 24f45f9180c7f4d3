// Where an Annotation-based state says its types: `Annotation.Root({ key: Annotation<T>, ... })` in
// the user's files. Each key's value type (T) and update type (`Annotation<T, U>`'s U, or the
// reducer's second parameter) are read as written; spreads of another root's `.spec` and of
// LangGraph's `MessagesAnnotation.spec` are followed.
import { ts } from "./typescript";

/** One state key's types, as type nodes or as the checker gives them. */
export type FieldType =
  | { kind: "messages" }
  | { kind: "typed"; value: ts.Type; valueNode?: ts.TypeNode; update: ts.Type; updateNode?: ts.TypeNode }
  | { kind: "unknown" };

export interface AnnotationRoot {
  file: string;
  fields: Map<string, FieldType>;
}

const MESSAGES_ROOTS = new Set(["MessagesAnnotation", "MessagesZodState"]);

function isAnnotationRootCall(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === "Root" &&
    ts.isIdentifier(node.expression.expression) &&
    node.expression.expression.text === "Annotation" &&
    node.arguments.length === 1 &&
    ts.isObjectLiteralExpression(node.arguments[0]!)
  );
}

/** `Annotation` itself, or a call of it: `Annotation<T>` / `Annotation<T, U>(...)` / `Annotation({reducer})`. */
function annotationParts(expression: ts.Expression): { typeArgs: readonly ts.TypeNode[]; options?: ts.Expression } | undefined {
  if (ts.isExpressionWithTypeArguments(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === "Annotation") {
    return { typeArgs: expression.typeArguments ?? [] };
  }
  if (ts.isCallExpression(expression)) {
    const callee = expression.expression;
    const isAnnotation =
      (ts.isIdentifier(callee) && callee.text === "Annotation") ||
      (ts.isExpressionWithTypeArguments(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Annotation");
    if (!isAnnotation) return undefined;
    const typeArgs = expression.typeArguments ?? (ts.isExpressionWithTypeArguments(callee) ? callee.typeArguments : undefined) ?? [];
    return { typeArgs, ...(expression.arguments[0] ? { options: expression.arguments[0] } : {}) };
  }
  if (ts.isIdentifier(expression) && expression.text === "Annotation") return { typeArgs: [] };
  return undefined;
}

function reducerOf(options: ts.Expression | undefined): ts.Expression | undefined {
  if (!options || !ts.isObjectLiteralExpression(options)) return undefined;
  for (const property of options.properties) {
    if (property.name && ts.isIdentifier(property.name) && property.name.text === "reducer") {
      if (ts.isPropertyAssignment(property)) return property.initializer;
      if (ts.isShorthandPropertyAssignment(property)) return property.name;
      if (ts.isMethodDeclaration(property)) return undefined;
    }
  }
  return undefined;
}

export class AnnotationReader {
  private readonly byDeclaration = new Map<ts.Node, AnnotationRoot>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** Every Annotation.Root in a file, in source order. */
  rootsIn(file: ts.SourceFile): AnnotationRoot[] {
    const roots: AnnotationRoot[] = [];
    const visit = (node: ts.Node) => {
      if (isAnnotationRootCall(node)) roots.push(this.root(node));
      ts.forEachChild(node, visit);
    };
    visit(file);
    return roots;
  }

  /**
   * The config root of `new StateGraph(State, Config)` in a file: LangGraph 1.x keeps no trace of an
   * Annotation config at runtime, so it is found where it is written.
   */
  configRootIn(file: ts.SourceFile): AnnotationRoot | undefined {
    let found: AnnotationRoot | undefined;
    const visit = (node: ts.Node) => {
      if (found) return;
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "StateGraph") {
        const config = node.arguments?.[1];
        const call = config ? this.rootCallOf(config) : undefined;
        if (call) found = this.root(call);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  }

  private root(call: ts.CallExpression): AnnotationRoot {
    const cached = this.byDeclaration.get(call);
    if (cached) return cached;
    const root: AnnotationRoot = { file: call.getSourceFile().fileName, fields: new Map() };
    this.byDeclaration.set(call, root);
    for (const property of (call.arguments[0] as ts.ObjectLiteralExpression).properties) {
      if (ts.isSpreadAssignment(property)) {
        for (const [key, field] of this.spread(property.expression)) root.fields.set(key, field);
      } else if (ts.isPropertyAssignment(property)) {
        const key = propertyKey(property.name);
        if (key !== undefined) root.fields.set(key, this.field(property.initializer));
      } else if (property.name) {
        const key = propertyKey(property.name);
        if (key !== undefined) root.fields.set(key, { kind: "unknown" });
      }
    }
    return root;
  }

  /** `...X.spec`: LangGraph's messages root, or another Annotation.Root of the user's. */
  private spread(expression: ts.Expression): Map<string, FieldType> {
    if (!ts.isPropertyAccessExpression(expression) || expression.name.text !== "spec") return new Map();
    const target = expression.expression;
    if (ts.isIdentifier(target) && MESSAGES_ROOTS.has(target.text)) return new Map([["messages", { kind: "messages" }]]);
    const call = this.rootCallOf(target);
    return call ? this.root(call).fields : new Map();
  }

  private rootCallOf(expression: ts.Expression): ts.CallExpression | undefined {
    let symbol = this.checker.getSymbolAtLocation(expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && isAnnotationRootCall(declaration.initializer)) {
      return declaration.initializer;
    }
    return undefined;
  }

  private field(initializer: ts.Expression): FieldType {
    const parts = annotationParts(initializer);
    if (!parts) return { kind: "unknown" };
    const reducer = reducerOf(parts.options);
    if (reducer && ts.isIdentifier(reducer) && reducer.text === "messagesStateReducer") return { kind: "messages" };
    const [valueNode, updateNode] = parts.typeArgs;
    if (valueNode) {
      const value = this.checker.getTypeFromTypeNode(valueNode);
      const update = updateNode ? this.checker.getTypeFromTypeNode(updateNode) : value;
      return { kind: "typed", value, valueNode, update, ...(updateNode ? { updateNode } : { updateNode: valueNode }) };
    }
    // No type arguments: the reducer's parameters say them, `(current: T, update: U) => T`.
    if (reducer) {
      const signature = this.checker.getTypeAtLocation(reducer).getCallSignatures()[0];
      const [current, update] = signature?.getParameters() ?? [];
      if (current) {
        const value = this.checker.getTypeOfSymbolAtLocation(current, reducer);
        const updateType = update ? this.checker.getTypeOfSymbolAtLocation(update, reducer) : value;
        return { kind: "typed", value, update: updateType };
      }
    }
    return { kind: "unknown" };
  }
}

function propertyKey(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}
