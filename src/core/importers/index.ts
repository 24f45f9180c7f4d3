export {
  checkImportSource,
  importLangGraphDatabase,
  inspectLangGraphDatabase,
  type ImportConflictPolicy,
  type ImportedThread,
  type ImportLangGraphOptions,
  type ImportLangGraphResult,
  type LangGraphDatabaseInfo,
  type LangGraphFlavour,
} from "./langgraph-import";
export { PY_CLASS_KEY } from "./python-values";
