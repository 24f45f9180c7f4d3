export { GraphRegistry, type GraphRegistryOptions, type RegisteredGraph } from "./registry";
export { loadProject, findLangGraphPackage, type ProjectGraph, type ProjectLoadResult } from "./project";
export { drawGraph, deriveSchemas, reducerKindsOf } from "./describe";
export { isCompiledGraph, isGraphBuilder, withCheckpointer, type InspectableGraph } from "./graph-shape";
export { EXAMPLE_GRAPHS, type ExampleGraph } from "./examples";
