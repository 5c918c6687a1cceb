/**
 * What the gateway tells the explorer page when it serves it, embedded in the
 * page as JSON. Shared by the server (which writes it) and the browser bundle
 * (gateway/explorer/app.tsx, which reads it), so it holds data only.
 */
export interface ExplorerSettings {
  /** The GraphQL endpoint's path: POSTed to over HTTP, and opened as ws:/wss: for subscriptions. */
  readonly endpoint: string;
  /** URLs of Monaco's web workers, by the language label Monaco asks for (anything else gets `editor`). */
  readonly workers: { readonly editor: string; readonly json: string; readonly graphql: string };
  /** The tabs the explorer opens with when the browser has none saved: one per contract operation. */
  readonly tabs: readonly ExampleTab[];
  /** What a new, empty tab starts with. */
  readonly defaultQuery: string;
}

/** One GraphiQL tab: a document, its variables as JSON text, and optional headers as JSON text. */
export interface ExampleTab {
  readonly query: string;
  readonly variables?: string;
  readonly headers?: string;
}

/** The element whose text is the settings JSON. */
export const SETTINGS_ELEMENT_ID = 'explorer-settings';
/** The element GraphiQL renders into. */
export const ROOT_ELEMENT_ID = 'explorer';
