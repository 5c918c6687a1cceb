// Stylesheets are imported for their side effect; esbuild puts them in app.css.
declare module '*.css';

// Where Monaco looks for its worker factory (the part of monaco-editor's
// `Environment` the explorer sets; monaco-editor is GraphiQL's dependency, not ours).
declare var MonacoEnvironment: { getWorker(workerId: string, label: string): Worker } | undefined;
