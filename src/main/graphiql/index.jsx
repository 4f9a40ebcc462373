// The explorer served at /graphiql: GraphiQL 5 with the explorer plugin (build a query by ticking
// fields), queries and mutations over HTTP, subscriptions over the WebSocket of /graphql
// (graphql-transport-ws). Bundled by build.mjs into the jar: every asset is served by the gateway.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL, HISTORY_PLUGIN } from 'graphiql';
import { explorerPlugin } from '@graphiql/plugin-explorer';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import 'graphiql/style.css';
import '@graphiql/plugin-explorer/style.css';

// Monaco's workers: bundled beside this file, started from the same origin
const assets = new URL(".", document.currentScript.src);
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const name = label === 'json' ? 'json.worker.js' : label === 'graphql' ? 'graphql.worker.js' : 'editor.worker.js';
    return new Worker(new URL(name, assets));
  },
};

const page = window.modelgate || {};
const ws = window.location.origin.replace(/^http/, 'ws') + '/graphql';
const fetcher = createGraphiQLFetcher({
  url: window.location.origin + '/graphql',
  wsClient: createClient({ url: ws, lazy: true, retryAttempts: 0 }),
});
const params = new URLSearchParams(window.location.search);
if (params.get('query')) {   // a link with ?query= opens that query, not the tabs of the last visit
  Object.keys(localStorage).filter((k) => k.startsWith('graphiql:')).forEach((k) => localStorage.removeItem(k));
}
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={plugins}
    defaultQuery={page.exampleQuery || ''}
    initialQuery={params.get('query') || undefined}
    initialVariables={params.get('variables') || undefined}
    defaultEditorToolsVisibility={true}
  />,
);
