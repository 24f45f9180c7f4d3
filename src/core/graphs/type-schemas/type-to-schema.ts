// A TypeScript type, as the compiler's checker sees it, turned into a JSON schema a client can build a
// form from. Written here rather than taken from typescript-json-schema or ts-json-schema-generator:
// both generate from named declarations across a whole program (LangGraph's server builds one with
// every .d.ts of LangChain, 30 s), while the state's types are type arguments inside the user's own
// files, read from a program that never opens node_modules (see extract.ts). Types from packages
// therefore arrive unresolved; LangChain's messages are recognised by their names.
import { ts } from "./typescript";
import type { JsonSchema } from "../../../shared/graph";
import { MESSAGE_SCHEMA, MESSAGES_SCHEMA } from "./message-schema";

/** How deep nested objects are described; deeper ones are `{}` (any value). */
const MAX_DEPTH = 8;

const MESSAGE_NAMES = new Set([
  "BaseMessage",
  "BaseMessageLike",
  "BaseMessageChunk",
  "AIMessage",
  "AIMessageChunk",
  "HumanMessage",
  "HumanMessageChunk",
  "SystemMessage",
  "ToolMessage",
  "ChatMessage",
  "FunctionMessage",
  "RemoveMessage",
  "MessageType",
]);

function isErrorType(type: ts.Type): boolean {
  // An unresolved type (from a package this program does not open) is the checker's "error" any.
  return (type.flags & ts.TypeFlags.Any) !== 0 && (type as { intrinsicName?: string }).intrinsicName === "error";
}

/** A schema from a type node alone, for types the checker could not resolve: messages by name, else any. */
function fromUnresolvedNode(node: ts.TypeNode | undefined): JsonSchema {
  if (!node) return {};
  if (ts.isParenthesizedTypeNode(node)) return fromUnresolvedNode(node.type);
  if (ts.isArrayTypeNode(node)) {
    const items = fromUnresolvedNode(node.elementType);
    return items === MESSAGE_SCHEMA ? MESSAGES_SCHEMA : { type: "array", items };
  }
  if (ts.isTypeReferenceNode(node)) {
    const name = ts.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
    if (MESSAGE_NAMES.has(name)) return MESSAGE_SCHEMA;
    if ((name === "Array" || name === "ReadonlyArray") && node.typeArguments?.length === 1) {
      return fromUnresolvedNode(ts.factory.createArrayTypeNode(node.typeArguments[0]!));
    }
  }
  if (ts.isUnionTypeNode(node)) {
    // `Messages`-like unions of a message and a list of them: the list is what a form offers.
    const parts = node.types.map(fromUnresolvedNode);
    const messages = parts.find((p) => p === MESSAGES_SCHEMA);
    if (messages) return messages;
  }
  return {};
}

function literalSchema(type: ts.Type): JsonSchema | undefined {
  if (type.isStringLiteral()) return { type: "string", enum: [type.value] };
  if (type.isNumberLiteral()) return { type: "number", enum: [type.value] };
  if (type.flags & ts.TypeFlags.BooleanLiteral) {
    return { type: "boolean", enum: [(type as { intrinsicName?: string }).intrinsicName === "true"] };
  }
  return undefined;
}

export class SchemaWriter {
  constructor(private readonly checker: ts.TypeChecker) {}

