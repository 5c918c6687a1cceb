import { ROOT_ELEMENT_ID, SETTINGS_ELEMENT_ID, type ExplorerSettings } from './explorer-settings.ts';

/**
 * Only the gateway's own origin: scripts, styles, workers and connections
 * (HTTP and, under 'self', ws:/wss: to the same host). Inline styles are
 * allowed because Monaco and GraphiQL set them at run time; fonts and icons
 * are data: URLs inside GraphiQL's CSS.
 */
export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that stays inside its <script> element whatever the operation documents contain. */
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

export interface ExplorerPageOptions {
  title: string;
  scriptUrl: string;
  stylesUrl: string;
  settings: ExplorerSettings;
}

export function renderExplorerPage(options: ExplorerPageOptions): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${escapeHtml(options.stylesUrl)}">
<script type="application/json" id="${SETTINGS_ELEMENT_ID}">${scriptSafeJson(options.settings)}</script>
<script src="${escapeHtml(options.scriptUrl)}" defer></script>
</head>
<body>
<div id="${ROOT_ELEMENT_ID}"></div>
<noscript>The explorer needs JavaScript.</noscript>
</body>
</html>
`;
}
