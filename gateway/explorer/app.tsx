/**
 * The schema explorer's browser side: GraphiQL over the gateway's one
 * endpoint. Bundled by the gateway itself (src/explorer/explorer-bundle.ts)
 * and served from its own origin, so nothing here may reach another host:
 * fonts are inlined in GraphiQL's CSS and Monaco's workers come from the
 * same bundle instead of a CDN.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createRoot } from 'react-dom/client';
import { ROOT_ELEMENT_ID, SETTINGS_ELEMENT_ID, type ExplorerSettings } from '../src/explorer/explorer-settings.ts';
import 'graphiql/style.css';
import './explorer.css';

function readSettings(): ExplorerSettings {
  const element = document.getElementById(SETTINGS_ELEMENT_ID);
  if (!element?.textContent) throw new Error(`the page has no #${SETTINGS_ELEMENT_ID}`);
  return JSON.parse(element.textContent) as ExplorerSettings;
}

const settings = readSettings();

// Monaco asks for a worker per language service; without this it would try
// to load them from a URL it guesses, which does not exist here.
globalThis.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    const url = label === 'json' || label === 'graphql' ? settings.workers[label] : settings.workers.editor;
    return new Worker(url, { name: `monaco-${label}` });
  },
};

const endpoint = new URL(settings.endpoint, window.location.href);
// Subscriptions use graphql-ws on the same path; the headers editor's JSON is
// sent as the connection_init payload, where the gateway reads Authorization.
const subscriptionUrl = new URL(endpoint);
subscriptionUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';

// Every HTTP request the fetcher makes is a POST with content-type
// application/json, which Apollo's CSRF prevention lets through.
const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: subscriptionUrl.href });

// GraphiQL 5.4 opens the first default tab with its query but not its
// variables (the editor takes them from `initialVariables` only), so a first
// visit, one with no tabs saved by GraphiQL, passes them that way. Passing
// them on a later visit would instead open an extra tab.
const firstVisit = window.localStorage.getItem('graphiql:tabState') === null;

const root = document.getElementById(ROOT_ELEMENT_ID);
if (!root) throw new Error(`the page has no #${ROOT_ELEMENT_ID}`);
createRoot(root).render(
  <GraphiQL
    fetcher={fetcher}
    defaultTabs={settings.tabs.map((tab) => ({ ...tab }))}
    defaultQuery={settings.defaultQuery}
    initialVariables={firstVisit ? settings.tabs[0]?.variables : undefined}
    defaultEditorToolsVisibility="variables"
  />,
);