  /** `node`, when given, is the type as written: it names what the checker could not resolve. */
  write(type: ts.Type, node?: ts.TypeNode, depth = 0, path: ts.Type[] = []): JsonSchema {
    if (isErrorType(type)) return fromUnresolvedNode(node);
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return {};
    if (flags & ts.TypeFlags.StringLike && !(flags & ts.TypeFlags.StringLiteral)) return { type: "string" };
    if (flags & ts.TypeFlags.NumberLike && !(flags & ts.TypeFlags.NumberLiteral)) return { type: "number" };
    if (flags & ts.TypeFlags.BigIntLike) return { type: "integer" };
    if (flags & ts.TypeFlags.Boolean) return { type: "boolean" };
    if (flags & ts.TypeFlags.Null) return { type: "null" };
    const literal = literalSchema(type);
    if (literal) return literal;
    if (type.isUnion()) return this.union(type, node, depth, path);
    if (depth >= MAX_DEPTH || path.includes(type)) return {};
    const inner = [...path, type];
    const name = type.aliasSymbol?.name ?? type.getSymbol()?.name;
    if (name && MESSAGE_NAMES.has(name)) return MESSAGE_SCHEMA;
    if (name === "Date") return { type: "string", format: "date-time" };
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) return this.list(type, node, depth, inner);
    if (type.isIntersection()) return this.object(type, depth, inner);
    if (flags & ts.TypeFlags.Object) {
      if (type.getCallSignatures().length > 0) return {};
      return this.object(type, depth, inner);
    }
    return {};
  }

  private union(type: ts.UnionType, node: ts.TypeNode | undefined, depth: number, path: ts.Type[]): JsonSchema {
    // Optional (`| undefined`) is said by leaving a key out, not by the schema of its value.
    const members = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const nodeMembers = node && ts.isUnionTypeNode(node) ? node.types : undefined;
    const written = members.map((member, i) => this.write(member, nodeMembers?.[i], depth, path));
    // LangGraph's `Overwrite` wrapper is how a reducer's value can be replaced, not a shape to fill in.
    const kept = written.filter((schema, i) => !isOverwrite(members[i]!, schema));
    if (kept.some((schema) => Object.keys(schema).length === 0)) return {};
    const merged = mergeLiterals(kept);
    return merged.length === 1 ? merged[0]! : { anyOf: merged };
  }

  private list(type: ts.Type, node: ts.TypeNode | undefined, depth: number, path: ts.Type[]): JsonSchema {
    const args = this.checker.getTypeArguments(type as ts.TypeReference);
    const elementNode = node && ts.isArrayTypeNode(node) ? node.elementType : node && ts.isTypeReferenceNode(node) ? node.typeArguments?.[0] : undefined;
    if (this.checker.isTupleType(type)) {
      const items = args.map((arg) => this.write(arg, undefined, depth + 1, path));
      return { type: "array", items, minItems: items.length, maxItems: items.length };
    }
    const items = args[0] ? this.write(args[0], elementNode, depth + 1, path) : {};
    return items === MESSAGE_SCHEMA ? MESSAGES_SCHEMA : { type: "array", items };
  }

  private object(type: ts.Type, depth: number, path: ts.Type[]): JsonSchema {
    const properties: Record<string, JsonSchema> = {};
    for (const property of this.checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const propertyType = declaration
        ? this.checker.getTypeOfSymbolAtLocation(property, declaration)
        : this.checker.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0 && !propertyType.isUnion()) continue; // methods are not data
      const written = declaration && hasTypeNode(declaration) ? declaration.type : undefined;
      properties[property.name] = this.write(propertyType, written, depth + 1, path);
    }
    const schema: JsonSchema = { type: "object" };
    if (Object.keys(properties).length > 0) schema.properties = properties;
    const index = this.checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index) {
      const values = this.write(index.type, undefined, depth + 1, path);
      if (Object.keys(values).length > 0) schema.additionalProperties = values;
    }
    return schema;
  }
}

function hasTypeNode(node: ts.Node): node is ts.Node & { type: ts.TypeNode } {
  return (ts.isPropertySignature(node) || ts.isPropertyDeclaration(node) || ts.isParameter(node)) && node.type !== undefined;
}

function isOverwrite(type: ts.Type, schema: JsonSchema): boolean {
  const name = type.aliasSymbol?.name ?? type.getSymbol()?.name;
  if (name === "OverwriteValue" || name === "Overwrite") return true;
  const properties = schema.properties as Record<string, unknown> | undefined;
  return properties !== undefined && Object.keys(properties).length === 1 && "__overwrite__" in properties;
}

/** `"a" | "b"` as one enum, as LangGraph's schemas write it; `true | false` as boolean. */
function mergeLiterals(schemas: JsonSchema[]): JsonSchema[] {
  const out: JsonSchema[] = [];
  const enums = new Map<string, unknown[]>();
  for (const schema of schemas) {
    const keys = Object.keys(schema);
    if (keys.length === 2 && Array.isArray(schema.enum) && typeof schema.type === "string") {
      const values = enums.get(schema.type);
      if (values) values.push(...(schema.enum as unknown[]));
      else {
        const fresh = [...(schema.enum as unknown[])];
        enums.set(schema.type, fresh);
        out.push({ type: schema.type, enum: fresh });
      }
    } else out.push(schema);
  }
  return out.map((schema) =>
    schema.type === "boolean" && Array.isArray(schema.enum) && schema.enum.length === 2 ? { type: "boolean" } : schema,
  );
}
