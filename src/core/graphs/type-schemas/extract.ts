// JSON schemas of Annotation-based graphs from the project's TypeScript source, fast: one program
// over the graphs' files and the files they import by relative path, never node_modules (no
// LangChain .d.ts to parse and check), with a small standard library of its own (standard-types.ts).
// Type errors do not matter: the checker still gives each written type.
import path from "node:path";
import { ts } from "./typescript";
import type { JsonSchema } from "../../../shared/graph";
import { sourceHash } from "./cache";
import { STANDARD_TYPES, STANDARD_TYPES_FILE } from "./standard-types";
import { AnnotationReader, type AnnotationRoot, type FieldType } from "./annotations";
import { MESSAGES_SCHEMA } from "./message-schema";
import { SchemaWriter } from "./type-to-schema";
import type { ExtractRequest, ExtractResult, KeySets, TypedSchemas } from "./types";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const ROLES = ["input", "output", "state", "config"] as const;

const OPTIONS: ts.CompilerOptions = {
  noEmit: true,
  allowJs: true,
  strict: true,
  skipLibCheck: true,
  skipDefaultLibCheck: true,
  types: [],
  // The few standard types state is written with (standard-types.ts), not TypeScript's own libraries.
  noLib: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  jsx: ts.JsxEmit.Preserve,
};

function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../");
}

function createProgram(files: string[]): ts.Program {
  const host = ts.createCompilerHost(OPTIONS, true);
  const standardTypes = path.resolve(STANDARD_TYPES_FILE);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) =>
    file === standardTypes ? ts.createSourceFile(file, STANDARD_TYPES, language) : getSourceFile(file, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === standardTypes || fileExists(file);
  const cache = ts.createModuleResolutionCache(process.cwd(), (name) => name, OPTIONS);
  // Packages stay unresolved (their types read as the checker's error type): opening them is what
  // makes LangGraph's own extraction take half a minute.
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, options) =>
    literals.map((literal) =>
      isRelative(literal.text)
        ? ts.resolveModuleName(literal.text, containingFile, options, host, cache, redirected)
        : { resolvedModule: undefined },
    );
  return ts.createProgram({ rootNames: [standardTypes, ...files], options: OPTIONS, host });
}

/** The Annotation root whose keys are exactly these, preferring the graph's own file; else key by key. */
function fieldsFor(keys: string[], roots: AnnotationRoot[], file: string, messageKeys: Set<string>): Map<string, FieldType> {
  const same = (root: AnnotationRoot) => root.fields.size === keys.length && keys.every((key) => root.fields.has(key));
  const ordered = [...roots.filter((r) => r.file === file), ...roots.filter((r) => r.file !== file)];
  const exact = ordered.find(same);
  const fields = new Map<string, FieldType>();
  for (const key of keys) {
    const found = exact?.fields.get(key) ?? ordered.find((root) => root.fields.has(key))?.fields.get(key);
    fields.set(key, messageKeys.has(key) ? { kind: "messages" } : (found ?? { kind: "unknown" }));
  }
  return fields;
}

function objectSchema(fields: Map<string, FieldType>, writer: SchemaWriter, use: "value" | "update"): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, field] of fields) {
    if (field.kind === "messages") properties[key] = MESSAGES_SCHEMA;
    else if (field.kind === "unknown") properties[key] = {};
    else properties[key] = use === "value" ? writer.write(field.value, field.valueNode) : writer.write(field.update, field.updateNode);
  }
  // As langgraph dev writes them: no `required` (any key of an update may be left out), draft-07.
  return { type: "object", ...(Object.keys(properties).length > 0 ? { properties } : {}), $schema: DRAFT_07 };
}

function schemasFor(keys: KeySets, roots: AnnotationRoot[], file: string, writer: SchemaWriter, config: AnnotationRoot | undefined): TypedSchemas {
  const messageKeys = new Set(keys.messages);
  const out: TypedSchemas = {};
  for (const role of ROLES) {
    // Input and output default to the state, as in LangGraph.
    const roleKeys =
      role === "config" ? (keys.config?.length === 0 && config ? [...config.fields.keys()] : keys.config) : (keys[role] ?? keys.state);
    if (!roleKeys) continue;
    // LangGraph's server: state and input are update types, output the state type, config the update type.
    out[role] = objectSchema(fieldsFor(roleKeys, roots, file, messageKeys), writer, role === "output" ? "value" : "update");
  }
  return out;
}

export function extractSchemas(request: ExtractRequest): ExtractResult {
  const graphFiles = [...new Set(request.graphs.map((g) => g.file))];
  const program = createProgram(graphFiles);
  const checker = program.getTypeChecker();
  const reader = new AnnotationReader(checker);
  const writer = new SchemaWriter(checker);
  const userFiles = program
    .getSourceFiles()
    .filter((sf) => path.basename(sf.fileName) !== STANDARD_TYPES_FILE && !sf.fileName.includes(`${path.sep}node_modules${path.sep}`));
  const roots = userFiles.flatMap((sf) => reader.rootsIn(sf));

  const graphs: ExtractResult["graphs"] = {};
  for (const graph of request.graphs) {
    const source = program.getSourceFile(graph.file);
    if (!source) {
      graphs[graph.id] = { error: `could not read ${graph.file}` };
      continue;
    }
    try {
      graphs[graph.id] = { schemas: schemasFor(graph.keys, roots, path.resolve(graph.file), writer, reader.configRootIn(source)) };
    } catch (error) {
      graphs[graph.id] = { error: `reading the types of ${graph.file} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  const files = Object.fromEntries(userFiles.map((sf) => [path.resolve(sf.fileName), sourceHash(sf.text)]));
  return { graphs, files, typescript: ts.version };
}

